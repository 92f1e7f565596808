// npm run bench:worker: the Worker as `wrangler dev` runs it on this machine, against a local fake Cloudflare
// API on 127.0.0.1. Measures the bundle (as `npm run worker:size` builds it), a cold start (spawn to ready, then
// the first requests of a fresh isolate), the deployed bundle's top-level evaluation (in Node, what an isolate runs
// before its first request), and tools/call latency through the Worker for both protocol eras,
// next to the Node HTTP server and a direct request to the same fake. Loopback only; every process it starts
// is stopped before it exits. Writes bench/results/worker.json.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from "@modelcontextprotocol/client";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { DEMO_ZONE_ID } from "../src/sandbox/state.js";
import { startFakeCloudflare } from "../test/helpers/fake-cloudflare.js";
import { CLI, percentile, round, table } from "./lib.js";

const quick = process.argv.includes("--quick");
const CALLS = quick ? 100 : 400;
const WARMUP = 30;
const COLD_RUNS = quick ? 2 : 5;
const EVALUATION_RUNS = quick ? 5 : 15;
const TOKEN = "bench-token-0123456789abcdef";
const ZONE = DEMO_ZONE_ID;
const TOOL = { name: "get_universal_ssl_settings", arguments: { zone_id: ZONE } };
const WRANGLER = "node_modules/wrangler/bin/wrangler.js";
const QUIET_WRANGLER = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

interface Started {
  origin: string;
  readyMs: number;
  /** The process group it runs in (wrangler and the workerd it starts share it). */
  group: number;
  stop(): Promise<void>;
}

