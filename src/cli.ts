// The one impure edge: reads argv and env, starts the sandbox if asked, serves MCP over stdio, and exits
// cleanly when the client leaves or the process is told to stop.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CloudflareClient } from "./client/cloudflare.js";
import { ConfigError, HELP, parseInvocation } from "./config.js";
import { stderrLogger } from "./log.js";
import { redactorFor } from "./redact.js";
import type { SandboxServer } from "./sandbox/node.js";
import { createServer } from "./server.js";
import { NAME, VERSION } from "./version.js";

const SANDBOX_TOKEN = "sandbox-token";

async function main(): Promise<void> {
  let invocation: ReturnType<typeof parseInvocation>;
  try {
    invocation = parseInvocation(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${NAME}: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (invocation.kind === "help") {
    process.stdout.write(HELP);
    return;
  }
  if (invocation.kind === "version") {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const { config } = invocation;
  const redact = redactorFor(config.credentials);
  const log = stderrLogger({ debug: config.debug, redact });
  for (const notice of config.notices) log.info(notice);

  // Installed before anything starts, so a stop at any moment closes what exists and nothing else.
  let sandbox: SandboxServer | undefined;
  let client: CloudflareClient | undefined;
  let server: ReturnType<typeof createServer> | undefined;
  let closing = false;
  const shutdown = async (why: string) => {
    if (closing) return;
    closing = true;
    log.debug(`shutting down: ${why}`);
    // Everything is closed below and the process then ends by itself, so a leaked socket or timer shows
    // as this timer firing. It is unref'd: it never keeps the process alive.
    setTimeout(() => {
      log.info(`forced exit: still active after close: ${process.getActiveResourcesInfo().join(", ")}`);
      process.exit(0);
    }, 2000).unref();
    await server?.close().catch(() => {});
    await client?.destroy().catch(() => {});
    await sandbox?.close().catch(() => {});
    process.stdin.destroy();
  };
  process.stdin.on("end", () => void shutdown("stdin closed"));
  process.stdin.on("close", () => void shutdown("stdin closed"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  // A client gone mid-write must not crash the process with EPIPE.
  process.stdout.on("error", () => void shutdown("stdout closed"));

  if (config.sandbox) {
    // Loaded only when asked for, so a normal start does not load the sandbox.
    const [{ createSandbox }, { startSandboxServer }] = await Promise.all([
      import("./sandbox/handler.js"),
      import("./sandbox/node.js"),
    ]);
    sandbox = await startSandboxServer(createSandbox({ token: SANDBOX_TOKEN }));
    log.info(`sandbox: simulated Cloudflare API at ${sandbox.url}; nothing real is read or changed`);
  } else if (!config.credentials) {
    log.info(
      "no CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY): tools are listed, calls will say what to set",
    );
  }

  client = new CloudflareClient({
    baseUrl: sandbox?.url ?? config.baseUrl,
    credentials: sandbox ? { token: SANDBOX_TOKEN } : config.credentials,
    timeoutMs: config.timeoutMs,
    userAgent: `${NAME}/${VERSION}`,
    rateBudget: config.rateBudget,
    onRequest: config.debug
      ? (method, path, status, ms) => log.debug(`${method} ${path} -> ${status} in ${ms} ms`)
      : undefined,
  });
  server = createServer({ config, client, redact });

  await server.connect(new StdioServerTransport());
}

main().catch((error) => {
  process.stderr.write(`${NAME}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
