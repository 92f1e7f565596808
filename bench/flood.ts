// The flood section of `npm run bench`: many concurrent oversized pings, each with a made-up bearer, at the
// built server, while one legitimate caller keeps calling a tool. Figures: the server's peak RSS, whether it
// survived, how the flood was answered, and the p50/p99 of the legitimate calls during it. Run once at the
// default heap and once with the old space capped at 512 MiB.
import { Agent, request } from "undici";
import type { FakeCloudflare } from "../test/helpers/fake-cloudflare.js";
import { eraCall, startHttp } from "./http.js";
import { memoryOf, percentile, round, table } from "./lib.js";

/** 149,000 empty objects in `_meta`: about 447 KB, under the 1 MiB body cap, and costly to parse. */
function floodBody(): string {
  const pad = new Array(149_000).fill("{}").join(",");
  return `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"pad":[${pad}]}}}`;
}

async function floodOnce(fake: FakeCloudflare, token: string, nodeArgs: string[], quick: boolean) {
  const server = await startHttp(["--rate-limit", "0"], { CLOUDFLARE_BASE_URL: fake.url }, nodeArgs);
  const floodAgent = new Agent({ connections: 400, pipelining: 0 });
  const legitAgent = new Agent({ keepAliveTimeout: 30_000 });
  const body = floodBody();
  const statuses = new Map<string, number>();
  const count = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
  let alive = true;
  let peakMiB = 0;
  const sampler = setInterval(() => {
    try {
      peakMiB = Math.max(peakMiB, memoryOf(server.pid).peakMiB);
    } catch {
      alive = false;
    }
  }, 50);
  const width = 300;
  const rounds = quick ? 2 : 5;
  let flooding = true;
  const flood = Promise.all(
    Array.from({ length: width }, async (_, i) => {
      for (let r = 0; r < rounds && alive; r++) {
        try {
          const res = await request(server.url, {
            method: "POST",
            dispatcher: floodAgent,
            headers: {
              "content-type": "application/json",
              accept: "application/json, text/event-stream",
              "mcp-protocol-version": "2025-06-18",
              authorization: `Bearer madeup_${i}_${r}_0123456789abcdef`,
            },
            body,
          });
          await res.body.dump();
          count(String(res.statusCode));
        } catch (error) {
          count((error as { code?: string }).code ?? "error");
        }
      }
    }),
  ).finally(() => {
    flooding = false;
  });
  const legit = eraCall(server.url, token, "2025", legitAgent);
  const times: number[] = [];
  let failed = 0;
  let busy = 0;
  while (flooding && alive) {
    const t = performance.now();
    // As a well-behaved client would: a 503 is tried again after its Retry-After, within the same call.
    for (let attempt = 0; ; attempt++) {
      try {
        await legit();
        times.push(performance.now() - t);
        break;
      } catch (error) {
        const retryAfter = /^HTTP 503/.test((error as Error).message) ? 1000 : undefined;
        if (retryAfter === undefined || attempt >= 10 || !alive) {
          failed++;
          break;
        }
        busy++;
        await new Promise((resolve) => setTimeout(resolve, retryAfter));
      }
    }
  }
  await flood;
  clearInterval(sampler);
  try {
    peakMiB = Math.max(peakMiB, memoryOf(server.pid).peakMiB);
  } catch {
    alive = false;
  }
  await floodAgent.close().catch(() => {});
  await legitAgent.close().catch(() => {});
  if (alive) await server.stop();
  return {
    alive,
    peakMiB,
    flood: { requests: width * rounds, answers: Object.fromEntries(statuses) },
    legitimate: {
      answered: times.length,
      failed,
      busyAnswers: busy,
      p50: times.length ? round(percentile(times, 50), 1) : null,
      p99: times.length ? round(percentile(times, 99), 1) : null,
    },
  };
}

export async function floodBench(fake: FakeCloudflare, token: string, quick: boolean) {
  console.log("\n## HTTP flood: 300 concurrent 447 KB pings with made-up bearers, and one legitimate caller");
  const runs = {
    defaultHeap: await floodOnce(fake, token, [], quick),
    oldSpace512MiB: await floodOnce(fake, token, ["--max-old-space-size=512"], quick),
  };
  console.log(
    table([
      ["heap", "alive", "peak RSS", "flood answers", "legitimate calls", "p50 ms", "p99 ms"],
      ...Object.entries(runs).map(([name, r]) => [
        name === "defaultHeap" ? "default" : "old space capped at 512 MiB",
        r.alive ? "yes" : "no",
        `${r.peakMiB} MiB`,
        JSON.stringify(r.flood.answers),
        `${r.legitimate.answered} answered, ${r.legitimate.failed} failed, ${r.legitimate.busyAnswers} times 503`,
        r.legitimate.p50 ?? "-",
        r.legitimate.p99 ?? "-",
      ]),
    ]),
  );
  return runs;
}
