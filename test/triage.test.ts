// Triage against the fake: one scenario per kind of finding, with its severity and next action; a healthy
// zone; a large zone kept compact; progress and cancellation. Plus find_zone and the workflow prompts.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Pack } from "../src/sandbox/state.js";
import type { Finding, TriageReport } from "../src/triage/findings.js";
import {
  FREE_ZONE,
  type Harness,
  type HarnessOptions,
  PACK,
  START,
  startHarness,
  TOKEN,
  textOf,
  ZONE,
} from "./helpers/harness.js";

const DAY = 86_400_000;
let h: Harness;
async function start(options?: HarnessOptions) {
  h = await startHarness(options);
  return h;
}
afterEach(() => h?.close());

const zone = () => {
  const z = h.fake.zones.get(ZONE);
  if (!z) throw new Error("demo zone missing");
  return z;
};
const pack = (id: string) => zone().packs.get(id) as Pack;
const addPack = (p: Partial<Pack> & { id: string; hosts: string[] }) =>
  zone().packs.set(p.id, { type: "advanced", status: "active", certificates: [], ...p } as Pack);
const certExpiring = (id: string, inDays: number) => [
  {
    id: `${id}c`,
    hosts: [],
    status: "active",
    issuer: "x",
    signature: "SHA256WithRSA",
    expires_on: new Date(START + inDays * DAY).toISOString(),
    uploaded_on: new Date(START).toISOString(),
    modified_on: new Date(START).toISOString(),
    bundle_method: "ubiquitous",
  },
];

async function triage(args: Record<string, unknown> = {}): Promise<TriageReport> {
  const result = await h.call("triage_certificates", { zone_id: ZONE, ...args });
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as unknown as TriageReport;
}
const byCode = (report: TriageReport, code: string) => report.findings.filter((f) => f.code === code);
const one = (report: TriageReport, code: string): Finding => {
  const found = byCode(report, code);
  expect(found, `${code} in ${JSON.stringify(report.findings.map((f) => f.code))}`).toHaveLength(1);
  return found[0] as Finding;
};

describe("triage_certificates on the seeded demo zone", () => {
  it("names every seeded problem with a correct next action", async () => {
    await start();
    const report = await triage();
    expect(report.healthy).toBe(false);
    expect(report.findings.map((f) => [f.severity, f.code])).toEqual([
      ["high", "validation_timed_out"],
      ["high", "validation_errors"],
      ["medium", "expiring"],
      ["medium", "validation_pending"],
      ["low", "quota_nearly_exhausted"],
    ]);
    expect(report.summary).toMatch(
      /^2 high, 2 medium, 1 low\. Most urgent: validation of "example\.com", "api\.example\.com" timed out/,
    );

    const errors = one(report, "validation_errors");
    expect(errors.pack_ids).toEqual([PACK.failed]);
    expect(errors.next_action.publish).toEqual([
      { type: "CAA", name: "example.com", value: '0 issue "pki.goog"' },
    ]);

    const timedOut = one(report, "validation_timed_out");
    expect(timedOut.next_action).toMatchObject({
      tool: "restart_certificate_pack_validation",
      arguments: { zone_id: ZONE, certificate_pack_id: PACK.timedOut },
      publish: [
        { type: "TXT", name: "_acme-challenge.example.com", value: expect.any(String) },
        { type: "TXT", name: "_acme-challenge.api.example.com", value: expect.any(String) },
      ],
    });

    const expiring = one(report, "expiring");
    expect(expiring).toMatchObject({
      pack_ids: [PACK.expiring],
      evidence: { days_left: 10, fallback_pack: PACK.universal },
    });
    expect(expiring.next_action).toEqual({
      tool: "order_certificate_pack",
      arguments: {
        zone_id: ZONE,
        hosts: ["example.com", "www.example.com"],
        validation_method: "txt",
        validity_days: 90,
        certificate_authority: "lets_encrypt",
      },
    });

    const pending = one(report, "validation_pending");
    expect(pending.pack_ids).toEqual([PACK.pending]);
    expect(pending.next_action.publish).toHaveLength(2);
    expect(pending.next_action).toMatchObject({ tool: "get_ssl_verification", arguments: { retry: true } });
  });

  it("the suggested calls are valid for their tools", async () => {
    await start();
    const report = await triage();
    h.fake.clearFaults();
    for (const finding of report.findings.filter(
      (f) => f.next_action.tool && f.next_action.tool !== "order_certificate_pack",
    )) {
      const result = await h.call(finding.next_action.tool as string, finding.next_action.arguments ?? {});
      expect(textOf(result)).not.toMatch(/invalid arguments/);
    }
  });
});

