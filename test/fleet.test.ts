// Triage of every zone the token can read, through a real MCP client (SDK 1.32, 2025 era) against the fake
// over real sockets: the sandbox's fleet, a 1,000-zone fleet kept short for the model, the limits on
// requests, stopping at the rate budget with a continuation that any instance resumes, and bad input.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { afterEach, describe, expect, it } from "vitest";
import { undiciSender } from "../src/client/send-undici.js";
import { type Send, SendFailure } from "../src/client/sender.js";
import { idFor } from "../src/sandbox/state.js";
import { PLANTED, plantFleet } from "./helpers/fake-cloudflare.js";
import {
  EMAIL,
  type Harness,
  type HarnessOptions,
  KEY,
  START,
  startHarness,
  textOf,
  ZONE,
} from "./helpers/harness.js";

interface FleetZone {
  id: string;
  name: string;
  healthy: boolean;
  summary?: string;
  findings?: { severity: string; code: string; next_action: Record<string, unknown> }[];
}
interface FleetResult {
  summary: string;
  healthy: boolean;
  totals: Record<string, number>;
  counts: Record<string, number>;
  findings: { zone_id: string; zone_name: string; severity: string; code: string }[];
  zones: FleetZone[];
  not_triaged?: { count: number; zones: string[]; reason: string };
  continue?: string;
}

const harnesses: Harness[] = [];
async function start(options?: HarnessOptions) {
  const h = await startHarness(options);
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function fleet(h: Harness, args: Record<string, unknown> = {}) {
  const result = await h.call("triage_certificates", args);
  expect(result.isError, textOf(result)).toBeFalsy();
  return { result, report: result.structuredContent as unknown as FleetResult };
}
const SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"];
const worstOf = (z: FleetZone) =>
  z.healthy ? 5 : SEVERITY_ORDER.indexOf(z.findings?.[0]?.severity ?? "info");

describe("fleet triage of the sandbox's zones", () => {
  it("covers every zone, ranks zones by their most severe finding, and counts the healthy ones", async () => {
    const h = await start();
    const { result, report } = await fleet(h);
    const names = report.zones.map((z) => z.name);
    expect(new Set(names)).toEqual(
      new Set([
        "example.com",
        "example.net",
        "example.org",
        "shop.example",
        "blog.example",
        "docs.example",
        "api.example",
      ]),
    );
    expect(report.totals).toMatchObject({
      zones: 7,
      triaged: 7,
      healthy: 2,
      with_problems: 5,
      unreadable: 0,
    });
    const ranks = report.zones.map(worstOf);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const codes = (name: string) =>
      report.zones.find((z) => z.name === name)?.findings?.map((f) => f.code) ?? [];
    expect(codes("shop.example")).toContain("expiring");
    expect(codes("blog.example")).toContain("validation_pending");
    expect(codes("docs.example")).toContain("universal_disabled_uncovered");
    expect(codes("api.example")).toContain("validation_timed_out");
    expect(report.zones.find((z) => z.name === "example.org")).toEqual({
      id: idFor("sandbox-zone", "example.org"),
      name: "example.org",
      healthy: true,
    });
    // The stuck validation comes with the records to publish.
    const pending = report.zones
      .find((z) => z.name === "blog.example")
      ?.findings?.find((f) => f.code === "validation_pending");
    expect(pending?.next_action.publish).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "TXT", name: "_acme-challenge.news.blog.example" }),
      ]),
    );
    // The text names the problem zones, and not the healthy ones.
    const text = textOf(result);
    expect(text).toContain('"docs.example"');
    expect(text).not.toContain("example.org");
    expect(report.healthy).toBe(false);
  });

  it("narrows by a part of the zone name and by account", async () => {
    const h = await start();
    const { report } = await fleet(h, { name_contains: "example.n" });
    expect(report.zones.map((z) => z.name)).toEqual(["example.net"]);
    expect(h.drain().filter((r) => r.path === "/zones")[0]?.query).toMatchObject({
      name: "contains:example.n",
    });
    const other = await fleet(h, { account_id: "0".repeat(32) });
    expect(other.report.totals.zones).toBe(0);
    expect(other.report.zones).toEqual([]);
  });

  it("a zone that cannot be read is a finding about that zone, not a failed call", async () => {
    const h = await start();
    h.fake.inject({
      path: `/zones/${ZONE}/ssl/certificate_packs`,
      fault: { kind: "status", status: 403 },
      times: 10,
    });
    const { report } = await fleet(h);
    const demo = report.zones.find((z) => z.id === ZONE);
    expect(demo?.findings?.[0]).toMatchObject({ code: "zone_unreadable", severity: "high" });
    expect(report.totals).toMatchObject({ triaged: 7, unreadable: 1 });
  });

  it("sends progress notifications as zones are triaged", async () => {
    const h = await start();
    const { progress } = await h.callWatched("triage_certificates", {});
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.message).toMatch(/triaged \d+ of 7 zones/);
  });
});

