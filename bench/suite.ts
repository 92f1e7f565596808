// npm run bench: start-up, token footprint, per-call overhead, scale, result size and memory. Prints a
// table per section and writes bench/results/latest.json.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { Agent, request } from "undici";
import { redactorFor } from "../src/core/redact.js";
import { DEMO_ZONE_ID, type Pack } from "../src/sandbox/state.js";
import { toolDefinition } from "../src/tools/definition.js";
import { TOOLS } from "../src/tools/registry.js";
import { type FakeCloudflare, startFakeCloudflare } from "../test/helpers/fake-cloudflare.js";
import { fleetBench, taskOverheadBench, taskOverheadWranglerBench } from "./fleet.js";
import { floodBench } from "./flood.js";
import { httpBench } from "./http.js";
import { CLI, coldStart, connect, inFlight, memoryOf, percentile, round, table, timeProcess } from "./lib.js";

const TOKEN = "bench-token";
const ZONE = DEMO_ZONE_ID;
const quick = process.argv.includes("--quick");
const option = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
/** --only startup (or tokens, overhead, size, scale, memory, deadlines, redact, http, flood, fleet) runs one section; --runs N sets start-up's runs. */
const only = option("--only");
const wanted = (name: string) => !process.argv.includes("--only") || only === name;
const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
  },
};
const tokens = (value: unknown) => encode(typeof value === "string" ? value : JSON.stringify(value)).length;
const bytes = (value: unknown) =>
  Buffer.byteLength(typeof value === "string" ? value : JSON.stringify(value));
const section = (title: string) => console.log(`\n## ${title}`);
/** The built server against the fake, with no rate budget: the benchmarks measure the server, not the wait. */
const serverAgainst = (fake: FakeCloudflare) =>
  connect(["--rate-limit", "0"], { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: fake.url });