describe("one scenario per finding", () => {
  it("expired: critical, with a new order of the same pack", async () => {
    await start();
    pack(PACK.expiring).certificates = certExpiring("e", -2);
    const f = one(await triage(), "expired");
    expect(f.severity).toBe("critical");
    expect(f.next_action.tool).toBe("order_certificate_pack");
  });

  it("expiring within a week with no replacement: high; a same-type replacement silences it", async () => {
    await start();
    pack(PACK.expiring).certificates = certExpiring("e", 5);
    expect(one(await triage(), "expiring").severity).toBe("high");
    addPack({ id: "renewal", hosts: ["example.com", "www.example.com"], status: "pending_issuance" });
    expect(byCode(await triage(), "expiring")).toEqual([]);
  });

  it("the horizon decides what counts as expiring", async () => {
    await start();
    expect(byCode(await triage({ horizon_days: 7 }), "expiring")).toEqual([]);
    expect(byCode(await triage({ horizon_days: 365 }), "expiring").length).toBeGreaterThanOrEqual(2);
  });

  it.each(["initializing_timed_out", "issuance_timed_out", "deployment_timed_out"])(
    "%s: high, order again and delete the stuck pack",
    async (status) => {
      await start();
      pack(PACK.timedOut).status = status;
      const f = one(await triage(), status);
      expect(f.severity).toBe("high");
      expect(f.next_action).toMatchObject({
        tool: "order_certificate_pack",
        do: expect.stringContaining(`delete the stuck pack "${PACK.timedOut}"`),
      });
    },
  );

  it("deletion stuck: medium, delete again", async () => {
    await start();
    pack(PACK.timedOut).status = "deletion_timed_out";
    const f = one(await triage(), "deletion_stuck");
    expect(f.severity).toBe("medium");
    expect(f.next_action).toEqual({
      tool: "delete_certificate_pack",
      arguments: { zone_id: ZONE, certificate_pack_id: PACK.timedOut },
    });
  });

  it("Universal SSL disabled with nothing else covering the apex: critical, enable it", async () => {
    await start();
    zone().packs.delete(PACK.legacy);
    await h.callApproved("update_universal_ssl_settings", { zone_id: ZONE, enabled: false });
    const report = await triage();
    const f = one(report, "universal_disabled_uncovered");
    expect(f.severity).toBe("critical");
    expect(f.hosts).toEqual(["*.example.com"]);
    expect(f.next_action).toEqual({
      tool: "update_universal_ssl_settings",
      arguments: { zone_id: ZONE, enabled: true },
    });
    expect(report.findings[0]?.code).toBe("universal_disabled_uncovered");
  });

  it("hosts with no active certificate: high, waiting on a pending pack or to be ordered", async () => {
    await start();
    addPack({
      id: "deep",
      hosts: ["example.com", "a.b.example.com"],
      status: "pending_validation",
      validation_method: "txt",
    });
    const waiting = one(await triage(), "hosts_uncovered");
    expect(waiting).toMatchObject({
      severity: "high",
      hosts: ["a.b.example.com"],
      evidence: { waiting_on_a_pending_pack: ["a.b.example.com"] },
    });
    expect(waiting.next_action.do).toMatch(/waiting for a pack/);
    const ordered = one(await triage({ hosts: ["x.y.example.com"] }), "hosts_uncovered");
    expect(ordered.next_action).toMatchObject({
      tool: "order_certificate_pack",
      arguments: { hosts: ["example.com", "x.y.example.com"] },
    });
  });

  it("quota exhausted: medium", async () => {
    await start();
    zone().quota = 4;
    expect(one(await triage(), "quota_exhausted").severity).toBe("medium");
  });

  it("a wildcard on HTTP validation: high, switch to TXT", async () => {
    await start();
    addPack({
      id: "wild",
      hosts: ["example.com", "*.shop.example.com"],
      status: "pending_validation",
      validation_method: "http",
    });
    const f = one(await triage(), "wildcard_http_validation");
    expect(f.next_action).toMatchObject({
      tool: "update_ssl_verification_method",
      arguments: { certificate_pack_id: "wild", validation_method: "txt" },
    });
  });

  it("a part it cannot read is reported, and the rest still comes back", async () => {
    await start();
    h.fake.inject({
      fault: {
        kind: "status",
        status: 403,
        body: JSON.stringify({
          success: false,
          errors: [{ code: 9109, message: "no" }],
          messages: [],
          result: null,
        }),
      },
      path: "/quota",
    });
    const report = await triage();
    expect(one(report, "incomplete").summary).toMatch(
      /could not read certificate pack quota \(HTTP 403 9109\)/,
    );
    expect(byCode(report, "validation_timed_out")).toHaveLength(1);
  });
});

