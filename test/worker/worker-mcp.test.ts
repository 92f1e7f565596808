// MCP through the Worker inside workerd, with real clients of both protocol eras: tools listed and called, each
// request's token carried to the (fake) Cloudflare API and never shown back, callers kept apart, read-only.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createWorker, type WorkerEnv } from "../../src/entries/worker.js";
import { DEMO_ZONE_ID, idFor } from "../../src/sandbox/state.js";
import {
  API_BASE,
  echoingAuthorization,
  type FakeCloudflare,
  installFakeCloudflare,
} from "./fake-cloudflare.js";
import { type Connected, connectLegacy, connectModern, MODERN, textOf } from "./mcp-clients.js";

const TOKEN_A = "tokA_5ecretValue_0123456789abcdefXYZ";
const TOKEN_B = "tokB_otherSecret_9876543210fedcbaQRS";
const ZONE = DEMO_ZONE_ID;
const WRITE_TOOL = "order_certificate_pack";
const withApi: WorkerEnv = { ...env, CLOUDFLARE_BASE_URL: API_BASE };

let fake: FakeCloudflare | undefined;
const open: Connected[] = [];
afterEach(async () => {
  for (const client of open.splice(0)) await client.close();
  fake?.restore();
  fake = undefined;
});

const ERAS = [
  { era: "2026-07-28 (2.x client)", connect: connectModern },
  { era: "2025 (1.x client)", connect: connectLegacy },
] as const;

describe.each(ERAS)("the $era era", ({ era, connect }) => {
  const start = async (options: Parameters<typeof connect>[2], workerEnv = withApi) => {
    const client = await connect(createWorker(), workerEnv, options);
    open.push(client);
    return client;
  };

  it("lists every tool and calls one with the caller's token, sent to the API base the var names", async () => {
    fake = installFakeCloudflare();
    const client = await start({ token: TOKEN_A });
    const tools = (await client.listTools()).map((t) => t.name);
    expect(tools).toContain("list_certificate_packs");
    expect(tools).toContain(WRITE_TOOL);
    const result = await client.callTool("list_certificate_packs", { zone_id: ZONE });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).toContain(idFor(ZONE, "pack", "advanced-expiring"));
    expect(fake.requests.length).toBeGreaterThan(0);
    for (const seen of fake.requests) expect(seen.authorization).toBe(`Bearer ${TOKEN_A}`);
    expect(fake.requests.map((r) => r.path)).toContainEqual(
      expect.stringMatching(new RegExp(`^/zones/${ZONE}/ssl/certificate_packs`)),
    );
    const versions = new Set(client.exchanges.map((x) => x.protocolVersion).filter(Boolean));
    if (era.startsWith(MODERN)) expect(versions).toEqual(new Set([MODERN]));
    else expect([...versions].every((v) => v !== MODERN)).toBe(true);
  });

  it("never shows the token back, even when the API quotes it in an error", async () => {
    fake = installFakeCloudflare([echoingAuthorization(`/zones/${ZONE}/ssl/certificate_packs`)]);
    const client = await start({ token: TOKEN_A });
    const result = await client.callTool("list_certificate_packs", { zone_id: ZONE });
    expect(result.isError).toBe(true);
    const shown = JSON.stringify(result);
    expect(shown).toContain("[redacted]");
    expect(shown).not.toContain(TOKEN_A);
    expect(fake.requests.some((r) => r.authorization === `Bearer ${TOKEN_A}`)).toBe(true);
  });

  it("keeps two callers apart across 120 interleaved calls: each call carries its own token only", async () => {
    fake = installFakeCloudflare();
    const worker = createWorker();
    const a = await connect(worker, withApi, { token: TOKEN_A });
    const b = await connect(worker, withApi, { token: TOKEN_B });
    open.push(a, b);
    // Each caller's account differs: B's demo zone loses a pack, so the listings tell the callers apart.
    const gone = idFor(ZONE, "pack", "advanced-expiring");
    fake.account(TOKEN_B).zones.get(ZONE)?.packs.delete(gone);
    const calls = Array.from({ length: 120 }, (_, i) => {
      const [who, client] = i % 2 === 0 ? (["A", a] as const) : (["B", b] as const);
      return client
        .callTool("list_certificate_packs", { zone_id: ZONE })
        .then((result) => ({ who, text: textOf(result) }));
    });
    const results = await Promise.all(calls);
    for (const { who, text } of results) {
      expect(text.includes(gone), `caller ${who}`).toBe(who === "A");
    }
    const tokens = new Set(fake.requests.map((r) => r.authorization));
    expect(tokens).toEqual(new Set([`Bearer ${TOKEN_A}`, `Bearer ${TOKEN_B}`]));
    const count = (token: string) => fake?.requests.filter((r) => r.authorization === `Bearer ${token}`);
    expect(count(TOKEN_A)?.length).toBe(count(TOKEN_B)?.length);
    expect(count(TOKEN_A)?.length).toBeGreaterThanOrEqual(60);
  });

  it.each([
    ["the /mcp/readonly path", { path: "/mcp/readonly" }],
    ["the X-MCP-Readonly header", { headers: { "x-mcp-readonly": "true" } }],
  ])("read-only through %s: write tools are absent and refused, and nothing is sent", async (_, how) => {
    fake = installFakeCloudflare();
    const client = await start({ token: TOKEN_A, ...how });
    const tools = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("list_certificate_packs");
    expect(tools.map((t) => t.name)).not.toContain(WRITE_TOOL);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const refused = await client.callTool(WRITE_TOOL, { zone_id: ZONE, hosts: ["example.com"] }).then(
      (r) => textOf(r),
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/Unknown tool order_certificate_pack \(the server runs read-only/);
    expect(fake.requests).toEqual([]);
  });

  it("READ_ONLY=true makes /mcp read-only too, and a header cannot widen it", async () => {
    fake = installFakeCloudflare();
    const client = await start(
      { token: TOKEN_A, headers: { "x-mcp-readonly": "false" } },
      { ...withApi, READ_ONLY: "true" },
    );
    expect((await client.listTools()).map((t) => t.name)).not.toContain(WRITE_TOOL);
  });
});