async function unbundledBuild(): Promise<string> {
  const files = readdirSync("src", { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join("src", f));
  await build({
    entryPoints: files,
    outdir: "bench/.out/unbundled",
    format: "esm",
    platform: "node",
    target: "node20",
    supported: { "import-attributes": true },
    // The bin names the module it loads after the opening; the build of the bundle sets it (scripts/build.mjs).
    define: { MAIN_MODULE: JSON.stringify("./entries/main.js") },
    logLevel: "warning",
  });
  // Not bundled, the generated listing is read as a file beside its module.
  copyFileSync("src/tools/listing.generated.json", "bench/.out/unbundled/tools/listing.generated.json");
  return "bench/.out/unbundled/cli.js";
}

/** A client's pause between the tool list and its first call, for the model to pick a tool. */
const CALL_DELAY_MS = 500;

async function startup(fake: FakeCloudflare) {
  section("Cold start: spawn to initialize answer and to tools/list answer (ms)");
  const runs = Number(option("--runs") ?? (quick ? 5 : 15));
  // --baseline path/to/another/dist/cli.js adds that build as a variant, measured alike: a before and after.
  const baseline = option("--baseline");
  const servers: Record<string, string> = {
    bundle: CLI,
    unbundled: await unbundledBuild(),
    ...(baseline && { [`baseline (${baseline})`]: baseline }),
  };
  const called = [CLI, ...(baseline ? [baseline] : [])];
  const env = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: "http://127.0.0.1:9/client/v4" };
  const callEnv = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: fake.url };
  const call = { name: "get_universal_ssl_settings", arguments: { zone_id: ZONE } };
  const samples = new Map(
    Object.keys(servers).map((name) => [name, { initialize: [] as number[], list: [] as number[] }]),
  );
  const calls = new Map(called.map((cli) => [cli, { atOnce: [] as number[], later: [] as number[] }]));
  const bare: number[] = [];
  // Interleaved, so that a busy moment of the machine touches every variant alike. Bare Node runs with the
  // same binary and the same environment as the server (bench/lib.ts).
  for (let i = 0; i < runs + 2; i++) {
    const warmUp = i < 2; // warm the file cache
    for (const [name, cli] of Object.entries(servers)) {
      const r = await coldStart(process.execPath, [cli], env);
      if (warmUp) continue;
      samples.get(name)?.initialize.push(r.initialize);
      samples.get(name)?.list.push(r.list);
    }
    for (const cli of called) {
      const atOnce = await coldStart(process.execPath, [cli, "--rate-limit", "0"], callEnv, call);
      const later = await coldStart(
        process.execPath,
        [cli, "--rate-limit", "0"],
        callEnv,
        call,
        CALL_DELAY_MS,
      );
      if (warmUp) continue;
      calls.get(cli)?.atOnce.push(atOnce.call);
      calls.get(cli)?.later.push(later.call);
    }
    const n = await timeProcess(process.execPath, ["-e", ""], env);
    if (!warmUp) bare.push(n);
  }
  const figures = (values: number[]) => ({
    p50: round(percentile(values, 50)),
    p10: round(percentile(values, 10)),
    p90: round(percentile(values, 90)),
  });
  const bareMedian = percentile(bare, 50);
  const rows: (string | number)[][] = [
    ["variant", "initialize p50", "tools/list p50", "p10", "p90", "× bare node"],
  ];
  const result: Record<string, unknown> = { runs, bareNodeMs: figures(bare) };
  for (const [name, s] of samples) {
    const list = figures(s.list);
    rows.push([
      name,
      round(percentile(s.initialize, 50)),
      list.p50,
      list.p10,
      list.p90,
      round(list.p50 / bareMedian),
    ]);
    result[name] = {
      initializeP50: round(percentile(s.initialize, 50)),
      listP50: list.p50,
      listP10: list.p10,
      listP90: list.p90,
      ratioToBareNode: round(list.p50 / bareMedian),
    };
  }
  const b = figures(bare);
  rows.push(['node -e "" (exit)', "", b.p50, b.p10, b.p90, 1]);
  console.log(table(rows));
  const callRows: (string | number)[][] = [
    [`first tools/call (${call.name}), from writing it to its answer`, "p50", "p10", "p90"],
  ];
  const firstCalls: Record<string, unknown> = {};
  for (const [cli, c] of calls) {
    const name = cli === CLI ? "bundle" : "baseline";
    callRows.push([`${name}, written as tools/list is answered`, ...Object.values(figures(c.atOnce))]);
    callRows.push([`${name}, written ${CALL_DELAY_MS} ms after`, ...Object.values(figures(c.later))]);
    firstCalls[name] = {
      atOnce: figures(c.atOnce),
      afterDelay: { delayMs: CALL_DELAY_MS, ...figures(c.later) },
    };
  }
  console.log(table(callRows));
  result.firstCallMs = firstCalls;
  report.startup = result;
}

function footprint() {
  section("Token footprint (o200k)");
  const visible = (d: ReturnType<typeof toolDefinition>) => ({
    name: d.name,
    title: d.title,
    description: d.description,
    inputSchema: d.inputSchema,
  });
  const all = TOOLS.map(toolDefinition);
  const readOnly = TOOLS.filter((t) => t.kind === "read").map(toolDefinition);
  const rows: (string | number)[][] = [["tool", "visible tokens", "whole tokens", "whole bytes"]];
  for (const d of all) rows.push([d.name, tokens(visible(d)), tokens(d), bytes(d)]);
  const totals = {
    tools: all.length,
    modelVisibleTokens: tokens(all.map(visible)),
    wholeListTokens: tokens({ tools: all }),
    wholeListBytes: bytes({ tools: all }),
    readOnlyTools: readOnly.length,
    readOnlyModelVisibleTokens: tokens(readOnly.map(visible)),
    readOnlyWholeListTokens: tokens({ tools: readOnly }),
  };
  rows.push(["TOTAL (all tools)", totals.modelVisibleTokens, totals.wholeListTokens, totals.wholeListBytes]);
  rows.push([
    `TOTAL (read-only, ${readOnly.length})`,
    totals.readOnlyModelVisibleTokens,
    totals.readOnlyWholeListTokens,
    bytes({ tools: readOnly }),
  ]);
  console.log(table(rows));
  report.tokens = {
    ...totals,
    perTool: Object.fromEntries(all.map((d) => [d.name, { visible: tokens(visible(d)), whole: tokens(d) }])),
  };
}

