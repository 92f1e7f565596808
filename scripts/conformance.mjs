// Runs the official MCP conformance suite's server scenarios against this server and holds the result to
// conformance/baseline.json: a failure the baseline lists (with its reason) is expected, any other failure
// fails the run, and a listed scenario that now passes is reported so its entry can go.
//
//   npm run conformance                      builds, starts `--http --sandbox` on a free port, runs the suite
//   npm run conformance -- --worker          the same against the Worker's /sandbox/mcp under `wrangler dev`
//   npm run conformance -- --url URL         runs against a server already listening (e.g. the Worker under
//                                            `npm run worker:dev`: --url http://127.0.0.1:8787/sandbox/mcp)
//   npm run conformance -- --baseline FILE   holds the run to another baseline
//
// The suite needs Node 22 or later; it runs on a Node 22 taken from the npm registry, whatever runs this.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { localWranglerEnv, wranglerBin } from "./wrangler-local.mjs";

const SUITE = "@modelcontextprotocol/conformance@0.1.16";
const SUITE_NODE = "node@22";
const START_TIMEOUT_MS = 15_000;
const WRANGLER_START_TIMEOUT_MS = 60_000;
const SUITE_TIMEOUT_MS = 300_000;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: options } = parseArgs({
  options: {
    url: { type: "string" },
    worker: { type: "boolean", default: false },
    baseline: { type: "string", default: join(root, "conformance/baseline.json") },
  },
});

const baseline = readBaseline(resolve(options.baseline));
const results = mkdtempSync(join(tmpdir(), "conformance-"));
let server;
try {
  let url = options.url;
  if (!url && options.worker) {
    server = await startWorker();
    url = server.url;
  } else if (!url) {
    await run(process.execPath, [join(root, "scripts/build.mjs")], { timeoutMs: 120_000 });
    server = await startServer();
    url = server.url;
  }
  console.log(`conformance: ${SUITE} on ${SUITE_NODE} against ${url}`);
  const suite = await run(
    "npx",
    [
      "-y",
      "-p",
      SUITE_NODE,
      "-p",
      SUITE,
      "conformance",
      "server",
      "--url",
      url,
      "--suite",
      "all",
      "-o",
      results,
    ],
    {
      timeoutMs: SUITE_TIMEOUT_MS,
      capture: true,
      env: { npm_config_loglevel: "error", npm_config_update_notifier: "false" },
    },
  );
  process.exitCode = judge(parseSummary(suite.stdout), baseline);
} catch (error) {
  console.error(`conformance: ${error.message}`);
  process.exitCode = 1;
} finally {
  await server?.stop();
  rmSync(results, { recursive: true, force: true });
}

function readBaseline(path) {
  const parsed = JSON.parse(readFileSync(path, "utf8"));
  if (typeof parsed.expectedFailures !== "object" || parsed.expectedFailures === null) {
    throw new Error(`${path}: "expectedFailures" must map each scenario to the reason it fails`);
  }
  if (parsed.suite !== SUITE) {
    console.warn(`conformance: ${path} was written for ${parsed.suite}, this run uses ${SUITE}`);
  }
  return parsed.expectedFailures;
}

/** The suite's own summary is the one place that lists every scenario it ran, a crashed one included. */
function parseSummary(stdout) {
  const outcomes = new Map();
  const summary = stdout.slice(stdout.lastIndexOf("=== SUMMARY ==="));
  for (const match of summary.matchAll(/^([✓✗]) (\S+): (\d+) passed, (\d+) failed$/gmu)) {
    outcomes.set(match[2], { passed: match[1] === "✓" && match[4] === "0" });
  }
  if (outcomes.size === 0) {
    process.stdout.write(stdout);
    throw new Error("the suite printed no summary; its output is above");
  }
  return outcomes;
}

/** The failed checks a scenario saved, so an unexpected failure says what went wrong. */
function failedChecks(scenario) {
  const dir = readdirSync(results).find((name) => name.startsWith(`server-${scenario}-`));
  if (!dir || !existsSync(join(results, dir, "checks.json")))
    return ["(no checks saved: the scenario crashed)"];
  const checks = JSON.parse(readFileSync(join(results, dir, "checks.json"), "utf8"));
  return checks
    .filter((c) => c.status === "FAILURE")
    .map((c) => `${c.id}: ${c.errorMessage ?? c.description}`);
}

