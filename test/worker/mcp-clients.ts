// Real MCP clients of both protocol eras, connected to a Worker in this isolate through a fetch that hands each
// HTTP request to the Worker's handler: the 2.x client pinned to 2026-07-28, and the 1.x client (2025 era).
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from "@modelcontextprotocol/client";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  type CallToolResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { createWorker, WorkerEnv } from "../../src/entries/worker.js";

export const ORIGIN = "https://ssl-mcp.example.workers.dev";
export const MODERN = "2026-07-28";

/** One HTTP exchange the client made: the JSON-RPC methods it carried and how the Worker answered. */
export interface Exchange {
  methods: string[];
  protocolVersion: string | null;
  status: number;
}

export interface ConnectOptions {
  path?: string;
  token?: string;
  headers?: Record<string, string>;
  /** Present: the client declares elicitation and answers with this. */
  elicit?: (params: ElicitRequest["params"]) => ElicitResult;
}

export interface Connected {
  listTools(): Promise<Tool[]>;
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  exchanges: Exchange[];
  close(): Promise<void>;
}

type Worker = ReturnType<typeof createWorker>;

/** A fetch that serves every request with `worker`, recording each exchange. */
export function workerFetch(worker: Worker, env: WorkerEnv, exchanges: Exchange[] = []) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const body = request.method === "POST" ? await request.clone().text() : "";
    const parsed = body ? (JSON.parse(body) as { method?: string } | { method?: string }[]) : [];
    const response = await worker.fetch(request, env);
    exchanges.push({
      methods: (Array.isArray(parsed) ? parsed : [parsed]).map((m) => m.method ?? "(response)"),
      protocolVersion: request.headers.get("mcp-protocol-version"),
      status: response.status,
    });
    return response;
  };
}

function requestInit(options: ConnectOptions): RequestInit {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return { headers };
}

/** The 2.x client, pinned to 2026-07-28 (no fallback to the 2025 handshake). */
export async function connectModern(worker: Worker, env: WorkerEnv, options: ConnectOptions = {}) {
  const exchanges: Exchange[] = [];
  const client = new ModernClient(
    { name: "worker-test-modern", version: "1.0.0" },
    {
      capabilities: options.elicit ? { elicitation: { form: {} } } : {},
      versionNegotiation: { mode: { pin: MODERN } },
    },
  );
  const { elicit } = options;
  if (elicit) client.setRequestHandler("elicitation/create", (request) => elicit(request.params));
  const transport = new ModernTransport(new URL(`${ORIGIN}${options.path ?? "/mcp"}`), {
    fetch: workerFetch(worker, env, exchanges),
    requestInit: requestInit(options),
  });
  await client.connect(transport);
  return {
    listTools: async () => (await client.listTools()).tools as Tool[],
    callTool: async (name, args) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    exchanges,
    close: () => client.close(),
  } satisfies Connected;
}

/** The 1.x client: the 2025-era initialize handshake, then one stateless request per call. */
export async function connectLegacy(worker: Worker, env: WorkerEnv, options: ConnectOptions = {}) {
  const exchanges: Exchange[] = [];
  const client = new LegacyClient(
    { name: "worker-test-legacy", version: "1.0.0" },
    { capabilities: options.elicit ? { elicitation: {} } : {} },
  );
  const { elicit } = options;
  if (elicit) client.setRequestHandler(ElicitRequestSchema, (request) => elicit(request.params));
  const transport = new LegacyTransport(new URL(`${ORIGIN}${options.path ?? "/mcp"}`), {
    fetch: workerFetch(worker, env, exchanges),
    requestInit: requestInit(options),
  });
  await client.connect(transport);
  return {
    listTools: async () => (await client.listTools()).tools,
    callTool: async (name, args) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    exchanges,
    close: () => client.close(),
  } satisfies Connected;
}

export const textOf = (result: CallToolResult) =>
  result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