async function overhead(fake: FakeCloudflare) {
  section("Per-call overhead: tools/call over stdio vs a direct undici request to the same fake (ms)");
  const n = quick ? 300 : 2000;
  const server = await serverAgainst(fake);
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const url = `${fake.url}/zones/${ZONE}/ssl/universal/settings`;
  const direct = async () => {
    const res = await request(url, { dispatcher: agent, headers: { authorization: `Bearer ${TOKEN}` } });
    await res.body.json();
  };
  const viaMcp = async () => {
    const r = await server.client.callTool({
      name: "get_universal_ssl_settings",
      arguments: { zone_id: ZONE },
    });
    if (r.isError) throw new Error(JSON.stringify(r.content));
  };
  const timeEach = async (fn: () => Promise<void>, count: number) => {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    return times;
  };
  await timeEach(direct, 200);
  await timeEach(viaMcp, 200);
  const seqDirect = await timeEach(direct, n);
  const seqMcp = await timeEach(viaMcp, n);
  const parDirect = await inFlight(direct, n, 32);
  const parMcp = await inFlight(viaMcp, n, 32);
  const row = (name: string, t: number[], perSecond?: number) => [
    name,
    round(percentile(t, 50), 3),
    round(percentile(t, 99), 3),
    perSecond ? Math.round(perSecond) : "",
  ];
  console.log(
    table([
      ["path", "p50", "p99", "calls/s"],
      row("direct undici, sequential", seqDirect),
      row("MCP tools/call, sequential", seqMcp),
      row("direct undici, 32 in flight", parDirect.times, parDirect.perSecond),
      row("MCP tools/call, 32 in flight", parMcp.times, parMcp.perSecond),
    ]),
  );
  const overheadP50 = percentile(seqMcp, 50) - percentile(seqDirect, 50);
  const overheadP99 = percentile(seqMcp, 99) - percentile(seqDirect, 99);
  console.log(
    `overhead added by the server, sequential: p50 ${round(overheadP50, 3)} ms, p99 ${round(overheadP99, 3)} ms`,
  );
  report.overhead = {
    calls: n,
    sequential: {
      directP50: round(percentile(seqDirect, 50), 3),
      directP99: round(percentile(seqDirect, 99), 3),
      mcpP50: round(percentile(seqMcp, 50), 3),
      mcpP99: round(percentile(seqMcp, 99), 3),
      overheadP50: round(overheadP50, 3),
      overheadP99: round(overheadP99, 3),
    },
    inFlight32: {
      directP50: round(percentile(parDirect.times, 50), 3),
      directP99: round(percentile(parDirect.times, 99), 3),
      directPerSecond: Math.round(parDirect.perSecond),
      mcpP50: round(percentile(parMcp.times, 50), 3),
      mcpP99: round(percentile(parMcp.times, 99), 3),
      mcpPerSecond: Math.round(parMcp.perSecond),
    },
  };
  await agent.close();
  await server.client.close();
}

function fill(fake: FakeCloudflare, count: number) {
  const zone = fake.zones.get(ZONE);
  if (!zone) throw new Error("demo zone missing");
  for (const key of [...zone.packs.keys()]) if (key.startsWith("bench")) zone.packs.delete(key);
  const statuses = ["active", "active", "active", "pending_validation", "validation_timed_out"];
  for (let i = 0; i < count; i++) {
    const pack: Pack = {
      id: `bench${String(i).padStart(27, "0")}`,
      type: "advanced",
      status: statuses[i % statuses.length] as string,
      hosts: ["example.com", `h${i}.example.com`],
      validation_method: "txt",
      validity_days: 90,
      certificate_authority: "google",
      certificates: [],
    };
    zone.packs.set(pack.id, pack);
  }
}

