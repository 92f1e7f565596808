// The remote server on Node: the shared HTTP app behind node:http. Each request names its own Cloudflare
// token; credentials in the environment are not used. SIGTERM stops accepting and lets calls finish.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Config, HttpConfig } from "../config/index.js";
import { createHttpApp, type HttpApp } from "../core/http-app.js";
import { MemoryTaskStore } from "../core/tasks.js";
import type { Logger } from "./log.js";
import { inboundFromNode, sendWebResponse } from "./node-request.js";
import { nodeRuntime, SANDBOX_TOKEN } from "./shared.js";

/** How long in-flight calls may finish after SIGTERM. */
export const DRAIN_MS = 10_000;

/**
 * The longest one request may take, answer included: room for a call's attempts and waits at
 * --timeout-ms each (120 s at the default), and no more.
 */
export const requestDeadlineMs = (timeoutMs: number) => 4 * timeoutMs;

export async function runHttp(
  config: Config,
  http: HttpConfig,
  log: Logger,
  onStop: (stop: () => Promise<void>) => void,
) {
  const hostname = http.host.includes(":") ? `[${http.host}]` : http.host;
  const deadlineMs = requestDeadlineMs(config.timeoutMs);
  let app: HttpApp | undefined;
  let appReady: (app: HttpApp) => void = () => {};
  // A request that arrives between listening and the app being built waits for it.
  const ready = new Promise<HttpApp>((resolve) => {
    appReady = resolve;
  });
  let origin = "";
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const gone = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) gone.abort();
    });
    let response: Response;
    try {
      response = await (await ready).serve(inboundFromNode(req, origin, gone.signal));
    } catch (error) {
      log.debug(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      response = new Response("Internal server error.\n", { status: 500 });
    }
    await sendWebResponse(res, response, gone.signal);
  };
  let draining = false;
  const server = createHttpServer(
    // Node checks its timeouts this often; at its default (30 s) a short deadline would not be kept.
    { connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(deadlineMs / 4))) },
    (req, res) => {
      // While draining, a connection ends with the answer it is carrying: no keep-alive holds the exit up.
      if (draining) res.shouldKeepAlive = false;
      res.once("finish", () => {
        if (draining) setImmediate(() => server.closeIdleConnections());
      });
      void handler(req, res);
    },
  );
  server.keepAliveTimeout = 5_000;
  // A request, headers and body, arrives within the deadline or not at all (Node's default is 300 s).
  server.requestTimeout = deadlineMs;
  server.headersTimeout = Math.min(deadlineMs, 60_000);
  // The port first: when it is taken, that is all the operator is told, before anything else starts.
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(portTaken(http)) : error),
    );
    server.listen({ port: http.port, host: http.host, backlog: 511 }, resolve);
  });
  const runtime = await nodeRuntime(config, log);
  const tasks = new MemoryTaskStore();
  app = createHttpApp({
    config,
    client: runtime.client,
    budgets: runtime.budgets,
    approvals: runtime.approvals,
    sandbox: config.sandbox ? { credentials: { token: SANDBOX_TOKEN } } : undefined,
    // The bound address itself is always a valid Host (127.0.0.2 is as loopback as 127.0.0.1).
    allowedHosts:
      http.loopback || http.allowedHosts.length
        ? { names: [hostname, ...http.allowedHosts], loopback: true }
        : undefined,
    allowedOrigins: http.allowedOrigins,
    loopbackOrigins: http.loopback,
    requestDeadlineMs: deadlineMs,
    maxInFlight: http.maxInFlight,
    onError: (message) => log.debug(message),
    // Tasks live in this process's memory and end with it; the store keeps each credential's apart.
    tasksFor: () => tasks,
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${hostname}:${port}`;
  origin = base;
  appReady(app);
  log.info(`serving MCP over HTTP at ${base}/mcp (read-only: ${base}/mcp/readonly)`);
  if (!config.sandbox) log.info("each request must carry Authorization: Bearer <Cloudflare API token>");

  onStop(async () => {
    draining = true;
    server.close();
    const drained = new Promise<void>((resolve) => server.once("close", () => resolve()));
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, DRAIN_MS).unref());
    server.closeIdleConnections();
    await Promise.race([drained, timeout]);
    server.closeAllConnections();
    await app?.close().catch(() => {});
    await runtime.close();
  });
}

function portTaken(http: HttpConfig): string {
  return `port ${http.port} on ${http.host} is already in use: stop what listens there, or choose another port with --port`;
}
