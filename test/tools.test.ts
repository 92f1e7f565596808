// Each tool through a real MCP client: the exact request that reaches the API over a loopback socket, and
// the result the model gets back (which the SDK client validates against the tool's output schema).
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TOOLS } from "../src/tools/registry.js";
import {
  addPacks,
  CUSTOM_CERT,
  FREE_ZONE,
  type Harness,
  PACK,
  startHarness,
  TOKEN,
  textOf,
  ZONE,
} from "./helpers/harness.js";

const PEM = readFileSync(new URL("./fixtures/example-com.pem", import.meta.url), "utf8");

interface Case {
  tool: string;
  args: Record<string, unknown>;
  sends: { method: string; path: string; query?: Record<string, string>; body?: unknown };
  returns: (structured: Record<string, unknown>) => void;
}

const CASES: Case[] = [
  {
    tool: "triage_certificates",
    args: { zone_id: ZONE, horizon_days: 30 },
    // Its last request; it also reads packs, verification, Universal SSL and the automatic mode.
    sends: { method: "GET", path: `/zones/${ZONE}/ssl/certificate_packs/quota`, query: {} },
    returns: (r) => {
      expect(r.healthy).toBe(false);
      expect((r.findings as unknown[]).length).toBeGreaterThan(0);
    },
  },
  {
    tool: "find_zone",
    args: { name: "example.com" },
    sends: { method: "GET", path: "/zones", query: { name: "example.com" } },
    returns: (r) =>
      expect(r).toEqual({
        zones: [{ id: ZONE, name: "example.com", status: "active", plan: "Business Website" }],
      }),
  },
  {
    tool: "list_certificate_packs",
    args: { zone_id: ZONE, status: "all", page: 1, per_page: 5, deploy: "production" },
    sends: {
      method: "GET",
      path: `/zones/${ZONE}/ssl/certificate_packs`,
      query: { status: "all", page: "1", per_page: "5", deploy: "production" },
    },
    returns: (r) => {
      expect(r.packs).toHaveLength(5);
      expect(r).toMatchObject({ page: 1, per_page: 5, total_count: 7, total_pages: 2 });
      expect((r.packs as { id: string }[])[0]).toMatchObject({
        id: PACK.universal,
        type: "universal",
        status: "active",
      });
    },
  },
  {
    tool: "get_certificate_pack",
    args: { zone_id: ZONE, certificate_pack_id: PACK.pending },
    sends: { method: "GET", path: `/zones/${ZONE}/ssl/certificate_packs/${PACK.pending}`, query: {} },
    returns: (r) => {
      expect(r).toMatchObject({ id: PACK.pending, status: "pending_validation", validation_method: "txt" });
      expect(r.validation_records).toEqual([
        expect.objectContaining({ txt_name: "_acme-challenge.example.com", txt_value: expect.any(String) }),
        expect.objectContaining({ txt_name: "_acme-challenge.shop.example.com" }),
      ]);
    },
  },
  {
    tool: "order_certificate_pack",
    args: {
      zone_id: ZONE,
      hosts: ["example.com", "New.Example.com"],
      validation_method: "txt",
      validity_days: 90,
      certificate_authority: "lets_encrypt",
      cloudflare_branding: false,
    },
    sends: {
      method: "POST",
      path: `/zones/${ZONE}/ssl/certificate_packs/order`,
      body: {
        type: "advanced",
        hosts: ["example.com", "new.example.com"],
        validation_method: "txt",
        validity_days: 90,
        certificate_authority: "lets_encrypt",
        cloudflare_branding: false,
      },
    },
    returns: (r) => {
      expect(r).toMatchObject({
        type: "advanced",
        status: "initializing",
        hosts: ["example.com", "new.example.com"],
      });
      expect(r.validation_records).toHaveLength(2);
    },
  },
  {
    tool: "restart_certificate_pack_validation",
    args: { zone_id: ZONE, certificate_pack_id: PACK.timedOut },
    sends: { method: "PATCH", path: `/zones/${ZONE}/ssl/certificate_packs/${PACK.timedOut}`, body: {} },
    returns: (r) => expect(r).toMatchObject({ id: PACK.timedOut, status: "pending_validation" }),
  },
  {
    tool: "delete_certificate_pack",
    args: { zone_id: ZONE, certificate_pack_id: PACK.expiring },
    sends: {
      method: "DELETE",
      path: `/zones/${ZONE}/ssl/certificate_packs/${PACK.expiring}`,
      body: undefined,
    },
    returns: (r) => expect(r).toEqual({ id: PACK.expiring }),
  },
  {
    tool: "get_certificate_pack_quota",
    args: { zone_id: ZONE },
    sends: { method: "GET", path: `/zones/${ZONE}/ssl/certificate_packs/quota` },
    returns: (r) => expect(r).toEqual({ advanced: { allocated: 5, used: 4 }, available: 1 }),
  },
  {
    tool: "get_ssl_verification",
    args: { zone_id: ZONE, retry: true },
    sends: { method: "GET", path: `/zones/${ZONE}/ssl/verification`, query: { retry: "true" } },
    returns: (r) => {
      const pending = (r.verifications as Record<string, unknown>[]).find(
        (v) => v.cert_pack_uuid === PACK.pending,
      );
      expect(pending).toMatchObject({
        certificate_status: "authorizing",
        verification_info: { record_name: "_acme-challenge.example.com", record_target: expect.any(String) },
      });
    },
  },
  {
    tool: "update_ssl_verification_method",
    args: { zone_id: ZONE, certificate_pack_id: PACK.pending, validation_method: "cname" },
    sends: {
      method: "PATCH",
      path: `/zones/${ZONE}/ssl/verification/${PACK.pending}`,
      body: { validation_method: "cname" },
    },
    returns: (r) => expect(r).toEqual({ status: "pending_validation", validation_method: "cname" }),
  },
  {
    tool: "get_universal_ssl_settings",
    args: { zone_id: ZONE },
    sends: { method: "GET", path: `/zones/${ZONE}/ssl/universal/settings` },
    returns: (r) => expect(r).toEqual({ enabled: true }),
  },
  {
    tool: "update_universal_ssl_settings",
    args: { zone_id: ZONE, enabled: true },
    sends: { method: "PATCH", path: `/zones/${ZONE}/ssl/universal/settings`, body: { enabled: true } },
    returns: (r) => expect(r).toEqual({ enabled: true }),
  },
  {
    tool: "get_automatic_ssl_mode",
    args: { zone_id: ZONE },
    sends: { method: "GET", path: `/zones/${ZONE}/settings/ssl_automatic_mode` },
    returns: (r) =>
      expect(r).toMatchObject({
        id: "ssl_automatic_mode",
        value: "auto",
        next_scheduled_scan: expect.any(String),
      }),
  },
  {
    tool: "set_automatic_ssl_mode",
    args: { zone_id: ZONE, value: "custom" },
    sends: { method: "PATCH", path: `/zones/${ZONE}/settings/ssl_automatic_mode`, body: { value: "custom" } },
    returns: (r) => {
      expect(r).toMatchObject({ value: "custom", editable: true });
      expect(r).not.toHaveProperty("next_scheduled_scan");
    },
  },
  {
    tool: "get_ssl_recommendation",
    args: { zone_id: ZONE },
    sends: { method: "GET", path: `/zones/${ZONE}/ssl/recommendation` },
    returns: (r) => expect(r).toMatchObject({ id: "ssl_automatic_mode", value: "auto" }),
  },
  {
    tool: "prioritize_custom_certificates",
    args: {
      zone_id: ZONE,
      certificates: [
        { id: CUSTOM_CERT.sni, priority: 5 },
        { id: CUSTOM_CERT.legacy, priority: 1 },
      ],
    },
    sends: {
      method: "PUT",
      path: `/zones/${ZONE}/custom_certificates/prioritize`,
      body: {
        certificates: [
          { id: CUSTOM_CERT.sni, priority: 5 },
          { id: CUSTOM_CERT.legacy, priority: 1 },
        ],
      },
    },
    returns: (r) =>
      expect(r.certificates).toEqual([
        expect.objectContaining({ id: CUSTOM_CERT.sni, priority: 5 }),
        expect.objectContaining({ id: CUSTOM_CERT.legacy, priority: 1 }),
      ]),
  },
  {
    tool: "analyze_certificate",
    args: { zone_id: ZONE, certificate: PEM, bundle_method: "optimal" },
    sends: {
      method: "POST",
      path: `/zones/${ZONE}/ssl/analyze`,
      body: { certificate: PEM, bundle_method: "optimal" },
    },
    returns: (r) =>
      expect(r).toMatchObject({
        hosts: ["example.com", "www.example.com"],
        signature: "ECDSAWithSHA256",
        expires_on: "2036-11-19T06:18:51.000Z",
      }),
  },
];

