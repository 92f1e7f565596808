// The bin, built as a small CommonJS file of its own (scripts/build.mjs): a plain stdio start answers the
// session's opening from the generated listing (entries/front.ts) before the SDK and zod load, which is most of
// the time a start takes (BENCHMARKS.md). Everything else, and everything after the opening, is the ES module
// bundle that entries/main.ts starts.
import { writeSync } from "node:fs";
import module from "node:module";
import { parseInvocation } from "./config/parse.js";
import { advertised } from "./core/advertised.js";
import { type Handover, serveOpening } from "./entries/front.js";
import { NAME } from "./version.js";

/** The bundle's main module, relative to this file; the build names it. */
declare const MAIN_MODULE: string;
/** Quiet time after the opening's answers before the SDK loads anyway, so the first call does not wait for it. */
const IDLE_MS = 50;

// Node's compile cache (22.1 and later) lets a later start read the bundle's compiled code instead of compiling
// it again. Node writes it at a clean exit, and clients usually kill a stdio server: so it is flushed as soon as
// the bundle has loaded and serves, which is after the opening's answers are out.
const compileCache = module as { enableCompileCache?: () => unknown; flushCompileCache?: () => void };
compileCache.enableCompileCache?.();

const quit = (error: unknown) => {
  process.stderr.write(`${NAME}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
};

/** `release` runs just before main, which then says what a signal or a closed stdout does. */
function run(handover?: Handover, release = () => {}) {
  (import(MAIN_MODULE) as Promise<typeof import("./entries/main.js")>)
    .then(({ main }) => {
      release();
      return main(handover);
    })
    .then(() => compileCache.flushCompileCache?.())
    .catch(quit);
}

/**
 * The configuration when this start is a plain stdio server; anything else (and any error) is main's. The
 * sandbox starts its simulated API at start-up and says where, and --debug logs from the first message.
 */
function plainStdio() {
  try {
    const invocation = parseInvocation(process.argv.slice(2), process.env);
    if (invocation.kind !== "run") return undefined;
    const { config } = invocation;
    return config.http || config.sandbox || config.debug ? undefined : config;
  } catch {
    return undefined;
  }
}

/**
 * Writes the opening's answers straight to file descriptor 1: creating process.stdout (a stream over the pipe)
 * is a measurable part of a start, and main creates it anyway, after the opening. Node makes stdout pipes
 * blocking; should this one not be, the rest goes through process.stdout, which waits for the pipe.
 */
function writeOut(text: string) {
  const bytes = Buffer.from(text);
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(1, bytes, offset);
  } catch (error) {
    if ((error as { code?: string }).code === "EAGAIN")
      return void process.stdout.write(bytes.subarray(offset));
    process.exit(0); // EPIPE and the like: the client is gone
  }
}

const config = plainStdio();
if (config) {
  // Until main runs, nothing is open but stdin and stdout: a signal to stop ends the process at once, cleanly.
  // Main says what a signal does from then on.
  const stop = () => process.exit(0);
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  serveOpening(
    // The stdio server keeps tasks in memory (entries/stdio.ts), so it declares the tasks extension.
    advertised({ ...config, tasks: true }),
    process.stdin,
    { write: writeOut },
    {
      idleMs: IDLE_MS,
      onHandover: (handover) =>
        run(handover, () => {
          process.off("SIGTERM", stop);
          process.off("SIGINT", stop);
        }),
    },
  );
} else run();
