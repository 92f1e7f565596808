// The HTTP section of `npm run bench`: the built server with --http on loopback, against the same fake as
// the rest of the suite. Per-call overhead over a direct request to the fake (both protocol eras),
// the same against a bare node:http server making the same upstream request (the floor a server can reach),
// throughput with 64 concurrent clients, and RSS over 20,000 calls at the default heap and with the heap capped. Requests are written by hand with
// undici, as curl would send them, so that the figures are the server's and not a client library's.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "undici";
import { DEMO_ZONE_ID } from "../src/sandbox/state.js";
import type { FakeCloudflare } from "../test/helpers/fake-cloudflare.js";
import { CLI, inFlight, memoryOf, percentile, round, table } from "./lib.js";

const ZONE = DEMO_ZONE_ID;
const TOOL = "get_universal_ssl_settings";
/** BENCH_HTTP_CLI=<path to another build's cli.js> measures that build instead, to compare two back-to-back. */
const SERVER_CLI = process.env.BENCH_HTTP_CLI || CLI;

type Call = () => Promise<void>;

/** The built server with --http on a free loopback port; resolves with its URL once it listens. */
export function startHttp(args: string[], env: Record<string, string>, nodeArgs: string[] = []) {
  return startListening([...nodeArgs, SERVER_CLI, "--http", "--port", "0", ...args], env);
}

/** The bare node:http server (bench/bare-http.mjs) making the same upstream request. */
function startBare(fakeUrl: string) {
  return startListening(["bench/bare-http.mjs", fakeUrl, ZONE], {});
}

function startListening(nodeArgs: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, nodeArgs, {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  return new Promise<{ url: string; pid: number; stop: () => Promise<void> }>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const url = /(?:serving MCP over HTTP|bare server) at (http:\/\/\S+\/mcp)\b/.exec(stderr)?.[1];
      if (url)
        resolve({
          url,
          pid: child.pid as number,
          stop: () =>
            new Promise((done) => {
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
    });
    child.once("exit", (code) => reject(new Error(`the HTTP server exited with ${code}: ${stderr}`)));
  });
}

/** tools/call as each era sends it: 2025 (no handshake needed, stateless) and 2026-07-28 (the _meta envelope). */
export function eraCall(url: string, token: string, era: "2025" | "2026-07-28", agent: Agent): Call {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    authorization: `Bearer ${token}`,
    "mcp-protocol-version": era === "2025" ? "2025-06-18" : "2026-07-28",
    ...(era === "2025" ? {} : { "mcp-method": "tools/call", "mcp-name": TOOL }),
  };
  const meta =
    era === "2025"
      ? {}
      : {
          _meta: {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1.0.0" },
            "io.modelcontextprotocol/clientCapabilities": {},
          },
        };
  const body = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name: TOOL, arguments: { zone_id: ZONE }, ...meta },
  });
  return async () => {
    const res = await request(url, { method: "POST", headers, body, dispatcher: agent });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`HTTP ${res.statusCode}`);
    }
    const answer = (await res.body.json()) as { result?: { isError?: boolean }; error?: unknown };
    if (res.statusCode !== 200 || !answer.result || answer.result.isError)
      throw new Error(`HTTP ${res.statusCode}: ${JSON.stringify(answer).slice(0, 300)}`);
  };
}

async function timeEach(fn: Call, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times;
}