describe("a fleet of 1,000 zones with 20 planted problems", () => {
  it("finds every planted problem, stays under 2,000 tokens of text, ≤ 6 requests per zone and ≤ 8 in flight", async () => {
    const h = await start();
    h.fake.zones.clear();
    const { problemIds } = plantFleet(h.fake, 1000, 20, START);
    h.drain();
    h.fake.resetPeak();
    // Slow answers for a while, so that requests overlap and the cap on those in flight is what holds them.
    h.fake.inject({ path: "/ssl/", fault: { kind: "delay", ms: 20 }, times: 200 });
    const { result, report } = await fleet(h);
    expect(report.totals).toMatchObject({ zones: 1000, triaged: 1000, healthy: 980, with_problems: 20 });
    const flagged = new Map(report.zones.filter((z) => !z.healthy).map((z) => [z.id, z]));
    expect(new Set(flagged.keys())).toEqual(new Set(problemIds.keys()));
    expect(new Set(problemIds.values())).toEqual(new Set(PLANTED));
    const tokens = encode(textOf(result)).length;
    expect(tokens).toBeLessThan(2000);
    const requests = h.drain().length;
    expect(requests / 1000).toBeLessThanOrEqual(6);
    expect(h.fake.peakInFlight()).toBeLessThanOrEqual(8);
    expect(h.fake.peakInFlight()).toBeGreaterThan(1);
  });
});

describe("stopping at the rate budget, and resuming", () => {
  const budget = (requests: number): HarnessOptions => ({
    client: { rateBudget: { requests, windowMs: 300_000 } },
  });

  it("returns what it has, names what is left, and a continuation that another instance resumes until done", async () => {
    const first = await start(budget(120));
    first.fake.zones.clear();
    plantFleet(first.fake, 60, 6, START);
    const part = await fleet(first);
    expect(part.report.not_triaged?.count).toBeGreaterThan(0);
    expect(part.report.not_triaged?.reason).toMatch(/keeping under 120 requests per 300 s/);
    expect(part.report.continue).toEqual(expect.any(String));
    expect(textOf(part.result)).toContain(part.report.continue as string);
    const seen = part.report.zones.map((z) => z.id);

    // Each later part runs on a fresh server (a fresh budget), as another instance would.
    let next = part.report;
    for (let round = 0; next.continue && round < 10; round++) {
      const other = await start(budget(120));
      other.fake.zones.clear();
      for (const [id, zone] of first.fake.zones) other.fake.zones.set(id, zone);
      const resumed = await fleet(other, { continue: next.continue });
      seen.push(...resumed.report.zones.map((z) => z.id));
      next = resumed.report;
    }
    expect(next.continue).toBeUndefined();
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect(next.totals).toMatchObject({
      zones: 60,
      triaged: 60,
      with_problems: 6,
      healthy: 54,
      not_triaged: 0,
    });
  });

  it("a 429 stops it at once and the zone it hit is retried on resume", async () => {
    const h = await start();
    h.fake.zones.clear();
    const { ids } = plantFleet(h.fake, 30, 0, START);
    const hit = ids[3] as string;
    h.fake.inject({
      path: `/zones/${hit}/ssl/certificate_packs`,
      fault: { kind: "rate_limit", retryAfterSeconds: 120 },
    });
    const part = await fleet(h);
    expect(part.report.not_triaged?.reason).toMatch(/HTTP 429.*120 s/);
    expect(part.report.zones.map((z) => z.id)).not.toContain(hit);
    // Nothing was retried after the 429: the zone's pack list was asked for once.
    expect(h.fake.log.filter((r) => r.path === `/zones/${hit}/ssl/certificate_packs`)).toHaveLength(1);
    const rest = await fleet(h, { continue: part.report.continue });
    const all = [...part.report.zones, ...rest.report.zones].map((z) => z.id);
    expect(new Set(all)).toEqual(new Set(ids));
    expect(all).toHaveLength(30);
  });

  it("a Ratelimit header with nothing left stops it before the next request", async () => {
    const h = await start(budget(10_000));
    h.fake.zones.clear();
    const { ids } = plantFleet(h.fake, 20, 0, START);
    h.fake.inject({
      path: `/zones/${ids[0]}/ssl/certificate_packs`,
      fault: {
        kind: "status",
        status: 200,
        body: JSON.stringify({ success: true, errors: [], messages: [], result: [] }),
        headers: { ratelimit: '"default";r=0;t=90' },
      },
    });
    const part = await fleet(h);
    expect(part.report.not_triaged?.reason).toMatch(
      /Ratelimit header says the budget is spent; it allows more in 9\d s/,
    );
    expect(part.report.not_triaged?.count).toBeGreaterThan(0);
    expect(part.report.continue).toEqual(expect.any(String));
  });
});