async function scale(fake: FakeCloudflare) {
  section("Scale: all pages of a large zone, and triage of it (fresh server each)");
  const rows: (string | number)[][] = [["packs", "tool", "ms", "requests", "peak RSS MiB", "result tokens"]];
  const results: Record<string, unknown>[] = [];
  for (const count of quick ? [2000] : [2000, 10_000]) {
    fill(fake, count);
    for (const [tool, args] of [
      ["list_certificate_packs", { zone_id: ZONE, status: "all", all_pages: true }],
      ["triage_certificates", { zone_id: ZONE }],
    ] as const) {
      const server = await serverAgainst(fake);
      const before = fake.log.length;
      const started = performance.now();
      const result = await server.client.callTool({ name: tool, arguments: args }, undefined, {
        timeout: 120_000,
      });
      const ms = performance.now() - started;
      const text = (result.content as { text: string }[])[0]?.text ?? "";
      const entry = {
        packs: count,
        tool,
        ms: Math.round(ms),
        requests: fake.log.length - before,
        peakRssMiB: memoryOf(server.pid).peakMiB,
        resultTokens: tokens(text),
        resultBytes: bytes(text),
      };
      results.push(entry);
      rows.push([count, tool, entry.ms, entry.requests, entry.peakRssMiB, entry.resultTokens]);
      await server.client.close();
    }
  }
  console.log(table(rows));
  report.scale = results;
  fill(fake, 0);
}