/** RSS of a fresh server from start through `calls` calls (both eras alternating), sampled every 1,000. */
async function rssOver(fakeUrl: string, token: string, calls: number, nodeArgs: string[]) {
  const server = await startHttp(["--rate-limit", "0"], { CLOUDFLARE_BASE_URL: fakeUrl }, nodeArgs);
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  try {
    const afterStartMiB = memoryOf(server.pid).rssMiB;
    const legacy = eraCall(server.url, token, "2025", agent);
    const modern = eraCall(server.url, token, "2026-07-28", agent);
    const samples: number[] = [];
    let turn = 0;
    await inFlight(
      () => (turn++ % 2 ? modern() : legacy()),
      calls,
      16,
      (done) => {
        if (done % 1000 === 0) samples.push(memoryOf(server.pid).rssMiB);
      },
    );
    const secondHalf = samples.slice(Math.floor(samples.length / 2));
    return {
      calls,
      afterStartMiB,
      afterCallsMiB: memoryOf(server.pid).rssMiB,
      peakMiB: memoryOf(server.pid).peakMiB,
      secondHalfMinMiB: Math.min(...secondHalf),
      secondHalfMaxMiB: Math.max(...secondHalf),
      growthSecondHalfMiB: round(Math.max(...secondHalf) - Math.min(...secondHalf), 1),
      everyThousandMiB: samples,
    };
  } finally {
    await agent.close();
    await server.stop();
  }
}

