// Server CPU per tools/call at 64 in flight, for one build or several alternated round by round on the same
// machine state: the count that decides whether a change to the per-call path is kept. Each build runs as its
// own `--http` server against one local fake; CPU is read from /proc before and after each round.
// Usage: node bench/run.mjs http-cpu <2025|2026-07-28|both> <calls per round> <rounds> <cli.js>...
// (PROF=1 writes a V8 CPU profile of each server to bench/.out/profiles.)
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent } from "undici";
import { startFakeCloudflare } from "../test/helpers/fake-cloudflare.js";
import { eraCall } from "./http.js";
import { inFlight } from "./lib.js";

const [era, callsArg, roundsArg, ...clis] = process.argv.slice(2);
if (!era || !clis.length) {
  console.error(
    "usage: node bench/run.mjs http-cpu <2025|2026-07-28|both> <calls per round> <rounds> <cli.js>...",
  );
  process.exit(2);
}
const prof = process.env.PROF === "1";
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
function start(cli: string, fakeUrl: string) {
  const args = [
    ...(prof ? ["--cpu-prof", "--cpu-prof-dir=bench/.out/profiles"] : []),
    cli,
    "--http",
    "--port",
    "0",
    "--rate-limit",
    "0",
  ];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? "", CLOUDFLARE_BASE_URL: fakeUrl },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  return new Promise<{ url: string; pid: number; stop: () => Promise<void> }>((resolve) => {
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
      const url = /serving MCP over HTTP at (http:\/\/\S+\/mcp)\b/.exec(stderr)?.[1];
      if (url)
        resolve({
          url,
          pid: child.pid as number,
          stop: () =>
            new Promise((d) => {
              child.once("exit", () => d());
              child.kill("SIGTERM");
            }),
        });
    });
  });
}
const token = "bench-token";
const fake = await startFakeCloudflare({ token });
const servers = [];
for (const cli of clis) servers.push(await start(cli, fake.url));
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 128 });
const calls = Number(callsArg);
const eras = era === "both" ? (["2025", "2026-07-28"] as const) : ([era] as ("2025" | "2026-07-28")[]);
for (const s of servers) for (const e of eras) await inFlight(eraCall(s.url, token, e, agent), 2000, 64);
const sums: number[][] = clis.map(() => []);
for (let r = 0; r < Number(roundsArg); r++) {
  const line: string[] = [];
  for (const [i, s] of servers.entries()) {
    for (const e of eras) {
      const before = cpuMsOf(s.pid);
      const res = await inFlight(eraCall(s.url, token, e, agent), calls, 64);
      const cpu = (cpuMsOf(s.pid) - before) / calls;
      sums[i]?.push(cpu);
      line.push(`${i}/${e}: ${cpu.toFixed(3)} ms ${Math.round(res.perSecond)}/s`);
    }
  }
  console.log(line.join("  |  "));
}
for (const [i, v] of sums.entries()) {
  const s = [...v].sort((a, b) => a - b);
  console.log(
    `${clis[i]} median ${s[Math.floor(s.length / 2)]?.toFixed(3)} mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(3)}`,
  );
}
await agent.close();
for (const s of servers) await s.stop();
await fake.close();
