// The remote server as one handler, shared by the Node HTTP entry (`serve`, from the node request) and the
// Worker (`fetch`, from a web Request): one route table and one short pipeline every request passes, in
// order, before MCP sees it (Host, route, Origin, method, the in-flight cap, bearer, body, read-only,
// deadline), then one MCP server built for the caller that request names. Nothing here is kept between
// requests but the sender's pool, the rate budgets and what identity.ts keeps per credential digest.
import { createMcpHandler, type Server } from "@modelcontextprotocol/server";
import type { ApprovalSigner } from "./approval.js";
import { jsonRpcError, text } from "./http/answers.js";
import { bearerToken } from "./http/bearer.js";
import { MAX_BODY_BYTES, readBody } from "./http/body.js";
import { withinDeadline } from "./http/deadline.js";
import { servedAsLegacyBy } from "./http/era.js";
import { checkHost, type HostRules, originAllowed } from "./http/host.js";
import { type Inbound, inboundOf } from "./http/inbound.js";
import { headerNarrowsToReadOnly } from "./http/read-only.js";
import { type Backend, endpointPath, type Route, routeTable } from "./http/routes.js";
import { callerScope } from "./identity.js";
import { serveLegacy } from "./legacy-http.js";
import { type CallerScope, createServer } from "./server.js";
import type { TaskStore } from "./tasks.js";

export { MAX_BODY_BYTES } from "./http/body.js";
export type { BodyReader, Inbound } from "./http/inbound.js";
export type { Backend } from "./http/routes.js";

/** Requests one process serves at once unless told otherwise; more are answered 503 before their body is read. */
export const DEFAULT_MAX_IN_FLIGHT = 64;
/** Revisions from this one on have no JSON-RPC batches (removed in 2025-06-18). */
const FIRST_REVISION_WITHOUT_BATCHES = "2025-06-18";

export interface HttpAppOptions extends Backend, HostRules {
  approvals: ApprovalSigner;
  /** More backends, each served at `<prefix>/mcp` and `<prefix>/mcp/readonly` (the Worker's sandbox). */
  mounts?: Record<string, Backend>;
  /** The longest one request may take, answer included. */
  requestDeadlineMs?: number;
  /** Requests served at once; beyond it, 503 with Retry-After. */
  maxInFlight?: number;
  /** What a request to a path with no endpoint is told. */
  notFound?: string;
  /** Told of refused requests and errors outside any call (never given headers or bodies). */
  onError?: (message: string) => void;
}

export interface HttpApp {
  fetch(request: Request): Promise<Response>;
  /** The same, for a runtime that has no web Request at hand (node:http): none is built unless MCP needs it. */
  serve(request: Inbound): Promise<Response>;
  close(): Promise<void>;
}

/** Who a request's MCP server is built for: typed, and held only as long as the request it is keyed by. */
interface Caller {
  scope: CallerScope;
  backend: Backend;
  readOnly: boolean;
  tasks?: TaskStore;
}

