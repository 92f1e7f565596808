// What the benchmarks share: starting the server as a client would, timing, percentiles, process memory.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, dirname } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

export const CLI = "dist/cli.js";

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Resident and peak memory of a process, in MiB, from /proc. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMiB: round(kb("VmRSS") / 1024, 1), peakMiB: round(kb("VmHWM") / 1024, 1) };
}

/**
 * The environment every process a benchmark compares runs with: the same for the server and for bare Node, and
 * nothing of the benchmark's own (a variable such as NODE_EXTRA_CA_CERTS makes Node 20 read a file at start-up,
 * which would weigh on one side only). PATH leads to this Node, so a bin's `#!/usr/bin/env node` runs the same
 * binary as `process.execPath`.
 */
export function startEnv(env: Record<string, string> = {}): Record<string, string> {
  return { PATH: [dirname(process.execPath), process.env.PATH ?? ""].join(delimiter), ...env };
}

export async function connect(args: string[], env: Record<string, string>) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    env: startEnv(env),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(transport);
  await client.listTools();
  return { client, pid: transport.pid as number, stderr: () => stderr };
}

/**
 * Milliseconds from spawn to the initialize answer and to the tools/list answer, writing both requests at
 * once as a client does. With `call`, that tools/call is written `callDelayMs` after tools/list is answered (0:
 * at once; a client usually takes longer, for its model to pick a tool), and `call` is the milliseconds from
 * writing it to its answer: the first real call after a start.
 */
export function coldStart(
  command: string,
  args: string[],
  env: Record<string, string>,
  call?: { name: string; arguments: Record<string, unknown> },
  callDelayMs = 0,
): Promise<{ initialize: number; list: number; call: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child: ChildProcess = spawn(command, args, {
      env: startEnv(env),
      stdio: ["pipe", "pipe", "ignore"],
    });
    let buffer = "";
    let initialize = 0;
    let list = 0;
    let called = 0;
    const send = (m: unknown) => child.stdin?.write(`${JSON.stringify(m)}\n`);
    const done = (callMs: number) => {
      child.kill();
      resolve({ initialize, list, call: callMs });
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      if (!initialize && buffer.includes('"id":1')) initialize = performance.now() - started;
      if (!list && buffer.includes('"id":2')) {
        list = performance.now() - started;
        if (!call) return done(0);
        setTimeout(() => {
          called = performance.now();
          send({ jsonrpc: "2.0", id: 3, method: "tools/call", params: call });
        }, callDelayMs);
      }
      if (called && buffer.includes('"id":3')) done(performance.now() - called);
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      reject(new Error(`${args.join(" ")} exited with ${code} before answering tools/list`)),
    );
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "bench", version: "1" },
      },
    });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  });
}

/** Milliseconds from spawn to exit, in the same environment as the server it is compared with. */
export function timeProcess(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: startEnv(env), stdio: "ignore" });
    child.on("exit", () => resolve(performance.now() - started));
    child.on("error", reject);
  });
}

export function table(rows: (string | number)[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length))) ?? [];
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i] as number)).join("  ")).join("\n");
}

/**
 * Runs `fn` `count` times with `width` calls in flight at once; the time of each call and the calls per second.
 * `every` is told the running count of finished calls.
 */
export async function inFlight(
  fn: () => Promise<unknown>,
  count: number,
  width: number,
  every?: (done: number) => void,
) {
  const times: number[] = [];
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next++ < count) {
        const t = performance.now();
        await fn();
        times.push(performance.now() - t);
        every?.(++done);
      }
    }),
  );
  return { times, perSecond: count / ((performance.now() - started) / 1000) };
}
