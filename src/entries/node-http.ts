// The remote server on Node: the shared HTTP app behind node:http. Each request names its own Cloudflare
// token; credentials in the environment are not used. SIGTERM stops accepting and lets calls finish.
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { localhostAllowedHostnames } from "@modelcontextprotocol/server";
import type { Config, HttpConfig } from "../config/index.js";
import { createHttpApp } from "../core/http-app.js";
import { MemoryTaskStore } from "../core/tasks.js";
import type { Logger } from "./log.js";
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
  const runtime = await nodeRuntime(config, log);
  const loopback = http.loopback;
  const hostname = http.host.includes(":") ? `[${http.host}]` : http.host;
  const tasks = new MemoryTaskStore();
  const app = createHttpApp({
    config,
    client: runtime.client,
    budgets: runtime.budgets,
    approvals: runtime.approvals,
    sandbox: config.sandbox ? { credentials: { token: SANDBOX_TOKEN } } : undefined,
    // The bound address itself is always a valid Host (127.0.0.2 is as loopback as 127.0.0.1).
    allowedHosts:
      loopback || http.allowedHosts.length
        ? [...localhostAllowedHostnames(), hostname, ...http.allowedHosts]
        : undefined,
    allowedOrigins: http.allowedOrigins,
    loopbackOrigins: loopback,
    requestDeadlineMs: requestDeadlineMs(config.timeoutMs),
    onError: (message) => log.debug(message),
    // Tasks live in this process's memory and end with it; the store keeps each credential's apart.
    tasksFor: () => tasks,
  });
  const handler = toNodeHandler({ fetch: app.fetch }, { maxRequestBodySize: 1024 * 1024 + 1 });
  let draining = false;
  const server = createHttpServer((req, res) => {
    // While draining, a connection ends with the answer it is carrying: no keep-alive holds the exit up.
    if (draining) res.shouldKeepAlive = false;
    res.once("finish", () => {
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
    void handler(req, res);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(http.port, http.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${hostname}:${port}`;
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
    await app.close().catch(() => {});
    await runtime.close();
  });
}
