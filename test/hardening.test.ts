// Hostile input, a misbehaving API, the rate budget, and secrets. Seeded and bounded, so every run is the
// same run.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RateLimiter } from "../src/client/rate-limit.js";
import { TOOLS } from "../src/tools/registry.js";
import type { Fault } from "./helpers/fake-cloudflare.js";
import {
  EMAIL,
  type Harness,
  KEY,
  manualClock,
  startHarness,
  TOKEN,
  textOf,
  ZONE,
} from "./helpers/harness.js";
import { VALID_CALLS } from "./helpers/valid-calls.js";

const SEED = 20261122;
const SECRETS = [TOKEN, KEY, EMAIL];
const leaks = (text: string) => SECRETS.filter((secret) => text.includes(secret));

/** Whatever a model might write in a field: wrong types, huge and odd strings, path tricks. */
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    "../quota",
    "..%2f..%2fuser",
    "%2e%2e",
    "a/b",
    "a?b=1",
    "a#b",
    "..",
    "\u0000",
    "\u202e",
    "é",
    "x".repeat(70_000),
    `${ZONE}/../..`,
    ZONE,
    ZONE.toUpperCase(),
    "example.com",
    "*.example.com",
  ),
);
const hostileValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 60 }),
  fc.dictionary(fc.string({ maxLength: 8 }), hostileString, { maxKeys: 3 }),
);

function argumentsFor(tool: string) {
  const valid = VALID_CALLS[tool] as Record<string, unknown>;
  const keys = [...Object.keys(valid), "__proto__", "constructor", "prototype", "extra_field"];
  return fc.oneof(
    // Valid but for one field.
    fc
      .record({ key: fc.constantFrom(...Object.keys(valid)), value: hostileValue })
      .map(({ key, value }) => ({ ...valid, [key]: value })),
    // Valid plus one unexpected field, possibly a prototype key, as JSON would carry it.
    fc
      .record({ key: fc.constantFrom(...keys), value: hostileValue })
      .map(({ key, value }) =>
        JSON.parse(
          `{${JSON.stringify(key)}:${JSON.stringify(value ?? null)},${JSON.stringify(valid).slice(1)}`,
        ),
      ),
    // Anything at all.
    fc.dictionary(fc.constantFrom(...keys), hostileValue, { maxKeys: 6 }),
    // Missing fields.
    fc.subarray(Object.keys(valid)).map((kept) => Object.fromEntries(kept.map((k) => [k, valid[k]]))),
  );
}

describe("hostile input", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it.each(TOOLS.map((t) => t.name))(
    "%s: every input is refused clearly or stays under its zone",
    async (tool) => {
      await fc.assert(
        fc.asyncProperty(argumentsFor(tool), async (args) => {
          const before = h.fake.log.length;
          const result = (await h.call(tool, args)) as CallToolResult;
          const text = textOf(result);
          expect(leaks(text)).toEqual([]);
          if (result.isError && /invalid arguments, nothing was sent/.test(text)) {
            expect(h.fake.log.length).toBe(before);
            expect(text).toMatch(/: /);
            return;
          }
          for (const entry of h.fake.log.slice(before)) {
            if (tool === "find_zone") expect(entry.path).toBe("/zones");
            else if (tool === "triage_certificates" && args.zone_id === undefined)
              // Without zone_id it triages the fleet: the zone list, then under each listed zone.
              expect(
                entry.path === "/zones" || h.fake.zones.has(entry.path.split("/")[2] ?? ""),
                entry.path,
              ).toBe(true);
            else expect(entry.path.startsWith(`/zones/${ZONE}/`), entry.path).toBe(true);
          }
        }),
        { seed: SEED, numRuns: 40 },
      );
      // Still serving.
      expect((await h.call("get_universal_ssl_settings", { zone_id: ZONE })).isError).toBeFalsy();
    },
  );

  it("a __proto__ key grants nothing and pollutes nothing", async () => {
    const before = h.fake.log.length;
    // The SDK drops the key while reading the request, so it never reaches a tool as a prototype or a field.
    const poisoned = JSON.parse(
      `{"__proto__":{"confirm":true,"polluted":1},"zone_id":"${ZONE}","certificate_pack_id":"abc"}`,
    );
    const result = await h.call("delete_certificate_pack", poisoned);
    expect(result.isError).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(h.fake.log.slice(before).map((r) => r.method)).toEqual(["GET"]);
  });
});