async function resultSize(fake: FakeCloudflare) {
  section("Result size: a 50-pack page as the tool returns it vs the raw API answer");
  fill(fake, 60);
  const server = await serverAgainst(fake);
  const viaTool = await server.client.callTool({
    name: "list_certificate_packs",
    arguments: { zone_id: ZONE, status: "all", per_page: 50 },
  });
  const toolText = (viaTool.content as { text: string }[])[0]?.text ?? "";
  const raw = await fetch(`${fake.url}/zones/${ZONE}/ssl/certificate_packs?status=all&per_page=50`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const rawText = await raw.text();
  const figures = {
    toolTokens: tokens(toolText),
    rawTokens: tokens(rawText),
    toolBytes: bytes(toolText),
    rawBytes: bytes(rawText),
  };
  console.log(
    table([
      ["form", "tokens", "bytes"],
      ["tool result (text block)", figures.toolTokens, figures.toolBytes],
      ["raw API JSON", figures.rawTokens, figures.rawBytes],
      ["ratio", round(figures.toolTokens / figures.rawTokens), round(figures.toolBytes / figures.rawBytes)],
    ]),
  );
  report.resultSize = figures;
  await server.client.close();
  fill(fake, 0);
}

async function memory(fake: FakeCloudflare) {
  section("Memory: RSS after start and after 10,000 calls");
  const calls = quick ? 2000 : 10_000;
  const server = await serverAgainst(fake);
  const afterStart = memoryOf(server.pid).rssMiB;
  const samples: number[] = [];
  const names = [
    "get_universal_ssl_settings",
    "get_certificate_pack_quota",
    "get_automatic_ssl_mode",
    "list_certificate_packs",
  ];
  for (let i = 1; i <= calls; i++) {
    await server.client.callTool({ name: names[i % names.length] as string, arguments: { zone_id: ZONE } });
    if (i % 1000 === 0) samples.push(memoryOf(server.pid).rssMiB);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const afterCalls = memoryOf(server.pid).rssMiB;
  const secondHalf = samples.slice(Math.floor(samples.length / 2));
  const figures = {
    calls,
    afterStartMiB: afterStart,
    afterCallsMiB: afterCalls,
    everyThousandMiB: samples,
    growthSecondHalfMiB: round(Math.max(...secondHalf) - Math.min(...secondHalf), 1),
  };
  console.log(
    table([
      ["after start", "after calls", "growth over the second half", "per 1,000 calls"],
      [`${afterStart} MiB`, `${afterCalls} MiB`, `${figures.growthSecondHalfMiB} MiB`, samples.join(" ")],
    ]),
  );
  report.memory = figures;
  await server.client.close();
}

/**
 * A read whose answer trickles in one byte every 200 ms, three times: each attempt ends at its 1,000 ms deadline,
 * the client waits its default backoffs (200, 800 and 2,000 ms) and the fourth attempt succeeds. The figure of
 * interest is how far past those 6,000 ms the call ends. test/safety.test.ts checks the behaviour, not the time.
 */
const TRICKLED_CALL_FLOOR_MS = 3 * 1000 + 200 + 800 + 2000;
async function deadlines(fake: FakeCloudflare) {
  section("Deadlines: a trickled answer, three attempts of 1,000 ms each, then a good one");
  const runs = quick ? 2 : 5;
  const server = await connect(["--rate-limit", "0", "--timeout-ms", "1000"], {
    CLOUDFLARE_API_TOKEN: TOKEN,
    CLOUDFLARE_BASE_URL: fake.url,
  });
  const took: number[] = [];
  for (let i = 0; i < runs; i++) {
    fake.inject({ fault: { kind: "trickle", everyMs: 200 }, path: "/quota", times: 3 });
    const started = performance.now();
    await server.client.callTool({ name: "get_certificate_pack_quota", arguments: { zone_id: ZONE } });
    took.push(performance.now() - started);
  }
  fake.clearFaults();
  const sorted = [...took].sort((a, b) => a - b);
  const figures = {
    runs,
    p50Ms: round(percentile(took, 50), 0),
    minMs: round(sorted[0] as number, 0),
    maxMs: round(sorted.at(-1) as number, 0),
    beyondDeadlinesAndBackoffP50Ms: round(percentile(took, 50) - TRICKLED_CALL_FLOOR_MS, 0),
  };
  console.log(
    table([
      ["runs", "p50 ms", "min ms", "max ms", "p50 beyond the deadlines and backoffs (6,000 ms)"],
      [runs, figures.p50Ms, figures.minMs, figures.maxMs, figures.beyondDeadlinesAndBackoffP50Ms],
    ]),
  );
  report.deadlines = figures;
  await server.client.close();
}

/** The redactor over 1 MB of API-like text with a Global API key and its email planted in several encodings. */
function redaction() {
  section("Redaction: 1 MB of mixed text, secrets planted in several encodings");
  const email = "owner@example.org";
  const key = "0123456789abcdef0123456789abcdef01234";
  const redact = redactorFor({ email, key });
  const filler = '{"id":"023e105f4ecef8ad9ca31a8372d0c353","hosts":["a.example.com"],"status":"active"}\n';
  const planted = [
    key,
    Buffer.from(`${email}:${key}`).toString("base64"),
    Buffer.from(key).toString("hex"),
    email.toUpperCase(),
  ];
  let text = "";
  for (let i = 0; text.length < 1_000_000; i++) text += filler.repeat(500) + planted[i % planted.length];
  const runs = quick ? 5 : 20;
  const took: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const started = performance.now();
    redact.text(text);
    if (i >= 2) took.push(performance.now() - started);
  }
  const figures = { megabytes: round(text.length / 1e6, 2), runs, p50Ms: round(percentile(took, 50), 1) };
  console.log(
    table([
      ["MB", "runs (after 2 warm-up)", "p50 ms"],
      [figures.megabytes, runs, figures.p50Ms],
    ]),
  );
  report.redact = figures;
}

const fake = await startFakeCloudflare({ token: TOKEN });
if (wanted("startup")) await startup(fake);
if (wanted("tokens")) footprint();
if (wanted("overhead")) await overhead(fake);
if (wanted("size")) await resultSize(fake);
if (wanted("scale")) await scale(fake);
if (wanted("memory")) await memory(fake);
if (wanted("deadlines")) await deadlines(fake);
if (wanted("redact")) redaction();
if (wanted("http")) report.http = await httpBench(fake, TOKEN, quick);
if (wanted("flood")) report.flood = await floodBench(fake, TOKEN, quick);
if (wanted("fleet")) {
  report.fleet = {
    triage: await fleetBench(quick),
    tasks: await taskOverheadBench(quick),
    workerTasks: await taskOverheadWranglerBench(quick),
  };
}
await fake.close();
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/latest.json", `${JSON.stringify(report, null, 2)}\n`);
console.log("\nwrote bench/results/latest.json");
