// The HTTP section of `npm run bench`: the built server with --http on loopback, against the same fake as
// the rest of the suite. Per-call overhead over a direct request to the fake (both protocol eras),
// throughput with 64 concurrent clients, and RSS over 20,000 calls at the default heap and with the heap capped. Requests are written by hand with
// undici, as curl would send them, so that the figures are the server's and not a client library's.
import { spawn } from "node:child_process";
import { Agent, request } from "undici";
import { DEMO_ZONE_ID } from "../src/sandbox/state.js";
import type { FakeCloudflare } from "../test/helpers/fake-cloudflare.js";
import { CLI, inFlight, memoryOf, percentile, round, table } from "./lib.js";

const ZONE = DEMO_ZONE_ID;
const TOOL = "get_universal_ssl_settings";

type Call = () => Promise<void>;

/** The built server with --http on a free loopback port; resolves with its URL once it listens. */
export function startHttp(args: string[], env: Record<string, string>, nodeArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, CLI, "--http", "--port", "0", ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  return new Promise<{ url: string; pid: number; stop: () => Promise<void> }>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const url = /serving MCP over HTTP at (http:\/\/\S+\/mcp)\b/.exec(stderr)?.[1];
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

const stats = (t: number[]) => ({ p50: round(percentile(t, 50), 3), p99: round(percentile(t, 99), 3) });

export async function httpBench(fake: FakeCloudflare, token: string, quick: boolean) {
  const server = await startHttp(["--rate-limit", "0"], { CLOUDFLARE_BASE_URL: fake.url });
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

    console.log(
      "\n## HTTP: per-call overhead, tools/call over HTTP vs a direct undici request to the same fake (ms)",
    );
    const n = quick ? 300 : 2000;
    for (const fn of [direct, legacy, modern]) await timeEach(fn, 200);
    const seq = {
      direct: await timeEach(direct, n),
      legacy: await timeEach(legacy, n),
      modern: await timeEach(modern, n),
    };
    const overhead = (t: number[], p: number) => round(percentile(t, p) - percentile(seq.direct, p), 3);
    console.log(
      table([
        ["path", "p50", "p99", "overhead p50", "overhead p99"],
        ["direct undici, sequential", stats(seq.direct).p50, stats(seq.direct).p99, "", ""],
        [
          "HTTP tools/call, 2025 era (JSON)",
          stats(seq.legacy).p50,
          stats(seq.legacy).p99,
          overhead(seq.legacy, 50),
          overhead(seq.legacy, 99),
        ],
        [
          "HTTP tools/call, 2026-07-28",
          stats(seq.modern).p50,
          stats(seq.modern).p99,
          overhead(seq.modern, 50),
          overhead(seq.modern, 99),
        ],
      ]),
    );
    report.overhead = {
      calls: n,
      direct: stats(seq.direct),
      era2025: {
        ...stats(seq.legacy),
        overheadP50: overhead(seq.legacy, 50),
        overheadP99: overhead(seq.legacy, 99),
      },
      era20260728: {
        ...stats(seq.modern),
        overheadP50: overhead(seq.modern, 50),
        overheadP99: overhead(seq.modern, 99),
      },
    };

    console.log("\n## HTTP: throughput, 64 concurrent clients");
    const total = quick ? 2000 : 8000;
    const width = 64;
    const par = {
      direct: await inFlight(direct, total, width),
      legacy: await inFlight(legacy, total, width),
      modern: await inFlight(modern, total, width),
    };
    const row = (name: string, r: { times: number[]; perSecond: number }) => [
      name,
      Math.round(r.perSecond),
      stats(r.times).p50,
      stats(r.times).p99,
    ];
    console.log(
      table([
        ["path", "calls/s", "p50", "p99"],
        row("direct undici, 64 in flight", par.direct),
        row("HTTP tools/call 2025 era, 64 clients", par.legacy),
        row("HTTP tools/call 2026-07-28, 64 clients", par.modern),
      ]),
    );
    report.throughput64 = {
      calls: total,
      direct: { perSecond: Math.round(par.direct.perSecond), ...stats(par.direct.times) },
      era2025: { perSecond: Math.round(par.legacy.perSecond), ...stats(par.legacy.times) },
      era20260728: { perSecond: Math.round(par.modern.perSecond), ...stats(par.modern.times) },
    };

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
  }
  return report;
}
