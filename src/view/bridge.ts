// The view's side of the MCP Apps protocol (io.modelcontextprotocol/ui): JSON-RPC over postMessage with the
// host window. Only what the dashboard uses — initialize, the host's notifications, tools/call and size
// changes — so the page stays a few KB instead of bundling a full MCP client and a schema library.

export const APPS_PROTOCOL_VERSION = "2026-01-26";

type Json = Record<string, unknown>;
type Pending = { resolve: (value: Json) => void; reject: (error: Error) => void };

export interface HostContext {
  theme?: "light" | "dark";
  displayMode?: "inline" | "fullscreen" | "pip";
  availableDisplayModes?: string[];
  styles?: { variables?: Record<string, string | undefined> };
  toolInfo?: { tool?: { name?: string } };
  [key: string]: unknown;
}

export interface ToolResult {
  content?: { type: string; text?: string }[];
  structuredContent?: Json;
  isError?: boolean;
}

export class HostBridge {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, (params: Json) => void>();

  constructor(private readonly host: Window) {
    window.addEventListener("message", (event) => {
      // Only the host that embeds the view speaks for it; anything else posting here is ignored.
      if (event.source !== this.host) return;
      this.receive(event.data);
    });
  }

  on(method: string, handler: (params: Json) => void): void {
    this.handlers.set(method, handler);
  }

  request(method: string, params: Json): Promise<Json> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ jsonrpc: "2.0", id, method, params });
    });
  }

  notify(method: string, params: Json = {}): void {
    this.post({ jsonrpc: "2.0", method, params });
  }

  async initialize(appName: string, appVersion: string): Promise<HostContext> {
    const result = await this.request("ui/initialize", {
      protocolVersion: APPS_PROTOCOL_VERSION,
      appInfo: { name: appName, version: appVersion },
      appCapabilities: { availableDisplayModes: ["inline", "fullscreen"] },
    });
    this.notify("ui/notifications/initialized");
    return (result.hostContext ?? {}) as HostContext;
  }

  callTool(name: string, args: Json): Promise<ToolResult> {
    return this.request("tools/call", { name, arguments: args }) as Promise<ToolResult>;
  }

  private post(message: Json): void {
    this.host.postMessage(message, "*");
  }

  private receive(data: unknown): void {
    if (!data || typeof data !== "object" || (data as Json).jsonrpc !== "2.0") return;
    const message = data as Json & { id?: number | string; method?: string; params?: Json };
    if (message.method === undefined) {
      const waiting = this.pending.get(message.id as number);
      if (!waiting) return;
      this.pending.delete(message.id as number);
      const error = message.error as { message?: string } | undefined;
      if (error) waiting.reject(new Error(error.message ?? "the host refused the request"));
      else waiting.resolve((message.result ?? {}) as Json);
      return;
    }
    if (message.id !== undefined) {
      // Requests from the host: ping and teardown need only an answer; anything else is not offered.
      const known = message.method === "ping" || message.method === "ui/resource-teardown";
      this.post(
        known
          ? { jsonrpc: "2.0", id: message.id, result: {} }
          : {
              jsonrpc: "2.0",
              id: message.id,
              error: { code: -32601, message: `${message.method} not supported` },
            },
      );
      return;
    }
    this.handlers.get(message.method)?.(message.params ?? {});
  }
}