export function createHttpApp(options: HttpAppOptions): HttpApp {
  const routes = routeTable(options, options.mounts);
  const callers = new WeakMap<Request, Caller>();
  const serverFor = (caller: Caller | undefined): Server => {
    if (!caller) throw new Error("no caller for this request");
    return createServer({
      ...caller.scope,
      config: { ...caller.backend.config, readOnly: caller.readOnly },
      approvals: caller.backend.approvals ?? options.approvals,
      tasks: caller.tasks,
    });
  };
  const onerror = (error: Error) => options.onError?.(error.message);
  const mcp = createMcpHandler(({ requestInfo }) => serverFor(requestInfo && callers.get(requestInfo)), {
    onerror,
  });
  const deadlineMs = options.requestDeadlineMs ?? 120_000;
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  let inFlight = 0;
  const refuse = (message: string, response: Response) => {
    options.onError?.(message);
    return response;
  };

  const serve = async (request: Inbound): Promise<Response> => {
    const host = checkHost(request, options);
    if (host.kind === "malformed")
      return refuse(
        "refused a request whose Host is malformed",
        text(400, "Bad request: the Host header is not a host name."),
      );
    if (host.kind === "not-allowed")
      return refuse(
        "refused a request whose Host is not allowed",
        text(403, "Forbidden: this Host is not allowed (see --allowed-hosts)."),
      );
    const route = routes.get(endpointPath(request.url));
    if (!route) return text(404, options.notFound ?? "Not found. MCP is served at POST /mcp.");
    if (!originAllowed(request, options))
      return refuse(
        "refused a request from an Origin that is not allowed",
        text(403, "Forbidden: this Origin may not call this server (see --allowed-origins)."),
      );
    if (request.method !== "POST") {
      return text(405, "Method not allowed: this server is stateless; send JSON-RPC with POST.", {
        allow: "POST",
      });
    }
    if (inFlight >= maxInFlight) {
      return refuse(
        "refused a request: too many in flight",
        text(503, `Busy: this server is answering ${maxInFlight} requests already; try again shortly.`, {
          "retry-after": "1",
          connection: "close",
        }),
      );
    }
    inFlight++;
    let held = true;
    const release = () => {
      if (held) inFlight--;
      held = false;
    };
    try {
      const response = await admitted(request, route, release);
      return response;
    } catch (error) {
      release();
      throw error;
    }
  };

  /** The steps after the cap: whatever they answer, `release` runs once the answer is over. */
  const admitted = async (request: Inbound, route: Route, release: () => void): Promise<Response> => {
    const { backend } = route;
    const token = backend.sandbox ? undefined : bearerToken(request.header("authorization"));
    if (!backend.sandbox && token === undefined) {
      release();
      return text(
        401,
        "Unauthorized: send your Cloudflare API token as the header `Authorization: Bearer <token>` (permissions: SSL and Certificates Read, plus Edit for changes, and Zone Read for find_zone).",
        { "www-authenticate": 'Bearer realm="cloudflare-ssl-mcp"', connection: "close" },
      );
    }
    const body = await readBody(request);
    if (body.kind !== "ok") {
      release();
      if (body.kind === "too_large")
        return jsonRpcError(413, -32600, `Request body over ${MAX_BODY_BYTES} bytes`, {
          connection: "close",
        });
      if (body.kind === "too_complex")
        return jsonRpcError(413, -32600, `Request too complex: ${body.problem}`);
      return jsonRpcError(400, -32700, "Parse error: the body is not JSON");
    }
    const revision = request.header("mcp-protocol-version");
    if (Array.isArray(body.json) && revision !== null && revision >= FIRST_REVISION_WITHOUT_BATCHES) {
      release();
      return jsonRpcError(
        400,
        -32600,
        `Invalid request: protocol revision ${revision} has no JSON-RPC batches (removed in ${FIRST_REVISION_WITHOUT_BATCHES}); send one message per request`,
      );
    }
    const credentials = backend.sandbox ? backend.sandbox.credentials : { token: token as string };
    const readOnly = backend.config.readOnly || route.readOnly || headerNarrowsToReadOnly(request);
    const caller: Caller = {
      scope: await callerScope(credentials, backend.budgets, backend.client),
      backend,
      readOnly,
      tasks: backend.tasksFor?.(credentials),
    };
    return withinDeadline(
      request.signal,
      body.json,
      deadlineMs,
      async (signal) => {
        // Both paths take the parsed body. The modern one stops the call on its request's signal; the 2025
        // transport never reads its request's signal (the exchange ends on `signal` itself), so its request
        // follows none.
        let unsignalled: Request | undefined;
        const plain = () => {
          unsignalled ??= request.forMcp();
          return unsignalled;
        };
        if (await servedAsLegacyBy(request.header("mcp-protocol-version"), body.json, plain))
          return serveLegacy(serverFor(caller), plain(), signal, { parsedBody: body.json });
        const inner = request.forMcp(signal);
        callers.set(inner, caller);
        return mcp.fetch(inner, { parsedBody: body.json });
      },
      release,
    );
  };

  return { fetch: (request) => serve(inboundOf(request)), serve, close: () => mcp.close() };
}