describe("scope and size", () => {
  it("a healthy zone says so in one line", async () => {
    await start();
    const result = await h.call("triage_certificates", { zone_id: FREE_ZONE });
    expect(result.structuredContent).toMatchObject({ healthy: true, findings: [] });
    expect((result.structuredContent as unknown as TriageReport).summary).toMatch(
      /^Healthy: 1 active certificate pack covers 2 hosts; next expiry 2027-01-/,
    );
  });

  it("hosts narrows the findings to those hosts", async () => {
    await start();
    const report = await triage({ hosts: ["shop.example.com"] });
    expect(report.findings.map((f) => f.code)).toEqual(["validation_pending", "quota_nearly_exhausted"]);
  });

  it("600 packs over 12 pages: every page read, findings folded, under 2,500 tokens", async () => {
    await start();
    for (let i = 0; i < 600; i++) {
      addPack({
        id: `p${i}`,
        hosts: ["example.com", `h${i}.example.com`],
        status: i % 3 === 0 ? "validation_timed_out" : i % 3 === 1 ? "pending_validation" : "active",
        validation_method: "txt",
      });
    }
    const result = await h.call("triage_certificates", { zone_id: ZONE });
    const report = result.structuredContent as unknown as TriageReport;
    expect(h.fake.log.filter((r) => r.path.endsWith("/certificate_packs")).length).toBe(13);
    expect(report.counts.high).toBeGreaterThanOrEqual(200);
    expect(report.findings.length).toBeLessThanOrEqual(20);
    const folded = report.findings.find(
      (f) => f.code === "validation_timed_out" && /more with the same problem/.test(f.summary),
    );
    expect(folded?.summary).toMatch(/^198 more with the same problem/);
    expect(folded?.pack_ids).toHaveLength(11);
    const tokens = encode(textOf(result)).length;
    expect(tokens).toBeLessThan(2500);
  });
});

describe("failure", () => {
  it("when the pack list cannot be read, triage fails clearly and sends nothing after it returns", async () => {
    await start({ client: { backoffMs: [5], maxAttempts: 2 } });
    h.fake.inject({ fault: { kind: "status", status: 503 }, path: "/certificate_packs", times: 10 });
    h.fake.inject({ fault: { kind: "delay", ms: 150 }, path: "/ssl/", times: 10 });
    const result = await h.call("triage_certificates", { zone_id: ZONE });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/triage_certificates failed: .*HTTP 503/);
    const sent = h.fake.log.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.fake.log.length).toBe(sent);
  });
});

