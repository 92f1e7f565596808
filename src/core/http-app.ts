// The remote server as a web-standard handler, shared by the Node HTTP entry and the Worker: the routes,
// the rules every request passes before MCP sees it, and one MCP server per request built for the caller
// that request names. Nothing here is kept between requests but the sender's pool and the rate budgets.
import {
  type AuthInfo,
  createMcpHandler,
  hostHeaderValidationResponse,
  isLegacyRequest,
  type Server,
} from "@modelcontextprotocol/server";
import type { Credentials } from "../client/cloudflare.js";
import type { RateBudgets } from "../client/rate-limit.js";
import type { ApprovalSigner } from "./approval.js";
import { bearerCredentials, type ClientSettings, callerScope } from "./identity.js";
import { serveLegacy } from "./legacy-http.js";
import { type CallerScope, createServer, type ServerConfig } from "./server.js";
import type { TaskStore } from "./tasks.js";

export const MAX_BODY_BYTES = 1024 * 1024;
const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]", "::1"];

export interface HttpAppOptions {
  config: ServerConfig;
  client: ClientSettings;
  budgets: RateBudgets;
  approvals: ApprovalSigner;
  /** Requests need no token: every call goes to the sandbox behind `client.send`, with these credentials. */
  sandbox?: { credentials: Credentials };
  /** Hostnames a Host header may name; `undefined` accepts any (a server not bound to loopback). */
  allowedHosts?: readonly string[];
  /** Origins (scheme://host[:port]) a browser request may come from; loopback ones when `loopbackOrigins`. */
  allowedOrigins?: readonly string[];
  loopbackOrigins?: boolean;
  /** The longest one request may take, answer included. */
  requestDeadlineMs?: number;
  /** Told of refused requests and errors outside any call (never given headers or bodies). */
  onError?: (message: string) => void;
  /** Where a caller's long calls run as tasks, for clients that declare the tasks extension. */
  tasksFor?: (credentials: Credentials | undefined) => TaskStore | undefined;
}

export interface HttpApp {
  fetch(request: Request): Promise<Response>;
  close(): Promise<void>;
}

interface Caller {
  scope: CallerScope;
  readOnly: boolean;
  tasks?: TaskStore;
}

export function createHttpApp(options: HttpAppOptions): HttpApp {
  const serverFor = (authInfo: AuthInfo | undefined): Server => {
    const caller = authInfo?.extra?.caller as Caller;
    return createServer({
      ...caller.scope,
      config: { ...options.config, readOnly: caller.readOnly },
      approvals: options.approvals,
      tasks: caller.tasks,
    });
  };
  const onerror = (error: Error) => options.onError?.(error.message);
  const mcp = createMcpHandler(({ authInfo }) => serverFor(authInfo), { onerror });
  const deadlineMs = options.requestDeadlineMs ?? 120_000;

  const serve = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path !== "/mcp" && path !== "/mcp/readonly")
      return text(404, "Not found. MCP is served at POST /mcp.");
    const refused = checkHostAndOrigin(request, options);
    if (refused) return refused;
    if (request.method !== "POST") {
      return text(405, "Method not allowed: this server is stateless; send JSON-RPC with POST.", {
        allow: "POST",
      });
    }
    const body = await readBody(request);
    if (body.kind === "too_large")
      return jsonRpcError(413, -32600, `Request body over ${MAX_BODY_BYTES} bytes`);
    if (body.kind === "malformed") return jsonRpcError(400, -32700, "Parse error: the body is not JSON");

    const credentials = options.sandbox
      ? options.sandbox.credentials
      : bearerCredentials(request.headers.get("authorization"));
    if (!options.sandbox && !credentials) {
      return text(
        401,
        "Unauthorized: send your Cloudflare API token as the header `Authorization: Bearer <token>` (permissions: SSL and Certificates Read, plus Edit for changes, and Zone Read for find_zone).",
        { "www-authenticate": 'Bearer realm="cloudflare-ssl-mcp"' },
      );
    }
    const readOnly =
      options.config.readOnly ||
      path === "/mcp/readonly" ||
      request.headers.get("x-mcp-readonly")?.trim().toLowerCase() === "true";
    const scope = await callerScope(credentials, options.budgets, options.client);
    const authInfo: AuthInfo = {
      token: "",
      clientId: "cloudflare-api-token",
      scopes: [],
      extra: { caller: { scope, readOnly, tasks: options.tasksFor?.(credentials) } satisfies Caller },
    };

    // The deadline, or the client leaving, ends the exchange: whichever comes first stops the call.
    const deadline = new AbortController();
    let stop: (why: typeof DEADLINE | typeof GONE) => void = () => {};
    const stopped = new Promise<typeof DEADLINE | typeof GONE>((resolve) => {
      stop = resolve;
    });
    const timer = setTimeout(() => {
      stop(DEADLINE);
      deadline.abort(DEADLINE);
    }, deadlineMs);
    const onAbort = () => {
      clearTimeout(timer);
      stop(GONE);
      deadline.abort(request.signal.reason);
    };
    request.signal?.addEventListener("abort", onAbort, { once: true });
    const release = () => {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
    };
    let response: Response | typeof DEADLINE | typeof GONE;
    try {
      // Both paths take the parsed body and never read this one's: it carries the headers and the deadline.
      const inner = new Request(request.url, {
        method: "POST",
        headers: request.headers,
        signal: deadline.signal,
      });
      const handling = (async () =>
        (await isLegacyRequest(inner, body.json))
          ? serveLegacy(serverFor(authInfo), inner, { authInfo, parsedBody: body.json })
          : mcp.fetch(inner, { authInfo, parsedBody: body.json }))();
      response = await Promise.race([handling, stopped]);
      if (typeof response === "symbol") handling.catch(() => {});
    } catch (error) {
      release();
      throw error;
    }
    if (response === GONE) return new Response(null, { status: 499 });
    if (response === DEADLINE) {
      release();
      return deadlineAnswer(body.json, deadlineMs);
    }
    if (response.body === null || !isEventStream(response)) {
      release();
      return response;
    }
    return streamUntilDeadline(response, deadline.signal, release, body.json, deadlineMs);
  };

  return { fetch: serve, close: () => mcp.close() };
}