describe("every tool", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it("has a case here", () => {
    expect(CASES.map((c) => c.tool).sort()).toEqual(TOOLS.map((t) => t.name).sort());
  });

  for (const c of CASES) {
    it(`${c.tool} sends exactly its request and returns the shaped result`, async () => {
      const result = await h.callApproved(c.tool, c.args);
      expect(result.isError, textOf(result)).toBeFalsy();
      const mutating = h.fake.log.filter((r) => r.method !== "GET" || r.path === c.sends.path);
      const sent = mutating.at(-1);
      expect(sent).toMatchObject({ method: c.sends.method, path: c.sends.path });
      if (c.sends.query) expect(sent?.query).toEqual(c.sends.query);
      if ("body" in c.sends) expect(sent?.body).toEqual(c.sends.body);
      expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(result.structuredContent);
      c.returns(result.structuredContent as Record<string, unknown>);
    });
  }
});

describe("list_certificate_packs", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it("returns active packs only by default, every status with status all", async () => {
    const active = (await h.call("list_certificate_packs", { zone_id: ZONE })).structuredContent as {
      packs: { status: string }[];
    };
    expect(active.packs.every((p) => p.status === "active")).toBe(true);
    expect(active.packs).toHaveLength(4);
    const all = (await h.call("list_certificate_packs", { zone_id: ZONE, status: "all" }))
      .structuredContent as {
      packs: { status: string; type: string; certificates?: unknown }[];
    };
    expect(all.packs.map((p) => p.status)).toContain("validation_timed_out");
    expect(all.packs.find((p) => p.type === "sni_custom")?.certificates).toEqual([
      { id: CUSTOM_CERT.sni, priority: 1 },
    ]);
  });

  it("all_pages follows every page and reports the totals", async () => {
    addPacks(h.fake, 120, "extra");
    const r = (await h.call("list_certificate_packs", { zone_id: ZONE, status: "all", all_pages: true }))
      .structuredContent as { packs: unknown[]; total_count: number; pages_read: number };
    expect(r.packs).toHaveLength(127);
    expect(r).toMatchObject({ total_count: 127, pages_read: 3 });
    expect(h.fake.log.map((l) => l.query.page)).toEqual(["1", "2", "3"]);
    expect(h.fake.log.every((l) => l.query.per_page === "50")).toBe(true);
  });

  it("all_pages over 600 packs reads and counts them all, and lists at most 250", async () => {
    addPacks(h.fake, 593, "bulk", (i) => ({ status: i % 2 ? "active" : "pending_validation" }));
    const r = (await h.call("list_certificate_packs", { zone_id: ZONE, status: "all", all_pages: true }))
      .structuredContent as {
      packs: unknown[];
      read: number;
      total_count: number;
      by_status: Record<string, number>;
      by_type: Record<string, number>;
      omitted: string;
    };
    expect(r.read).toBe(600);
    expect(r.total_count).toBe(600);
    expect(r.packs).toHaveLength(250);
    expect(Object.values(r.by_status).reduce((a, b) => a + b, 0)).toBe(600);
    expect(r.by_type).toMatchObject({ advanced: 597, universal: 1, sni_custom: 1, legacy_custom: 1 });
    expect(r.omitted).toMatch(
      /^350 more packs were read and counted but not listed; use page and per_page \(50\) from page 6/,
    );
    expect(h.fake.log).toHaveLength(12);
  });

  it("all_pages stops on a server that ignores page", async () => {
    addPacks(h.fake, 60, "extra");
    h.fake.inject({ fault: { kind: "ignore_page" }, path: "/certificate_packs", times: 100 });
    const r = (await h.call("list_certificate_packs", { zone_id: ZONE, status: "all", all_pages: true }))
      .structuredContent as { packs: unknown[]; stopped_because: string };
    expect(r.packs).toHaveLength(50);
    expect(r.stopped_because).toMatch(/page 2 repeated/);
    expect(h.fake.log).toHaveLength(2);
  });

  it("refuses page with all_pages, and per_page outside 5 to 50, before sending anything", async () => {
    const both = await h.call("list_certificate_packs", { zone_id: ZONE, all_pages: true, page: 2 });
    expect(both.isError).toBe(true);
    expect(textOf(both)).toMatch(/leave out page and per_page/);
    const small = await h.call("list_certificate_packs", { zone_id: ZONE, per_page: 4 });
    expect(textOf(small)).toMatch(/per_page: must be 5 to 50/);
    expect(h.fake.log).toHaveLength(0);
  });
});

