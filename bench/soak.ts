// npm run soak: 20,000 calls across every tool with faults mixed in (seeded), 16 in flight. Checks that the
// server never crashes, its memory levels off, no result carries the token, and it exits by itself (no
// socket or timer left) when the client leaves. Writes bench/results/soak.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { DEMO_ZONE_ID, idFor } from "../src/sandbox/state.js";
import { TOOLS } from "../src/tools/registry.js";
import { type Fault, startFakeCloudflare } from "../test/helpers/fake-cloudflare.js";
import { connect, memoryOf, round, table } from "./lib.js";

const CALLS = Number(process.argv[2] ?? 20_000);
const IN_FLIGHT = 16;
const TOKEN = "soak-token-0123456789abcdefghij";
const ZONE = DEMO_ZONE_ID;
const PEM = readFileSync("test/fixtures/example-com.pem", "utf8");
const pack = (key: string) => idFor(ZONE, "pack", key);

const ARGS: Record<string, Record<string, unknown>> = {
  triage_certificates: { zone_id: ZONE },
  find_zone: { name: "www.example.com" },
  list_certificate_packs: { zone_id: ZONE, status: "all" },
  get_certificate_pack: { zone_id: ZONE, certificate_pack_id: pack("advanced-pending") },
  order_certificate_pack: {
    zone_id: ZONE,
    hosts: ["example.com", "soak.example.com"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "google",
  },
  restart_certificate_pack_validation: { zone_id: ZONE, certificate_pack_id: pack("advanced-timed-out") },
  delete_certificate_pack: { zone_id: ZONE, certificate_pack_id: pack("advanced-expiring") },
  get_certificate_pack_quota: { zone_id: ZONE },
  get_ssl_verification: { zone_id: ZONE },
  update_ssl_verification_method: {
    zone_id: ZONE,
    certificate_pack_id: pack("advanced-pending"),
    validation_method: "txt",
  },
  get_universal_ssl_settings: { zone_id: ZONE },
  update_universal_ssl_settings: { zone_id: ZONE, enabled: true },
  get_automatic_ssl_mode: { zone_id: ZONE },
  set_automatic_ssl_mode: { zone_id: ZONE, value: "auto" },
  get_ssl_recommendation: { zone_id: ZONE },
  prioritize_custom_certificates: {
    zone_id: ZONE,
    certificates: [{ id: idFor(ZONE, "custom-certificate", "custom-sni"), priority: 2 }],
  },
  analyze_certificate: { zone_id: ZONE, certificate: PEM },
};
const FAULTS: Fault[] = [
  { kind: "rate_limit", retryAfterSeconds: 0 },
  { kind: "status", status: 500 },
  { kind: "status", status: 503 },
  { kind: "reset" },
  { kind: "reset_mid_body" },
  { kind: "html_502" },
  { kind: "truncated_json" },
  { kind: "success_false" },
  { kind: "delay", ms: 150 },
  { kind: "ignore_page" },
];

// mulberry32: a small seeded generator, so that every soak is the same soak.
let seed = 20261122;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;

const fake = await startFakeCloudflare({ token: TOKEN, stepMs: 1000 });
const server = await connect(["--rate-limit", "0", "--timeout-ms", "2000"], {
  CLOUDFLARE_API_TOKEN: TOKEN,
  CLOUDFLARE_BASE_URL: fake.url,
  ...(process.env.SOAK_NODE_OPTIONS ? { NODE_OPTIONS: process.env.SOAK_NODE_OPTIONS } : {}),
});
const names = TOOLS.map((t) => t.name);
const samples: { calls: number; rssMiB: number; seconds: number }[] = [
  { calls: 0, rssMiB: memoryOf(server.pid).rssMiB, seconds: 0 },
];
const outcomes = { ok: 0, toolError: 0, protocolError: 0, faultsInjected: 0, tokenLeaks: 0 };
const started = performance.now();
let next = 0;

await Promise.all(
  Array.from({ length: IN_FLIGHT }, async () => {
    while (next < CALLS) {
      const index = next++;
      if (random() < 0.05) {
        fake.inject({ fault: pick(FAULTS) });
        outcomes.faultsInjected += 1;
      }
      if (index % 500 === 0) fake.clearFaults();
      const name = pick(names);
      try {
        const result = await server.client.callTool({ name, arguments: ARGS[name] }, undefined, {
          timeout: 30_000,
        });
        if (JSON.stringify(result).includes(TOKEN)) outcomes.tokenLeaks += 1;
        if (result.isError) outcomes.toolError += 1;
        else outcomes.ok += 1;
      } catch {
        outcomes.protocolError += 1;
      }
      if ((index + 1) % 1000 === 0) {
        samples.push({
          calls: index + 1,
          rssMiB: memoryOf(server.pid).rssMiB,
          seconds: round((performance.now() - started) / 1000, 1),
        });
      }
      // The fake keeps a log for tests; a soak must not measure the fake's memory instead of the server's.
      if (fake.log.length > 10_000) fake.log.splice(0, fake.log.length);
    }
  }),
);

const seconds = (performance.now() - started) / 1000;
const peak = memoryOf(server.pid).peakMiB;
const exited = new Promise<number>((resolve) => {
  const started = performance.now();
  process.kill(server.pid, 0);
  const poll = setInterval(() => {
    try {
      process.kill(server.pid, 0);
    } catch {
      clearInterval(poll);
      resolve(performance.now() - started);
    }
  }, 10);
});
// The client leaves: stdin closes, and the server must end by itself.
await server.client.close();
const exitMs = await exited;
await fake.close();

const settled = samples.filter((s) => s.calls >= 5000).map((s) => s.rssMiB);
const report = {
  date: new Date().toISOString(),
  calls: CALLS,
  inFlight: IN_FLIGHT,
  seconds: round(seconds, 1),
  callsPerSecond: Math.round(CALLS / seconds),
  outcomes,
  rss: {
    startMiB: samples[0]?.rssMiB,
    peakMiB: peak,
    from5000MinMiB: Math.min(...settled),
    from5000MaxMiB: Math.max(...settled),
    growthAfter5000MiB: round(Math.max(...settled) - Math.min(...settled), 1),
  },
  samples,
  exit: {
    msAfterClientLeft: Math.round(exitMs),
    forced: /forced exit/.test(server.stderr()),
    crashed: /Error|TypeError|FATAL/.test(server.stderr()),
  },
};
console.log(
  table([
    ["calls", "seconds", "calls/s", "ok", "tool errors", "protocol errors", "faults", "token leaks"],
    [
      CALLS,
      report.seconds,
      report.callsPerSecond,
      outcomes.ok,
      outcomes.toolError,
      outcomes.protocolError,
      outcomes.faultsInjected,
      outcomes.tokenLeaks,
    ],
  ]),
);
console.log(`RSS MiB by 1,000 calls: ${samples.map((s) => s.rssMiB).join(" ")}`);
console.log(
  `RSS after 5,000 calls: ${report.rss.from5000MinMiB} to ${report.rss.from5000MaxMiB} MiB (growth ${report.rss.growthAfter5000MiB} MiB); peak ${peak} MiB`,
);
console.log(
  `exit after the client left: ${report.exit.msAfterClientLeft} ms, forced: ${report.exit.forced}, crash output: ${report.exit.crashed}`,
);
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/soak.json", `${JSON.stringify(report, null, 2)}\n`);
const failed =
  outcomes.protocolError > 0 ||
  outcomes.tokenLeaks > 0 ||
  report.exit.forced ||
  report.exit.crashed ||
  report.rss.growthAfter5000MiB > 30;
console.log(failed ? "SOAK FAILED" : "soak passed");
process.exit(failed ? 1 : 0);
