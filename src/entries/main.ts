// What the bin runs once it needs more than the opening of a stdio session (cli.ts): reads argv and env, then
// serves over stdio or HTTP, and stops cleanly when the client leaves or the process is told to stop.
import { ConfigError, HELP, parseInvocation } from "../config/index.js";
import { redactorFor } from "../core/redact.js";
import { NAME, VERSION } from "../version.js";
import type { Handover } from "./front.js";
import { stderrLogger } from "./log.js";

/** With `handover`, stdin has been read up to there by the front (entries/front.ts), and the SDK goes on. */
export async function main(handover?: Handover): Promise<void> {
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
  if (invocation.kind === "help") return void process.stdout.write(HELP);
  if (invocation.kind === "version") return void process.stdout.write(`${VERSION}\n`);
  const { config } = invocation;
  const log = stderrLogger({ debug: config.debug, redact: redactorFor(config.credentials).text });
  for (const notice of config.notices) log.info(notice);

  let stop: (() => Promise<void>) | undefined;
  let closing = false;
  const shutdown = async (why: string) => {
    if (closing) return;
    closing = true;
    log.debug(`shutting down: ${why}`);
    // Everything is closed below and the process then ends by itself, so a leaked socket or timer shows
    // as this timer firing. It is unref'd: it never keeps the process alive.
    setTimeout(
      () => {
        log.info(`forced exit: still active after close: ${process.getActiveResourcesInfo().join(", ")}`);
        process.exit(process.exitCode ?? 0);
      },
      config.http ? 12_000 : 2000,
    ).unref();
    await stop?.();
    if (!config.http) {
      process.stdin.destroy();
      handover?.input.destroy();
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  const register = (fn: () => Promise<void>) => {
    stop = fn;
  };
  if (config.http) {
    const { runHttp } = await import("./node-http.js");
    await runHttp(config, config.http, log, register);
  } else {
    // After the front (cli.ts), its relay stands for stdin: it ends once what came before stdin's end is read.
    const stdin = handover?.input ?? process.stdin;
    stdin.on("end", () => void shutdown("stdin closed"));
    stdin.on("close", () => void shutdown("stdin closed"));
    // A client gone mid-write must not crash the process with EPIPE.
    process.stdout.on("error", () => void shutdown("stdout closed"));
    const { runStdio } = await import("./stdio.js");
    await runStdio(
      config,
      log,
      register,
      (why) => {
        process.exitCode = 1;
        void shutdown(why);
      },
      handover,
    );
  }
}
