// The fleet section of npm run bench: triage of 1,000 zones with 20 planted problems against the local
// fake, through the built server over stdio. Prints wall time, API requests per zone, the most requests in
// flight at once, the server's peak RSS and the model-visible tokens of the answer.
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { plantFleet, startFakeCloudflare } from "../test/helpers/fake-cloudflare.js";
import { connect, memoryOf, round, table } from "./lib.js";

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