/** The client of every faulted call: each attempt ends at TIMEOUT_MS, each retry waits at most the last back-off. */
const TIMEOUT_MS = 250;
const BACKOFF_MS = [5, 10, 20];
const FAULTS: Record<string, Fault> = {
  "429": { kind: "rate_limit", retryAfterSeconds: 0 },
  "500": { kind: "status", status: 500 },
  "503": { kind: "status", status: 503 },
  reset: { kind: "reset" },
  "reset mid-body": { kind: "reset_mid_body" },
  "HTML 502": { kind: "html_502" },
  "truncated JSON": { kind: "truncated_json" },
  "success false": { kind: "success_false" },
  timeout: { kind: "delay", ms: TIMEOUT_MS + 150 },
  huge: { kind: "huge", bytes: 200_000 },
  "ignores page": { kind: "ignore_page" },
};

describe("a misbehaving API, across every tool", () => {
  const cases = TOOLS.flatMap((t) =>
    Object.entries(FAULTS).flatMap(([name, fault]) => [
      [t.name, name, 1, fault] as const,
      [t.name, name, 100, fault] as const,
    ]),
  );

  it.each(cases)(
    "%s with %s (%i times): a clear error or a correct result, nothing taking effect twice",
    async (tool, _, times, fault) => {
      const h = await startHarness({
        client: { timeoutMs: TIMEOUT_MS, backoffMs: BACKOFF_MS, maxBodyBytes: 100_000 },
      });
      try {
        h.fake.inject({ fault, times });
        const started = performance.now();
        const result = await h.callApproved(tool, VALID_CALLS[tool] as Record<string, unknown>);
        const took = performance.now() - started;
        // A delayed answer is never waited for: the client's own timer cut every attempt it delayed.
        if (fault.kind === "delay") {
          await vi.waitFor(() => expect(h.fake.log.slice(0, times).filter((r) => !r.abandoned)).toEqual([]), {
            timeout: 5000,
          });
        }
        // No wait beyond the configured ones: the call's requests at most one timeout and one back-off each,
        // three times over, and two seconds for the plan, its approval and the MCP round trips, all of which
        // take milliseconds on an idle machine.
        const mostItMayTake = h.fake.log.length * (TIMEOUT_MS + Math.max(...BACKOFF_MS));
        expect(took).toBeLessThan(3 * mostItMayTake + 2000);
        const text = textOf(result);
        expect(leaks(text)).toEqual([]);
        if (result.isError) {
          expect(text).toMatch(/failed|NOT DONE|invalid arguments/);
          expect(text).toMatch(/Next step|NOT DONE|nothing was sent/);
        } else {
          expect(result.structuredContent).toBeDefined();
        }
        // A request that may have taken effect: any non-GET not refused with 429 (which Cloudflare did not
        // process). A tool whose spec says its request changes nothing (analyze) may repeat it, within the
        // attempt limit; every other tool sends it once at most.
        const effective = h.fake.log.filter((r) => r.method !== "GET" && r.status !== 429);
        const spec = TOOLS.find((t) => t.name === tool);
        expect(
          effective.length,
          JSON.stringify(h.fake.log.map((r) => [r.method, r.path, r.status])),
        ).toBeLessThanOrEqual(spec?.effect === "none" ? 4 : 1);
      } finally {
        await h.close();
      }
    },
  );
});