describe("a rate limit on the zone list itself", () => {
  it("answers with nothing triaged and a continuation that starts over", async () => {
    const h = await start();
    h.fake.zones.clear();
    const { ids } = plantFleet(h.fake, 12, 0, START);
    h.fake.inject({ path: "/zones", method: "GET", fault: { kind: "rate_limit", retryAfterSeconds: 60 } });
    const part = await fleet(h);
    expect(part.report.zones).toEqual([]);
    expect(textOf(part.result)).toMatch(
      /Not triaged: the zone list could not be read yet \(Cloudflare rate limit/,
    );
    const rest = await fleet(h, { continue: part.report.continue });
    expect(rest.report.zones.map((z) => z.id).sort()).toEqual([...ids].sort());
  });
});

describe("the platform's cap on requests per call", () => {
  it("a Workers 'Too many subrequests' stops the fleet with a continuation instead of failing zones", async () => {
    const pool = undiciSender({ keepAliveTimeoutMs: 1000 });
    let sent = 0;
    const capped: Send = async (req) => {
      if (++sent > 40) throw new SendFailure("broken", "Too many subrequests.");
      return pool.send(req);
    };
    const h = await start({ client: { send: capped, backoffMs: [1] } });
    h.fake.zones.clear();
    plantFleet(h.fake, 30, 0, START);
    const part = await fleet(h);
    await pool.destroy();
    expect(part.report.totals.unreadable).toBe(0);
    expect(part.report.not_triaged?.reason).toMatch(/Workers subrequests/);
    expect(part.report.continue).toEqual(expect.any(String));
  });
});

describe("bad input", () => {
  it("refuses a malformed, edited or foreign continuation, naming the field and the fix", async () => {
    const h = await start({ client: { rateBudget: { requests: 40, windowMs: 300_000 } } });
    h.fake.zones.clear();
    plantFleet(h.fake, 30, 0, START);
    const { report } = await fleet(h);
    const token = report.continue as string;
    const errorOf = async (harness: Harness, args: Record<string, unknown>) => {
      const result: CallToolResult = await harness.call("triage_certificates", args);
      expect(result.isError).toBe(true);
      return textOf(result);
    };
    expect(await errorOf(h, { continue: "not-a-continuation" })).toMatch(/continue: not a continuation/);
    const [body, seal] = token.split(".") as [string, string];
    const edited = `${body.slice(0, -2)}${body.endsWith("A") ? "B" : "A"}${body.slice(-1)}.${seal}`;
    expect(await errorOf(h, { continue: edited })).toMatch(
      /continue: this continuation belongs to another call/,
    );
    expect(await errorOf(h, { continue: token, horizon_days: 60 })).toMatch(
      /other arguments or another credential/,
    );
    const stranger = await start({ credentials: { email: EMAIL, key: KEY } });
    expect(await errorOf(stranger, { continue: token })).toMatch(/another credential/);
  });

  it("says which fields belong to one zone and which to the fleet", async () => {
    const h = await start();
    const hosts = await h.call("triage_certificates", { hosts: ["example.com"] });
    expect(textOf(hosts)).toMatch(/hosts: needs zone_id/);
    const mixed = await h.call("triage_certificates", { zone_id: ZONE, name_contains: "example" });
    expect(textOf(mixed)).toMatch(/name_contains: only for a fleet triage/);
    const badName = await h.call("triage_certificates", { name_contains: "a/b" });
    expect(textOf(badName)).toMatch(/name_contains: must be part of a zone name/);
    expect(h.fake.log.filter((r) => r.path === "/zones")).toHaveLength(0);
  });
});