describe("progress and cancellation", () => {
  it("reports progress as it reads, at most once a second", async () => {
    await start();
    // Slow reads spread the steps over more than two seconds; a fast triage needs no more than one message.
    for (const path of ["/ssl/verification", "/ssl/universal/settings", "/ssl_automatic_mode", "/quota"]) {
      h.fake.inject({ fault: { kind: "delay", ms: 1100 }, path });
    }
    const arrivals: number[] = [];
    const { progress } = await h.callWatched("triage_certificates", { zone_id: ZONE }, () =>
      arrivals.push(Date.now()),
    );
    expect(progress.length).toBeGreaterThanOrEqual(3);
    const values = progress.map((p) => p.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(progress[0]?.message).toBe("read 7 packs");
    expect(progress.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^read /)]));
    for (let i = 1; i < arrivals.length; i++) {
      expect((arrivals[i] as number) - (arrivals[i - 1] as number)).toBeGreaterThanOrEqual(950);
    }
  });

  it("cancellation stops it and aborts the reads in flight", async () => {
    await start();
    h.fake.inject({ fault: { kind: "delay", ms: 3000 }, path: "/ssl/verification" });
    const controller = new AbortController();
    const pending = h.call("triage_certificates", { zone_id: ZONE }, { signal: controller.signal });
    const verification = () => h.fake.log.find((r) => r.path.endsWith("/ssl/verification"));
    await vi.waitFor(() => expect(verification()).toBeDefined(), { timeout: 10_000 });
    controller.abort();
    await expect(pending).rejects.toThrow();
    // The fake sees the hang-up a moment after the client made it; its answer was due only after 3 s.
    await vi.waitFor(() => expect(verification()?.abandoned).toBe(true), { timeout: 2000 });
    const countAfter = h.fake.log.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fake.log.length).toBe(countAfter);
  });
});

describe("find_zone", () => {
  const find = async (name: string) => (await h.call("find_zone", { name })) as CallToolResult;

  it("turns a domain into the zone id, status and plan", async () => {
    await start();
    expect((await find("Example.com")).structuredContent).toEqual({
      zones: [{ id: ZONE, name: "example.com", status: "active", plan: "Business Website" }],
    });
    expect(h.fake.log.map((r) => r.query)).toEqual([{ name: "example.com" }]);
  });

  it("walks up from a hostname to its zone", async () => {
    await start();
    expect((await find("a.shop.example.com")).structuredContent).toMatchObject({ zones: [{ id: ZONE }] });
    expect(h.fake.log.map((r) => r.query.name)).toEqual([
      "a.shop.example.com",
      "shop.example.com",
      "example.com",
    ]);
  });

  it("says plainly when no zone is visible, after a bounded number of look-ups", async () => {
    await start();
    const result = await find(`${"a.".repeat(40)}nowhere.test`);
    expect(result.structuredContent).toMatchObject({
      zones: [],
      note: expect.stringMatching(/No zone named .* is visible to this token/),
    });
    expect(h.fake.log.length).toBe(6);
  });

  it("names the Zone: Read permission when the token lacks it", async () => {
    await start({ credentials: { token: `${TOKEN}-other` } });
    const result = await find("example.com");
    expect(textOf(result)).toMatch(/lacks "Zone: Read"/);
  });
});

describe("prompts", () => {
  it("are listed and render the workflow for the given zone", async () => {
    await start();
    const { prompts } = await h.mcp.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(["triage_zone", "issue_certificate", "fix_stuck_validation"]);
    const triageByName = await h.mcp.getPrompt({
      name: "triage_zone",
      arguments: { zone: "example.com", host: "shop.example.com" },
    });
    const text = (triageByName.messages[0]?.content as { text: string } | undefined)?.text ?? "";
    expect(text).toMatch(/find_zone with name "example\.com"/);
    expect(text).toMatch(/triage_certificates for the zone with hosts \["shop\.example\.com"\]/);
    const byId = await h.mcp.getPrompt({
      name: "issue_certificate",
      arguments: { zone: ZONE, hosts: "example.com, api.example.com" },
    });
    const issue = (byId.messages[0]?.content as { text: string } | undefined)?.text ?? "";
    expect(issue).toMatch(`The zone id is ${ZONE}`);
    expect(issue.indexOf("get_certificate_pack_quota")).toBeLessThan(issue.indexOf("order_certificate_pack"));
    await expect(
      h.mcp.getPrompt({ name: "issue_certificate", arguments: { zone: "example.com" } }),
    ).rejects.toThrow(/needs: hosts/);
  });
});