function judge(outcomes, expected) {
  let passed = 0;
  let expectedFailures = 0;
  const unexpected = [];
  const nowPassing = [];
  for (const [scenario, { passed: ok }] of outcomes) {
    const reason = expected[scenario];
    if (ok) {
      passed++;
      if (reason) nowPassing.push(scenario);
      console.log(`  pass              ${scenario}`);
    } else if (reason) {
      expectedFailures++;
      console.log(`  expected failure  ${scenario}: ${reason}`);
    } else {
      unexpected.push(scenario);
      console.log(`  FAILURE           ${scenario}`);
      for (const line of failedChecks(scenario)) console.log(`                      ${line}`);
    }
  }
  for (const scenario of nowPassing) {
    console.log(`conformance: ${scenario} now passes; remove it from the baseline`);
  }
  for (const scenario of Object.keys(expected).filter((name) => !outcomes.has(name))) {
    console.log(`conformance: the baseline lists ${scenario}, which the suite did not run`);
  }
  console.log(
    `conformance: ${passed} passed, ${expectedFailures} expected failures, ${unexpected.length} unexpected failures`,
  );
  return unexpected.length === 0 ? 0 : 1;
}

/** Starts `--http --sandbox` on a free loopback port and waits for the URL it prints on stderr. */
function startServer() {
  const child = spawn(process.execPath, [join(root, "dist/cli.js"), "--http", "--sandbox", "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
  });
  return ready(child, {
    stream: child.stderr,
    pattern: /http:\/\/127\.0\.0\.1:\d+\/mcp\b/,
    timeoutMs: START_TIMEOUT_MS,
    urlOf: (url) => url,
  });
}

/**
 * Starts the Worker under `wrangler dev` on a free loopback port, its local state in a temporary directory,
 * and waits for wrangler's "Ready on" line. Wrangler runs workerd as a child: both go in one process group,
 * stopped together.
 */
function startWorker() {
  const state = mkdtempSync(join(tmpdir(), "conformance-wrangler-"));
  const args = ["dev", "--ip", "127.0.0.1", "--port", "0", "--persist-to", state];
  const child = spawn(process.execPath, [wranglerBin, ...args, "--show-interactive-dev-session=false"], {
    cwd: root,
    env: localWranglerEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stderr.resume();
  return ready(child, {
    stream: child.stdout,
    pattern: /Ready on (http:\/\/127\.0\.0\.1:\d+)/,
    timeoutMs: WRANGLER_START_TIMEOUT_MS,
    urlOf: (_, origin) => `${origin}/sandbox/mcp`,
    group: true,
    cleanup: () => rmSync(state, { recursive: true, force: true }),
  });
}

/** Resolves once `stream` prints a line matching `pattern`, with the URL to test and a stop function. */
function ready(child, { stream, pattern, timeoutMs, urlOf, group = false, cleanup = () => {} }) {
  const signal = (name) => {
    try {
      // A detached child leads its own process group: signal the group, so its children stop too.
      process.kill(group ? -child.pid : child.pid, name);
    } catch {}
  };
  const stop = () =>
    new Promise((done) => {
      const finish = () => {
        cleanup();
        done();
      };
      if (child.exitCode !== null || child.signalCode !== null) return finish();
      const force = setTimeout(() => signal("SIGKILL"), 12_000);
      child.once("exit", () => {
        clearTimeout(force);
        finish();
      });
      signal("SIGTERM");
    });
  return new Promise((done, failed) => {
    let output = "";
    const timer = setTimeout(() => {
      void stop();
      failed(new Error(`the server printed no URL within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        stream.resume();
        done({ url: urlOf(...match), stop });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      failed(
        new Error(`the server exited (${signal ?? `code ${code}`}) before printing its URL:\n${output}`),
      );
    });
  });
}

function run(command, args, { timeoutMs, capture = false, env = {} }) {
  return new Promise((done, failed) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
    });
    let stdout = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.once("error", failed);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      // The suite exits 1 whenever a scenario fails; the summary, not the code, is what gets judged.
      if (signal || (code !== 0 && !capture)) {
        failed(new Error(`${command} ${args[0]} ended with ${signal ?? `code ${code}`}`));
      } else done({ stdout });
    });
  });
}