/** User and system CPU time a process has used, in ms, from /proc (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const stats = (t: number[]) => ({ p50: round(percentile(t, 50), 3), p99: round(percentile(t, 99), 3) });

export async function httpBench(fake: FakeCloudflare, token: string, quick: boolean) {
  // --cpu-prof: the server writes a V8 CPU profile of the whole run to bench/.out/profiles when it stops.
  const profile = process.argv.includes("--cpu-prof")
    ? ["--cpu-prof", "--cpu-prof-dir=bench/.out/profiles"]
    : [];
  const server = await startHttp(["--rate-limit", "0"], { CLOUDFLARE_BASE_URL: fake.url }, profile);
  const bareServer = await startBare(fake.url);
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 128 });
  const report: Record<string, unknown> = {};
  try {
    const directUrl = `${fake.url}/zones/${ZONE}/ssl/universal/settings`;
    const direct: Call = async () => {
      const res = await request(directUrl, {
        dispatcher: agent,
        headers: { authorization: `Bearer ${token}` },
      });
      await res.body.json();
    };
    const legacy = eraCall(server.url, token, "2025", agent);
    const modern = eraCall(server.url, token, "2026-07-28", agent);
    const bare = eraCall(bareServer.url, token, "2025", agent);

    console.log(
      "\n## HTTP: per-call overhead, tools/call over HTTP vs a direct undici request to the same fake (ms)",
    );
    const n = quick ? 300 : 2000;
    for (const fn of [direct, bare, legacy, modern]) await timeEach(fn, 200);
    const seq = {
      direct: await timeEach(direct, n),
      bare: await timeEach(bare, n),
      legacy: await timeEach(legacy, n),
      modern: await timeEach(modern, n),
    };
    const overhead = (t: number[], p: number) => round(percentile(t, p) - percentile(seq.direct, p), 3);
    const overBare = (t: number[]) => round(percentile(t, 50) - percentile(seq.bare, 50), 3);
    console.log(
      table([
        ["path", "p50", "p99", "overhead p50", "overhead p99", "over bare p50"],
        ["direct undici, sequential", stats(seq.direct).p50, stats(seq.direct).p99, "", "", ""],
        [
          "bare node:http server, same upstream request",
          stats(seq.bare).p50,
          stats(seq.bare).p99,
          overhead(seq.bare, 50),
          overhead(seq.bare, 99),
          "",
        ],
        [
          "HTTP tools/call, 2025 era (JSON)",
          stats(seq.legacy).p50,
          stats(seq.legacy).p99,
          overhead(seq.legacy, 50),
          overhead(seq.legacy, 99),
          overBare(seq.legacy),
        ],
        [
          "HTTP tools/call, 2026-07-28",
          stats(seq.modern).p50,
          stats(seq.modern).p99,
          overhead(seq.modern, 50),
          overhead(seq.modern, 99),
          overBare(seq.modern),
        ],
      ]),
    );
    report.overhead = {
      calls: n,
      direct: stats(seq.direct),
      bare: { ...stats(seq.bare), overheadP50: overhead(seq.bare, 50), overheadP99: overhead(seq.bare, 99) },
      era2025: {
        ...stats(seq.legacy),
        overheadP50: overhead(seq.legacy, 50),
        overheadP99: overhead(seq.legacy, 99),
        overBareP50: overBare(seq.legacy),
      },
      era20260728: {
        ...stats(seq.modern),
        overheadP50: overhead(seq.modern, 50),
        overheadP99: overhead(seq.modern, 99),
        overBareP50: overBare(seq.modern),
      },
    };

    console.log("\n## HTTP: throughput, 64 concurrent clients");
    const total = quick ? 2000 : 8000;
    const width = 64;
    // The CPU the serving process spent per call: unlike wall time, other load on the machine barely moves it.
    const measured = async (fn: Call, pid?: number) => {
      const before = pid === undefined ? 0 : cpuMsOf(pid);
      const result = await inFlight(fn, total, width);
      return { ...result, cpuMsPerCall: pid === undefined ? undefined : (cpuMsOf(pid) - before) / total };
    };
    const par = {
      direct: await measured(direct),
      bare: await measured(bare, bareServer.pid),
      legacy: await measured(legacy, server.pid),
      modern: await measured(modern, server.pid),
    };
    const row = (name: string, r: { times: number[]; perSecond: number; cpuMsPerCall?: number }) => [
      name,
      Math.round(r.perSecond),
      stats(r.times).p50,
      stats(r.times).p99,
      r.cpuMsPerCall === undefined ? "" : round(r.cpuMsPerCall, 3),
    ];
    console.log(
      table([
        ["path", "calls/s", "p50", "p99", "server CPU ms per call"],
        row("direct undici, 64 in flight", par.direct),
        row("bare node:http server, 64 clients", par.bare),
        row("HTTP tools/call 2025 era, 64 clients", par.legacy),
        row("HTTP tools/call 2026-07-28, 64 clients", par.modern),
      ]),
    );
    report.throughput64 = {
      calls: total,
      direct: { perSecond: Math.round(par.direct.perSecond), ...stats(par.direct.times) },
      bare: {
        perSecond: Math.round(par.bare.perSecond),
        ...stats(par.bare.times),
        cpuMsPerCall: round(par.bare.cpuMsPerCall ?? 0, 3),
      },
      era2025: {
        perSecond: Math.round(par.legacy.perSecond),
        ...stats(par.legacy.times),
        cpuMsPerCall: round(par.legacy.cpuMsPerCall ?? 0, 3),
      },
      era20260728: {
        perSecond: Math.round(par.modern.perSecond),
        ...stats(par.modern.times),
        cpuMsPerCall: round(par.modern.cpuMsPerCall ?? 0, 3),
      },
    };

    if (process.argv.includes("--no-memory")) return report;
    console.log("\n## HTTP: RSS over 20,000 calls, sampled every 1,000 (fresh server each, 16 in flight)");
    const calls = quick ? 5000 : 20_000;
    const runs = {
      defaultHeap: await rssOver(fake.url, token, calls, []),
      oldSpace64MiB: await rssOver(fake.url, token, calls, ["--max-old-space-size=64"]),
    };
    console.log(
      table([
        ["heap", "after start", "after calls", "peak", "second half (growth)", "every 1,000 calls"],
        ...Object.entries(runs).map(([name, r]) => [
          name === "defaultHeap" ? "default" : "old space capped at 64 MiB",
          `${r.afterStartMiB} MiB`,
          `${r.afterCallsMiB} MiB`,
          `${r.peakMiB} MiB`,
          `${r.secondHalfMinMiB} to ${r.secondHalfMaxMiB} MiB (${r.growthSecondHalfMiB})`,
          r.everyThousandMiB.join(" "),
        ]),
      ]),
    );
    report.memory = runs;
  } finally {
    await agent.close();
    await server.stop();
    await bareServer.stop();
  }
  return report;
}