describe("rate budget", () => {
  it("admits at most the budget per window, then waits for the oldest to leave it", async () => {
    const clock = manualClock(0);
    const limiter = new RateLimiter({ requests: 3, windowMs: 1000 }, clock.now, async (ms) =>
      clock.advance(ms),
    );
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) await limiter.acquire(undefined, (ms) => waits.push(ms));
    expect(waits).toEqual([]);
    clock.advance(400);
    await limiter.acquire(undefined, (ms) => waits.push(ms));
    expect(waits).toEqual([600]);
    expect(clock.now()).toBe(1000);
  });

  it("a Ratelimit header with nothing remaining holds every request until its reset", async () => {
    const clock = manualClock(0);
    const limiter = new RateLimiter({ requests: 100, windowMs: 300_000 }, clock.now, async (ms) =>
      clock.advance(ms),
    );
    limiter.observe('"default";r=0;t=30');
    const waits: number[] = [];
    await limiter.acquire(undefined, (ms) => waits.push(ms));
    expect(waits).toEqual([30_000]);
    limiter.observe('"default";r=12;t=30');
    await limiter.acquire(undefined, (ms) => waits.push(ms));
    expect(waits).toEqual([30_000]);
  });

  it("one budget is shared by all tools, and a call that waits says so", async () => {
    const h = await startHarness({ client: { rateBudget: { requests: 2, windowMs: 600 } } });
    try {
      await h.call("get_universal_ssl_settings", { zone_id: ZONE });
      await h.call("get_automatic_ssl_mode", { zone_id: ZONE });
      const { result, progress, ms } = await h.callWatched("get_certificate_pack_quota", { zone_id: ZONE });
      expect(result.isError).toBeFalsy();
      expect(ms).toBeGreaterThanOrEqual(400);
      expect(progress[0]?.message).toMatch(/^waiting 1 s: keeping under 2 requests per 0\.6 s/);
    } finally {
      await h.close();
    }
  });

  it("cancelling a call that waits for the budget sends nothing", async () => {
    const h = await startHarness({ client: { rateBudget: { requests: 1, windowMs: 60_000 } } });
    try {
      await h.call("get_universal_ssl_settings", { zone_id: ZONE });
      const controller = new AbortController();
      const pending = h.call("get_certificate_pack_quota", { zone_id: ZONE }, { signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 100));
      controller.abort();
      await expect(pending).rejects.toThrow();
      expect(h.fake.log).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});

describe("secrets", () => {
  it.each([
    ["token", { token: TOKEN }],
    ["Global API key", { email: EMAIL, key: KEY }],
  ] as const)("no %s in any result across faults, echoes and bad input", async (_, credentials) => {
    const h = await startHarness({ credentials, client: { timeoutMs: 250, backoffMs: [5] } });
    try {
      const texts: string[] = [];
      const echo = JSON.stringify({
        success: false,
        errors: [{ code: 1000, message: `echo ${TOKEN} ${KEY} ${EMAIL} ${encodeURIComponent(EMAIL)}` }],
        messages: [],
        result: null,
      });
      for (const fault of [
        ...Object.values(FAULTS),
        { kind: "status", status: 400, body: echo } as Fault,
        { kind: "status", status: 500, body: echo } as Fault,
      ]) {
        for (const tool of ["get_certificate_pack_quota", "order_certificate_pack", "triage_certificates"]) {
          h.fake.inject({ fault, times: 100 });
          texts.push(JSON.stringify(await h.call(tool, VALID_CALLS[tool] as Record<string, unknown>)));
          h.fake.clearFaults();
        }
      }
      texts.push(
        JSON.stringify(
          await h.call("get_certificate_pack", { zone_id: ZONE, certificate_pack_id: TOKEN.slice(0, 30) }),
        ),
      );
      // A success that carries them.
      h.fake.inject({
        fault: {
          kind: "status",
          status: 200,
          body: JSON.stringify({
            success: true,
            errors: [],
            messages: [],
            result: { enabled: true, note: `${TOKEN} ${KEY} ${EMAIL}` },
          }),
        },
      });
      const success = await h.call("get_universal_ssl_settings", { zone_id: ZONE });
      expect(success.isError).toBeFalsy();
      expect((success.structuredContent as { note: string }).note).toContain("[redacted]");
      texts.push(JSON.stringify(success));
      const all = texts.join("\n");
      // The secrets this server was given; the API echoed all three, so each must come out redacted.
      const configured = Object.values(credentials) as string[];
      expect(all).toContain("[redacted]");
      expect(
        configured.filter((secret) => all.includes(secret) || all.includes(encodeURIComponent(secret))),
      ).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
