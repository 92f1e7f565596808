// The sandbox as a handler, in-process: Requests in, Responses out, no socket. Also holds its ids to the
// hashing they were first made with, its certificate reader to Node's, and its code to no Node built-ins.
import { createHash, X509Certificate } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/lib/sha256.js";
import { readPemCertificate } from "../src/sandbox/der.js";
import { createSandbox, type SandboxOptions } from "../src/sandbox/handler.js";
import { DEFAULT_LIMITS } from "../src/sandbox/limits.js";
import { DEMO_ZONE_ID, FREE_ZONE_ID, idFor, type Pack } from "../src/sandbox/state.js";

const TOKEN = "sandbox-test-token";
const START = Date.parse("2026-11-01T00:00:00Z");
const ZONE = DEMO_ZONE_ID;
const FLEET_IDS = ["example.org", "shop.example", "blog.example", "docs.example", "api.example"].map((name) =>
  idFor("sandbox-zone", name),
);
const PEM = readFileSync(new URL("./fixtures/example-com.pem", import.meta.url), "utf8");
// Self-signed, with a subject that needs escaping: a leading #, a backslash, a quote, a tab, a trailing space.
const TRICKY_PEM = `-----BEGIN CERTIFICATE-----
MIIB8jCCAZegAwIBAgIUR2VK/a1vjXIJA/uXfKe15bmokp4wCgYIKoZIzj0EAwIw
QzEQMA4GA1UECgwHI09wcyAjeDEQMA4GA1UECwwHYVxiPWMiZDEOMAwGA1UEAwwF
dGFiCXgxDTALBgNVBAcMBGVuZCAwHhcNMjYxMjAxMTM0ODUwWhcNMjYxMjA0MTM0
ODUwWjBDMRAwDgYDVQQKDAcjT3BzICN4MRAwDgYDVQQLDAdhXGI9YyJkMQ4wDAYD
VQQDDAV0YWIJeDENMAsGA1UEBwwEZW5kIDBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABIgBuILFbKtPrWT9h123REpHmPuBbM/qPQuqOffK99hRwuXK/rqG794LnsWf
TN8K7i7ub52ZagP9oUaN1qax7QKjaTBnMB0GA1UdDgQWBBQv4tjJAI4WjK2Q1qCR
UVxyEoAIVzAfBgNVHSMEGDAWgBQv4tjJAI4WjK2Q1qCRUVxyEoAIVzAPBgNVHRMB
Af8EBTADAQH/MBQGA1UdEQQNMAuCCXQuZXhhbXBsZTAKBggqhkjOPQQDAgNJADBG
AiEAmj8PRToKH8oenrRTFxdWf/RYALaneevffc3mzjLAJ6oCIQDg0p9b/yEKyDRi
H6vwJEKcmv9X2oMPiHlHLoNCrU7aWg==
-----END CERTIFICATE-----
`;

interface Envelope {
  success: boolean;
  errors: { code: number; message: string }[];
  messages: unknown[];
  result: unknown;
  result_info?: Record<string, number>;
}

const ids = (result: unknown) => (result as { id: string }[]).map((item) => item.id);
const idOf = (result: unknown) => (result as { id: string }).id;