function checkHostAndOrigin(request: Request, options: HttpAppOptions): Response | undefined {
  if (options.allowedHosts) {
    const refused = hostHeaderValidationResponse(request, [...options.allowedHosts]);
    if (refused) {
      options.onError?.("refused a request whose Host is not allowed");
      return refused;
    }
  }
  const origin = request.headers.get("origin");
  if (origin === null) return undefined;
  if (originAllowed(origin, options)) return undefined;
  options.onError?.("refused a request from an Origin that is not allowed");
  return text(403, "Forbidden: this Origin may not call this server (see --allowed-origins).");
}

function originAllowed(origin: string, options: HttpAppOptions): boolean {
  if (origin === "null") return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (options.allowedOrigins?.includes(parsed.origin)) return true;
  return Boolean(options.loopbackOrigins) && LOOPBACK_HOSTS.includes(parsed.hostname);
}

type Body = { kind: "ok"; text: string; json: unknown } | { kind: "too_large" } | { kind: "malformed" };

async function readBody(request: Request): Promise<Body> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return { kind: "too_large" };
  if (!request.body) return { kind: "malformed" };
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      return { kind: "too_large" };
    }
    text += decoder.decode(value, { stream: true });
  }
  text += decoder.decode();
  try {
    return { kind: "ok", text, json: JSON.parse(text) };
  } catch {
    return { kind: "malformed" };
  }
}

const DEADLINE = Symbol("request deadline");
const GONE = Symbol("client gone");

function isEventStream(response: Response): boolean {
  return response.headers.get("content-type")?.includes("text/event-stream") ?? false;
}

/** The ids of the requests a body holds (one, or several in a 2025-03-26 batch). */
function requestIds(body: unknown): (string | number)[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((m) => {
    const id = (m as { id?: unknown; method?: unknown } | null)?.id;
    return typeof id === "string" || typeof id === "number" ? [id] : [];
  });
}

function deadlineErrors(body: unknown, deadlineMs: number) {
  const message = `The request passed this server's deadline of ${deadlineMs} ms and was stopped. A change it asked for may or may not have taken effect: read the state before trying again.`;
  return requestIds(body).map((id) => ({ jsonrpc: "2.0", id, error: { code: -32603, message } }));
}

/** Answers every request of the body with an error that says the deadline passed. */
function deadlineAnswer(body: unknown, deadlineMs: number): Response {
  const errors = deadlineErrors(body, deadlineMs);
  return new Response(JSON.stringify(Array.isArray(body) ? errors : (errors[0] ?? null)), {
    status: errors.length ? 200 : 504,
    headers: { "content-type": "application/json" },
  });
}

/**
 * An SSE answer (progress was asked for) stays under the same deadline as a JSON one: the timer is released
 * when the stream ends; if it fires first, the stream ends with an error event for the request.
 */
function streamUntilDeadline(
  response: Response,
  deadline: AbortSignal,
  release: () => void,
  body: unknown,
  deadlineMs: number,
): Response {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const encoder = new TextEncoder();
  let over = false;
  const stream = new ReadableStream<Uint8Array>({
    start: (controller) => {
      const onDeadline = () => {
        if (over || deadline.reason !== DEADLINE) return;
        over = true;
        for (const error of deadlineErrors(body, deadlineMs))
          controller.enqueue(encoder.encode(`event: message\ndata: ${JSON.stringify(error)}\n\n`));
        controller.close();
        void reader.cancel().catch(() => {});
      };
      if (deadline.aborted) onDeadline();
      else deadline.addEventListener("abort", onDeadline, { once: true });
    },
    pull: async (controller) => {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (over) return;
      if (done) {
        over = true;
        release();
        controller.close();
      } else if (value) controller.enqueue(value);
    },
    cancel: () => {
      over = true;
      release();
      void reader.cancel().catch(() => {});
    },
  });
  return new Response(stream, { status: response.status, headers: response.headers });
}

function text(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code, message } }), {
    status,
    headers: { "content-type": "application/json" },
  });
}
