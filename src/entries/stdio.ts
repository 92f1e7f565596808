// The local server: one MCP connection over stdin/stdout, for one caller (the credentials in the
// environment). Over-long or broken input ends the process with a message, never silently.
import type { JSONRPCMessage } from "@modelcontextprotocol/server";
import { StdioServerTransport, serveStdio } from "@modelcontextprotocol/server/stdio";
import type { Config } from "../config/index.js";
import { callerScope } from "../core/identity.js";
import { createServer } from "../core/server.js";
import { MemoryTaskStore } from "../core/tasks.js";
import type { Handover } from "./front.js";
import type { Logger } from "./log.js";
import { nodeRuntime, SANDBOX_TOKEN } from "./shared.js";

/** One stdin line may hold at most this much; a longer one is refused and the process ends non-zero. */
export const MAX_LINE_BYTES = 10 * 1024 * 1024;

export async function runStdio(
  config: Config,
  log: Logger,
  onStop: (stop: () => Promise<void>) => void,
  fail: (why: string) => void,
  handover?: Handover,
) {
  const runtime = await nodeRuntime(config, log);
  if (!config.sandbox && !config.credentials) {
    log.info(
      "no CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY): tools are listed, calls will say what to set",
    );
  }
  const scope = await callerScope(
    config.sandbox ? { token: SANDBOX_TOKEN } : config.credentials,
    runtime.budgets,
    runtime.client,
  );
  const transport = handover
    ? new TakingOver(handover)
    : new StdioServerTransport(process.stdin, process.stdout, { maxBufferSize: MAX_LINE_BYTES });
  // One store for the connection's servers: a 2026-07-28 client may follow long calls as tasks.
  const tasks = new MemoryTaskStore();
  const handle = serveStdio(() => createServer({ ...scope, config, approvals: runtime.approvals, tasks }), {
    transport,
    onerror: (error) => {
      if (/buffer|exceed|too large|size/i.test(error.message)) {
        log.info(`stopping: a message on stdin is over ${MAX_LINE_BYTES} bytes (${error.message})`);
        fail("over-long message on stdin");
      }
    },
  });
  handover?.reading();
  const stop = async () => {
    await handle.close().catch(() => {});
    await runtime.close();
  };
  onStop(stop);
  // After the front, the opening is answered and the client is choosing a tool: what its first call needs (the
  // tool specs, undici) loads now rather than in that call, and is in the compile cache cli.ts flushes next.
  if (handover) await Promise.all([import("../tools/registry.js"), import("undici")]);
}

/**
 * The stdio transport on the front's relay of stdin (entries/front.ts), dropping the answers to the messages
 * the front replays: the client has them already.
 */
class TakingOver extends StdioServerTransport {
  private readonly replayed: Set<string>;

  constructor(handover: Handover) {
    super(handover.input, process.stdout, { maxBufferSize: MAX_LINE_BYTES });
    this.replayed = handover.replayed;
  }

  override send(message: JSONRPCMessage): Promise<void> {
    const answer = !("method" in message) && "id" in message;
    if (answer && typeof message.id === "string" && this.replayed.delete(message.id))
      return Promise.resolve();
    return super.send(message);
  }
}