function sandboxWith(options: SandboxOptions = {}) {
  const sandbox = createSandbox({ token: TOKEN, clock: () => START, ...options });
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await sandbox.handle(
      new Request(`http://sandbox.test/client/v4${path}`, {
        method,
        headers: headers ?? { authorization: `Bearer ${TOKEN}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    expect(response.headers.get("content-type")).toBe("application/json");
    return { status: response.status, json: (await response.json()) as Envelope };
  };
  return { sandbox, call };
}

const ORDER = {
  type: "advanced",
  hosts: ["example.com", "new.example.com"],
  validation_method: "txt",
  validity_days: 90,
  certificate_authority: "lets_encrypt",
};

describe("ids", () => {
  it("are the first 32 hex digits of SHA-256, as node:crypto computes it", () => {
    const samples: string[][] = [
      [ZONE, "pack", "universal"],
      [ZONE, "pack", "advanced-expiring"],
      [ZONE, "custom-certificate", "custom-sni"],
      [FREE_ZONE_ID, "pack", "universal"],
      [ZONE, "order", "1"],
      [idFor(ZONE, "order", "1"), "dcv"],
      [ZONE, "account"],
    ];
    for (let n = 0; n < 140; n++) samples.push(["x".repeat(n)], ["é日🙂".repeat(n % 30), String(n)]);
    for (const parts of samples) {
      const expected = createHash("sha256").update(parts.join("/")).digest("hex");
      expect(sha256Hex(parts.join("/"))).toBe(expected);
      expect(idFor(...parts)).toBe(expected.slice(0, 32));
    }
  });
});

describe("the handler", () => {
  it("refuses a request without credentials or with the wrong token, in the v4 envelope", async () => {
    const { call } = sandboxWith();
    const none = await call("GET", "/zones", undefined, {});
    expect(none.status).toBe(400);
    expect(none.json).toMatchObject({ success: false, errors: [{ code: 9106 }], messages: [], result: null });
    const wrong = await call("GET", "/zones", undefined, { authorization: "Bearer nope" });
    expect(wrong).toMatchObject({ status: 403, json: { success: false, errors: [{ code: 9109 }] } });
  });

  it("lists the seeded zones and packs", async () => {
    const { call } = sandboxWith();
    const zones = await call("GET", "/zones");
    expect(zones.status).toBe(200);
    // example.com first, the zone without ACM, then the fleet (see seed-fleet.ts).
    expect(ids(zones.json.result)).toEqual([ZONE, FREE_ZONE_ID, ...FLEET_IDS]);
    expect(zones.json.result_info).toMatchObject({ count: 7, total_count: 7 });
    const packs = await call("GET", `/zones/${ZONE}/ssl/certificate_packs?status=all`);
    expect(ids(packs.json.result)).toContain(idFor(ZONE, "pack", "universal"));
    expect(packs.json.result_info).toMatchObject({ page: 1, per_page: 20, count: 7, total_count: 7 });
  });

  it("orders a pack that then moves along its lifecycle", async () => {
    let now = START;
    const { call } = sandboxWith({ clock: () => now, stepMs: 1000 });
    const ordered = await call("POST", `/zones/${ZONE}/ssl/certificate_packs/order`, ORDER);
    expect(ordered.status).toBe(200);
    expect(ordered.json.result).toMatchObject({ id: idFor(ZONE, "order", "1"), status: "initializing" });
    now += 4000;
    const later = await call("GET", `/zones/${ZONE}/ssl/certificate_packs/${idFor(ZONE, "order", "1")}`);
    expect(later.json.result).toMatchObject({ status: "active", certificates: [{}, {}] });
    const full = await call("POST", `/zones/${ZONE}/ssl/certificate_packs/order`, ORDER);
    expect(full).toMatchObject({ status: 400, json: { errors: [{ code: 1453 }] } });
  });

  it("routes by the table: unknown paths, wrong methods, a literal segment before a parameter", async () => {
    const { call } = sandboxWith();
    expect((await call("GET", `/zones/${ZONE}/nothing`)).json.errors[0]?.code).toBe(7000);
    expect((await call("GET", "/zones/nope/ssl/verification")).json.errors.map((e) => e.code)).toEqual([
      7003, 7000,
    ]);
    expect((await call("GET", `/zones/${ZONE}/ssl/certificate_packs/order`)).status).toBe(405);
    // A missing pack under certificate_packs is reported before a wrong method; under verification, after.
    const missing = "0".repeat(32);
    expect((await call("PUT", `/zones/${ZONE}/ssl/certificate_packs/${missing}`)).json.errors[0]?.code).toBe(
      1404,
    );
    expect((await call("PUT", `/zones/${ZONE}/ssl/verification/${missing}`)).status).toBe(405);
    expect((await call("PATCH", `/zones/${ZONE}/ssl/universal/settings`)).json.errors[0]?.code).toBe(1400);
  });
});

describe("the caps of a shared sandbox", () => {
  const added = (id: string): Pack => ({
    id,
    type: "sni_custom",
    status: "active",
    hosts: [],
    certificates: [],
  });

  it("drop the oldest added packs first, then seeded ones, and keep the new one", async () => {
    const { sandbox, call } = sandboxWith({ limits: { packsPerZone: 8 } });
    const zone = sandbox.zones.get(ZONE);
    if (!zone) throw new Error("no demo zone");
    const seeded = [...zone.packs.keys()];
    expect(seeded).toHaveLength(7);
    zone.packs.set("added-1", added("added-1"));
    const first = await call("POST", `/zones/${ZONE}/ssl/certificate_packs/order`, ORDER);
    expect(first.status).toBe(200);
    expect([...zone.packs.keys()]).toEqual([...seeded, idOf(first.json.result)]);
    zone.packs.set("added-2", added("added-2"));
    // Switching Universal SSL off and on again replaces its pack: the order, now the oldest added, goes.
    await call("PATCH", `/zones/${ZONE}/ssl/universal/settings`, { enabled: false });
    await call("PATCH", `/zones/${ZONE}/ssl/universal/settings`, { enabled: true });
    const keys = [...zone.packs.keys()];
    expect(keys).toHaveLength(8);
    expect(keys).not.toContain(idOf(first.json.result));
    expect(keys.slice(0, 6)).toEqual(seeded.slice(1));
    expect(keys[6]).toBe("added-2");

    const tight = sandboxWith({ limits: { packsPerZone: 7 } });
    const tightZone = tight.sandbox.zones.get(ZONE);
    const order = await tight.call("POST", `/zones/${ZONE}/ssl/certificate_packs/order`, ORDER);
    expect(order.status).toBe(200);
    expect(tightZone?.packs.size).toBe(7);
    expect(tightZone?.packs.has(idFor(ZONE, "pack", "universal"))).toBe(false);
    expect(tightZone?.packs.has(idOf(order.json.result))).toBe(true);
  });

  it("drop the oldest added zone first, never the zone being written to", async () => {
    const { sandbox, call } = sandboxWith({ limits: { zones: 8 } });
    const free = sandbox.zones.get(FREE_ZONE_ID);
    if (!free) throw new Error("no free zone");
    for (const id of ["a".repeat(32), "b".repeat(32)])
      sandbox.zones.set(id, { ...free, id, packs: new Map() });
    expect((await call("POST", `/zones/${ZONE}/ssl/certificate_packs/order`, ORDER)).status).toBe(200);
    expect([...sandbox.zones.keys()]).toEqual([ZONE, FREE_ZONE_ID, ...FLEET_IDS, "b".repeat(32)]);

    const one = sandboxWith({ limits: { zones: 1 } });
    expect((await one.call("POST", `/zones/${ZONE}/ssl/certificate_packs/order`, ORDER)).status).toBe(200);
    expect([...one.sandbox.zones.keys()]).toEqual([ZONE]);
  });

  it("have defaults, and refuse a cap that is not a whole number from 1", () => {
    expect(DEFAULT_LIMITS).toEqual({ zones: 50, packsPerZone: 100 });
    expect(() => createSandbox({ limits: { zones: 0 } })).toThrow(
      /limits\.zones must be a whole number from 1/,
    );
    expect(() => createSandbox({ limits: { packsPerZone: 2.5 } })).toThrow(/limits\.packsPerZone/);
  });
});

describe("analyze", () => {
  it("reads the fixture's hosts, signature, names and expiry", async () => {
    const { call } = sandboxWith();
    const { status, json } = await call("POST", `/zones/${ZONE}/ssl/analyze`, { certificate: PEM });
    expect(status).toBe(200);
    expect(json.result).toEqual({
      hosts: ["example.com", "www.example.com"],
      signature: "ECDSAWithSHA256",
      issuer: "CN=example.com",
      subject: "CN=example.com",
      expires_on: "2036-11-19T06:18:51.000Z",
      uploaded_on: new Date(START).toISOString(),
      bundle_method: "ubiquitous",
    });
    const bad = await call("POST", `/zones/${ZONE}/ssl/analyze`, {
      certificate: "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----",
    });
    expect(bad).toMatchObject({ status: 400, json: { errors: [{ code: 1002 }] } });
  });

  it.each([
    ["the fixture", PEM],
    ["a subject that needs escaping", TRICKY_PEM],
  ])("reads %s as Node's X509Certificate does", (_, pem) => {
    const node = new X509Certificate(pem);
    const ours = readPemCertificate(pem);
    expect(ours.subject).toBe(node.subject);
    expect(ours.issuer).toBe(node.issuer);
    expect(ours.expiresOn.toISOString()).toBe(new Date(node.validTo).toISOString());
    expect(ours.hosts.map((h) => `DNS:${h}`).join(", ")).toBe(node.subjectAltName);
  });
});

describe("runs outside Node", () => {
  it("nothing under src/sandbox but node.ts imports a Node built-in, Buffer or process", async () => {
    const dir = fileURLToPath(new URL("../src/sandbox/", import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "node.ts");
    expect(files).toContain("handler.ts");
    const builtins = new Set(builtinModules);
    const result = await build({
      entryPoints: files.map((f) => `${dir}${f}`),
      bundle: true,
      write: false,
      outdir: "out",
      platform: "neutral",
      format: "esm",
      logLevel: "silent",
      plugins: [
        {
          name: "no-node-builtins",
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) =>
              args.path.startsWith("node:") || builtins.has(args.path)
                ? { errors: [{ text: `${args.importer} imports ${args.path}` }] }
                : undefined,
            );
          },
        },
      ],
    });
    expect(result.errors).toEqual([]);
    for (const file of result.outputFiles) expect(file.text, file.path).not.toMatch(/\bBuffer\b|\bprocess\./);
  });
});