describe("contract rules enforced before sending", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  const order = {
    zone_id: ZONE,
    hosts: ["example.com"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "google",
  };

  it.each([
    [{ ...order, zone_id: "example.com" }, /zone_id: must be the zone's id/],
    [{ ...order, zone_id: ZONE.toUpperCase() }, /zone_id: must be the zone's id/],
    [{ ...order, hosts: [] }, /hosts: needs at least one hostname/],
    [
      { ...order, hosts: Array.from({ length: 51 }, (_, i) => `h${i}.example.com`) },
      /hosts: takes at most 50/,
    ],
    [{ ...order, hosts: ["example.com", "example.com"] }, /hosts: must not repeat/],
    [{ ...order, hosts: ["example.com", "bad host"] }, /hosts.1: must be a hostname/],
    [{ ...order, validity_days: 7 }, /validity_days/],
    [{ ...order, validity_days: 5475 }, /validity_days/],
    [{ ...order, certificate_authority: "lets_encrypt", validity_days: 30 }, /Let's Encrypt issues 90-day/],
    [{ ...order, validity_days: 365 }, /Google Trust Services issues 14, 30 or 90/],
    [
      { ...order, hosts: ["example.com", "*.example.com"], validation_method: "http" },
      /http validation cannot prove a wildcard/,
    ],
    [{ ...order, validation_method: "cname" }, /validation_method/],
    [{ ...order, typo_field: 1 }, /unknown field typo_field/],
    [{ zone_id: ZONE }, /hosts: required/],
  ])("order_certificate_pack rejects %j", async (args, message) => {
    const result = await h.call("order_certificate_pack", args);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/invalid arguments, nothing was sent/);
    expect(textOf(result)).toMatch(message);
    expect(h.fake.log).toHaveLength(0);
  });

  it.each(["../quota", "a/b", "a?b", "a#b", "..", "%2e%2e", "x".repeat(65), ""])(
    "a pack id %j cannot reach another path",
    async (id) => {
      const result = await h.call("get_certificate_pack", { zone_id: ZONE, certificate_pack_id: id });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/certificate_pack_id: must be a certificate pack id/);
      expect(h.fake.log).toHaveLength(0);
    },
  );

  it("verification PATCH takes cname and email, which orders do not", async () => {
    const r = await h.call("update_ssl_verification_method", {
      zone_id: ZONE,
      certificate_pack_id: PACK.pending,
      validation_method: "email",
    });
    expect(r.isError).toBeFalsy();
    const bad = await h.call("update_ssl_verification_method", {
      zone_id: ZONE,
      certificate_pack_id: PACK.pending,
      validation_method: "dns",
    });
    expect(textOf(bad)).toMatch(/validation_method/);
  });

  it("analyze refuses what is not a PEM certificate", async () => {
    const r = await h.call("analyze_certificate", { zone_id: ZONE, certificate: "/etc/ssl/cert.pem" });
    expect(textOf(r)).toMatch(/certificate: must be PEM text/);
    expect(h.fake.log).toHaveLength(0);
  });

  it("the free zone without Advanced Certificate Manager gets an actionable error", async () => {
    const r = await h.call("order_certificate_pack", {
      ...order,
      zone_id: FREE_ZONE,
      hosts: ["example.net"],
    });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/HTTP 403\. Cloudflare: 1450/);
    expect(textOf(r)).toMatch(/no Advanced Certificate Manager subscription/);
  });
});
