// The fleet section of npm run bench: triage of 1,000 zones with 20 planted problems against the local
// fake, through the built server over stdio. Prints wall time, API requests per zone, the most requests in
// flight at once, the server's peak RSS and the model-visible tokens of the answer.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { plantFleet, startFakeCloudflare } from "../test/helpers/fake-cloudflare.js";
import { rpcWith } from "../test/helpers/tasks-client.js";
import { CLI, connect, memoryOf, percentile, round, table } from "./lib.js";

const TOKEN = "bench-token";
const ZONES = 1000;
const PROBLEMS = 20;
/** Each answer of the fake is held this long, standing in for the API's latency, so requests overlap. */
const LATENCY_MS = 10;

export async function fleetBench(quick: boolean): Promise<Record<string, unknown>> {
  console.log(
    `\n## Fleet: triage of ${ZONES} zones with ${PROBLEMS} planted problems, ${LATENCY_MS} ms per API answer (fresh server each run)`,
  );
  const fake = await startFakeCloudflare({ token: TOKEN });
  fake.zones.clear();
  plantFleet(fake, ZONES, PROBLEMS, Date.now());
  fake.inject({ fault: { kind: "delay", ms: LATENCY_MS }, times: Number.MAX_SAFE_INTEGER });
  const runs: Record<string, number>[] = [];
  for (let run = 0; run < (quick ? 1 : 3); run++) {
    const server = await connect(["--rate-limit", "0"], {
      CLOUDFLARE_API_TOKEN: TOKEN,
      CLOUDFLARE_BASE_URL: fake.url,
    });
    const before = fake.log.length;
    fake.resetPeak();
    const started = performance.now();
    const result = await server.client.callTool({ name: "triage_certificates", arguments: {} }, undefined, {
      timeout: 300_000,
    });
    const ms = performance.now() - started;
    const text = (result.content as { text: string }[])[0]?.text ?? "";
    const totals = (result.structuredContent as { totals: Record<string, number> }).totals;
    if (totals.triaged !== ZONES || totals.with_problems !== PROBLEMS)
      throw new Error(`fleet triage found ${JSON.stringify(totals)}`);
    runs.push({
      ms: Math.round(ms),
      requestsPerZone: round((fake.log.length - before) / ZONES, 2),
      peakInFlight: fake.peakInFlight(),
      peakRssMiB: memoryOf(server.pid).peakMiB,
      textTokens: encode(text).length,
      structuredKiB: round(JSON.stringify(result.structuredContent).length / 1024, 1),
    });
    await server.client.close();
  }
  await fake.close();
  console.log(
    table([
      ["run", "wall ms", "requests/zone", "peak in flight", "peak RSS MiB", "text tokens", "structured KiB"],
      ...runs.map((r, i) => [
        i + 1,
        r.ms as number,
        r.requestsPerZone as number,
        r.peakInFlight as number,
        r.peakRssMiB as number,
        r.textTokens as number,
        r.structuredKiB as number,
      ]),
    ]),
  );
  console.log("targets: requests/zone ≤ 6, peak in flight ≤ 8, peak RSS ≤ 150 MiB, text tokens ≤ 2,000");
  return { zones: ZONES, problems: PROBLEMS, latencyMs: LATENCY_MS, runs };
}

/** The overhead of following a task: tasks/get round trips to the built server over HTTP (Node), sandbox. */
export async function taskOverheadBench(quick: boolean): Promise<Record<string, unknown>> {
  console.log(
    "\n## Tasks: tasks/get round trip on Node over HTTP (sandbox, one completed fleet-triage task)",
  );
  const child = spawn(process.execPath, [CLI, "--http", "--port", "0", "--sandbox"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
        const match = /serving MCP over HTTP at (http:\/\/\S+\/mcp)\b/.exec(stderr);
        if (match) resolve(match[1] as string);
      });
      child.once("exit", () => reject(new Error(`the server exited: ${stderr}`)));
    });
    const rpc = rpcWith(url, undefined);
    const created = await rpc.call("tools/call", { name: "triage_certificates", arguments: {} });
    const taskId = created.result?.taskId as string;
    if (!taskId) throw new Error(`no task: ${JSON.stringify(created)}`);
    while ((await rpc.call("tasks/get", { taskId })).result?.status === "working");
    const count = quick ? 200 : 1000;
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const answer = await rpc.call("tasks/get", { taskId });
      times.push(performance.now() - started);
      if (answer.result?.status !== "completed") throw new Error("the task is not completed");
    }
    const figures = {
      requests: count,
      p50Ms: round(percentile(times, 50), 2),
      p95Ms: round(percentile(times, 95), 2),
      p99Ms: round(percentile(times, 99), 2),
    };
    console.log(
      table([
        ["tasks/get", "p50 ms", "p95 ms", "p99 ms"],
        [count, figures.p50Ms, figures.p95Ms, figures.p99Ms],
      ]),
    );
    return figures;
  } finally {
    child.kill();
  }
}

/** The same round trip under `wrangler dev`: the task in its Durable Object, the Worker in front of it. */
export async function taskOverheadWranglerBench(quick: boolean): Promise<Record<string, unknown>> {
  console.log(
    "\n## Tasks: tasks/get round trip under wrangler dev (Durable Object; one completed fleet-triage task)",
  );
  const fake = await startFakeCloudflare({ token: TOKEN });
  const state = mkdtempSync(join(tmpdir(), "fleet-bench-"));
  const child = spawn(
    process.execPath,
    [
      "node_modules/wrangler/bin/wrangler.js",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      "0",
      "--persist-to",
      state,
      "--var",
      `CLOUDFLARE_BASE_URL:${fake.url}`,
      "--var",
      `APPROVAL_KEY:${"b".repeat(40)}`,
      "--show-interactive-dev-session=false",
    ],
    {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_SEND_ERROR_REPORTS: "false",
        WRANGLER_HIDE_BANNER: "true",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  const stop = () => {
    try {
      process.kill(-(child.pid as number), "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      let output = "";
      const timer = setTimeout(
        () => reject(new Error(`wrangler dev was not ready in 60 s:\n${output}`)),
        60_000,
      );
      child.stderr?.resume();
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        output += chunk;
        const match = /Ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      });
    });
    const rpc = rpcWith(`${origin}/mcp`, TOKEN);
    const created = await rpc.call("tools/call", { name: "triage_certificates", arguments: {} });
    const taskId = created.result?.taskId as string;
    if (!taskId) throw new Error(`no task: ${JSON.stringify(created)}`);
    for (;;) {
      const status = (await rpc.call("tasks/get", { taskId })).result?.status;
      if (status !== "working") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const count = quick ? 100 : 400;
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const answer = await rpc.call("tasks/get", { taskId });
      times.push(performance.now() - started);
      if (answer.result?.status !== "completed") throw new Error(`the task is ${answer.result?.status}`);
    }
    const figures = {
      requests: count,
      p50Ms: round(percentile(times, 50), 2),
      p95Ms: round(percentile(times, 95), 2),
    };
    console.log(
      table([
        ["tasks/get", "p50 ms", "p95 ms"],
        [count, figures.p50Ms, figures.p95Ms],
      ]),
    );
    return figures;
  } finally {
    stop();
    await fake.close();
    rmSync(state, { recursive: true, force: true });
  }
}