/** Spawns a server in its own process group and waits for the line that names its address. */
function startServer(
  args: string[],
  env: Record<string, string>,
  stream: "stdout" | "stderr",
  pattern: RegExp,
): Promise<Started> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const force = setTimeout(() => process.kill(-(child.pid as number), "SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(force);
        done();
      });
      process.kill(-(child.pid as number), "SIGTERM");
    });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`no address within 60 s:\n${output}`));
    }, 60_000);
    child.stdout?.resume();
    child.stderr?.resume();
    child[stream]?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const origin = pattern.exec(output)?.[1];
      if (origin) {
        clearTimeout(timer);
        resolve({ origin, readyMs: performance.now() - started, group: child.pid as number, stop });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${output}`));
    });
  });
}

function startWorker(apiBase: string, state: string) {
  const args = [WRANGLER, "dev", "--ip", "127.0.0.1", "--port", "0", "--persist-to", state];
  args.push("--var", `CLOUDFLARE_BASE_URL:${apiBase}`, "--show-interactive-dev-session=false");
  return startServer(args, QUIET_WRANGLER, "stdout", /Ready on (http:\/\/127\.0\.0\.1:\d+)/);
}

function startNodeHttp(apiBase: string) {
  const args = [CLI, "--http", "--port", "0", "--rate-limit", "0"];
  return startServer(args, { CLOUDFLARE_BASE_URL: apiBase }, "stderr", /(http:\/\/127\.0\.0\.1:\d+)\/mcp/);
}

/** The one import the deployed bundle keeps, `cloudflare:workers`, stood in for by empty classes. */
const LOADER = `export async function resolve(specifier, context, next) {
  if (specifier !== "cloudflare:workers") return next(specifier, context);
  return { shortCircuit: true, url: "data:text/javascript,export class WorkerEntrypoint {} export class DurableObject {} export const env = {};" };
}`;

/**
 * Builds the bundle as `wrangler deploy` would and imports it in fresh Node processes: the milliseconds its
 * top level takes (module evaluation, as an isolate's start), one figure per process.
 */
function bundleEvaluation(runs: number): number[] {
  const dir = mkdtempSync(join(tmpdir(), "bench-worker-bundle-"));
  try {
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...QUIET_WRANGLER };
    const out = join(dir, "out");
    const built = spawnSync(process.execPath, [WRANGLER, "deploy", "--dry-run", "--outdir", out], {
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    if (built.status !== 0)
      throw new Error(`wrangler deploy --dry-run failed:\n${built.stdout}${built.stderr}`);
    writeFileSync(join(dir, "loader.mjs"), LOADER);
    const loader = pathToFileURL(join(dir, "loader.mjs")).href;
    writeFileSync(
      join(dir, "register.mjs"),
      `import { register } from "node:module";\nregister("${loader}");\n`,
    );
    const bundle = JSON.stringify(pathToFileURL(join(out, "worker.js")).href);
    const script = `const t = performance.now(); await import(${bundle}); console.log("evaluated-ms", performance.now() - t);`;
    const register = pathToFileURL(join(dir, "register.mjs")).href;
    return Array.from({ length: runs }, () => {
      const run = spawnSync(process.execPath, ["--import", register, "--input-type=module", "-e", script], {
        encoding: "utf8",
        timeout: 60_000,
      });
      const ms = /evaluated-ms ([\d.]+)/.exec(run.stdout)?.[1];
      if (!ms) throw new Error(`the bundle did not load:\n${run.stdout}${run.stderr}`);
      return Number(ms);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const headers = { authorization: `Bearer ${TOKEN}` };

/**
 * User and system CPU (ms) used so far by the processes of `group` whose command name matches: workerd for
 * the Worker (wrangler itself only proxies), node for the Node server. From /proc, in 10 ms clock ticks: a
 * figure per call needs a few hundred calls to be read to within a few percent.
 */
function groupCpuMs(group: number, command: RegExp): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== group || !command.test(name)) continue;
    total += (Number(fields[11]) + Number(fields[12])) * 10;
  }
  return total;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function rawPost(url: string, body: unknown) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      ...headers,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response.text();
}

const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
};
const call = { jsonrpc: "2.0", id: 2, method: "tools/call", params: TOOL };

/** A callTool through a connected client of either era. */
async function clientOf(era: "2026-07-28" | "2025", url: URL) {
  if (era === "2025") {
    const client = new LegacyClient({ name: "bench", version: "1" });
    await client.connect(new LegacyTransport(url, { requestInit: { headers } }));
    return { call: () => client.callTool(TOOL), close: () => client.close() };
  }
  const client = new ModernClient(
    { name: "bench", version: "1" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  await client.connect(new ModernTransport(url, { requestInit: { headers } }));
  return { call: () => client.callTool(TOOL), close: () => client.close() };
}

async function series(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) times.push(await timed(fn));
  return times;
}

const stats = (times: number[]) => ({
  p50: round(percentile(times, 50)),
  p90: round(percentile(times, 90)),
  p99: round(percentile(times, 99)),
});

const fake = await startFakeCloudflare({ token: TOKEN });
const state = mkdtempSync(join(tmpdir(), "bench-worker-"));
const running: Started[] = [];
try {
  const size = spawnSync(process.execPath, ["scripts/worker-size.mjs"], {
    encoding: "utf8",
    timeout: 120_000,
  });
  const sizeLine = /worker bundle: ([\d.]+) KiB raw, ([\d.]+) KiB gzipped/.exec(size.stdout);
  if (!sizeLine) throw new Error(`worker:size printed no sizes:\n${size.stdout}${size.stderr}`);
  const bundle = { rawKiB: Number(sizeLine[1]), gzipKiB: Number(sizeLine[2]) };
  const evaluation = bundleEvaluation(EVALUATION_RUNS);

  // Cold: a fresh `wrangler dev` each run; the first initialize and the first tools/call are the isolate's first.
  const cold: { readyMs: number; firstInitialize: number; firstCall: number; secondCall: number }[] = [];
  for (let run = 0; run < COLD_RUNS; run++) {
    const worker = await startWorker(fake.url, state);
    running.push(worker);
    const url = `${worker.origin}/mcp`;
    const firstInitialize = await timed(() => rawPost(url, initialize));
    const firstCall = await timed(() => rawPost(url, call));
    const secondCall = await timed(() => rawPost(url, call));
    cold.push({ readyMs: worker.readyMs, firstInitialize, firstCall, secondCall });
    await worker.stop();
    running.pop();
  }

  // Warm: one Worker, one Node server, the same fake and tool.
  const worker = await startWorker(fake.url, state);
  running.push(worker);
  const node = await startNodeHttp(fake.url);
  running.push(node);
  const perCall: Record<string, number[]> = {};
  const cpuPerCall: Record<string, number> = {};
  const before = fake.log.length;
  for (const [name, server, command] of [
    ["Worker (wrangler dev)", worker, /workerd/],
    ["Node --http", node, /node|MainThread/],
  ] as const) {
    for (const era of ["2026-07-28", "2025"] as const) {
      const client = await clientOf(era, new URL(`${server.origin}/mcp`));
      const cpuBefore = groupCpuMs(server.group, command);
      perCall[`${name}, ${era}`] = await series(client.call);
      cpuPerCall[`${name}, ${era}`] = round(
        (groupCpuMs(server.group, command) - cpuBefore) / (WARMUP + CALLS),
        3,
      );
      await client.close();
    }
  }
  const apiPerCall = (fake.log.length - before) / (4 * (CALLS + WARMUP));
  const direct = `${fake.url}/zones/${ZONE}/ssl/universal/settings`;
  perCall["direct fetch to the fake"] = await series(async () => (await fetch(direct, { headers })).json());

  const median = (pick: (c: (typeof cold)[number]) => number) => round(percentile(cold.map(pick), 50));
  console.log(`\nWorker bundle: ${bundle.rawKiB} KiB raw, ${bundle.gzipKiB} KiB gzipped`);
  console.log(
    `Its top level, evaluated in Node (${EVALUATION_RUNS} fresh processes): median ${round(percentile(evaluation, 50))} ms, fastest ${round(Math.min(...evaluation))} ms\n`,
  );
  console.log(`Cold start, ${COLD_RUNS} runs of a fresh wrangler dev (median ms)`);
  console.log(
    table([
      ["spawn to ready", "first initialize", "first tools/call", "second tools/call"],
      [
        median((c) => c.readyMs),
        median((c) => c.firstInitialize),
        median((c) => c.firstCall),
        median((c) => c.secondCall),
      ],
    ]),
  );
  console.log(
    `\n${TOOL.name}, ${CALLS} sequential calls after ${WARMUP} warm-up (ms; API requests per call: ${apiPerCall})`,
  );
  console.log(
    table([
      ["path", "p50", "p90", "p99", "server CPU ms per call"],
      ...Object.entries(perCall).map(([name, times]) => {
        const s = stats(times);
        return [name, s.p50, s.p90, s.p99, cpuPerCall[name] ?? ""];
      }),
    ]),
  );
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(
    "bench/results/worker.json",
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpus: cpus().length,
        calls: CALLS,
        bundle,
        evaluationMs: evaluation.map((ms) => round(ms)),
        cold,
        perCall: Object.fromEntries(
          Object.entries(perCall).map(([name, times]) => [
            name,
            { ...stats(times), cpuMsPerCall: cpuPerCall[name] },
          ]),
        ),
      },
      null,
      2,
    )}\n`,
  );
} finally {
  for (const server of running.reverse()) await server.stop().catch(() => {});
  await fake.close();
  rmSync(state, { recursive: true, force: true });
}
