// A destructive call through the Worker sends nothing that changes state until it is approved: by the plan's
// confirm value on a later, separate request (the Worker keeps no session), or by the user through an
// input-required round trip on 2026-07-28 when the client declares elicitation.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createWorker, type WorkerEnv } from "../../src/entries/worker.js";
import { DEMO_ZONE_ID, idFor } from "../../src/sandbox/state.js";
import { API_BASE, type FakeCloudflare, installFakeCloudflare } from "./fake-cloudflare.js";
import { type Connected, connectLegacy, connectModern, MODERN, textOf } from "./mcp-clients.js";

const TOKEN = "tok_5ecretValue_0123456789abcdefXYZ";
const ZONE = DEMO_ZONE_ID;
const PACK = idFor(ZONE, "pack", "advanced-expiring");
const DELETE = { zone_id: ZONE, certificate_pack_id: PACK };
const KEY = "approval-key-0123456789abcdef0123456789";
const OTHER_KEY = "approval-key-fedcba9876543210fedcba9876";
const withApi: WorkerEnv = { ...env, CLOUDFLARE_BASE_URL: API_BASE };

let fake: FakeCloudflare;
const open: Connected[] = [];
afterEach(async () => {
  for (const client of open.splice(0)) await client.close();
  fake?.restore();
});

const mutations = () => fake.requests.filter((r) => r.method !== "GET");
const confirmOf = (result: { structuredContent?: unknown }) =>
  (result.structuredContent as { approval?: { confirm?: string; reason?: string } } | undefined)?.approval;

async function connected(connect: typeof connectLegacy, worker = createWorker(), workerEnv = withApi) {
  const client = await connect(worker, workerEnv, { token: TOKEN });
  open.push(client);
  return client;
}

describe.each([
  { era: "2025", connect: connectLegacy },
  { era: MODERN, connect: connectModern },
])("without elicitation ($era era)", ({ connect }) => {
  it("the first call returns the plan and sends nothing; a second request with its confirm value acts once", async () => {
    fake = installFakeCloudflare();
    const client = await connected(connect);
    const first = await client.callTool("delete_certificate_pack", DELETE);
    expect(textOf(first)).toMatch(/NOT DONE, approval required/);
    expect(textOf(first)).toMatch(/Delete advanced certificate pack/);
    const confirm = confirmOf(first)?.confirm;
    expect(confirm).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(mutations()).toEqual([]);

    const second = await client.callTool("delete_certificate_pack", { ...DELETE, confirm });
    expect(second.isError, textOf(second)).toBeFalsy();
    expect(confirmOf(second)).toBeUndefined();
    expect(mutations()).toEqual([
      {
        method: "DELETE",
        path: `/zones/${ZONE}/ssl/certificate_packs/${PACK}`,
        authorization: `Bearer ${TOKEN}`,
      },
    ]);
    expect(fake.account(TOKEN).zones.get(ZONE)?.packs.has(PACK)).toBe(false);
  });
});

describe("approvals across Worker instances (2025 era)", () => {
  it("with APPROVAL_KEY, a plan from one instance is accepted by another", async () => {
    fake = installFakeCloudflare();
    const keyed = { ...withApi, APPROVAL_KEY: KEY };
    const planner = await connected(connectLegacy, createWorker(), keyed);
    const confirm = confirmOf(await planner.callTool("delete_certificate_pack", DELETE))?.confirm;
    const actor = await connected(connectLegacy, createWorker(), keyed);
    const result = await actor.callTool("delete_certificate_pack", { ...DELETE, confirm });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(mutations()).toHaveLength(1);
  });

  it("a plan signed under another key (as by an isolate with a random key of its own) sends nothing", async () => {
    fake = installFakeCloudflare();
    const planner = await connected(connectLegacy, createWorker(), { ...withApi, APPROVAL_KEY: KEY });
    const confirm = confirmOf(await planner.callTool("delete_certificate_pack", DELETE))?.confirm;
    const other = await connected(connectLegacy, createWorker(), { ...withApi, APPROVAL_KEY: OTHER_KEY });
    const result = await other.callTool("delete_certificate_pack", { ...DELETE, confirm });
    expect(confirmOf(result)?.reason).toMatch(/not one this server issued/);
    expect(confirmOf(result)?.confirm).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(mutations()).toEqual([]);
  });
});

describe("the hosted sandbox's approvals are its own", () => {
  it.each([
    { keys: "without APPROVAL_KEY", workerEnv: withApi },
    { keys: "with APPROVAL_KEY", workerEnv: { ...withApi, APPROVAL_KEY: KEY } },
  ])(
    "a confirm minted on /sandbox/mcp is not issued here on /mcp ($keys), even for the sandbox's token",
    async ({ workerEnv }) => {
      fake = installFakeCloudflare();
      const worker = createWorker();
      const sandbox = await connectLegacy(worker, workerEnv, { path: "/sandbox/mcp" });
      open.push(sandbox);
      const confirm = confirmOf(await sandbox.callTool("delete_certificate_pack", DELETE))?.confirm;
      expect(confirm).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      // The sandbox's credential is the well-known token it serves with; a caller of /mcp may present it too.
      const api = await connectLegacy(worker, workerEnv, { token: "sandbox-token" });
      open.push(api);
      const result = await api.callTool("delete_certificate_pack", { ...DELETE, confirm });
      expect(confirmOf(result)?.reason).toMatch(/not one this server issued/);
      expect(mutations()).toEqual([]);
    },
  );
});

describe(`with elicitation (${MODERN}, input-required round trip)`, () => {
  const start = async (answer: "accept" | "decline") => {
    const asked: string[] = [];
    const client = await connectModern(createWorker(), withApi, {
      token: TOKEN,
      elicit: (params) => {
        asked.push(params.message);
        return answer === "accept" ? { action: "accept", content: { approve: true } } : { action: "decline" };
      },
    });
    open.push(client);
    return { client, asked };
  };

  it("asks the user with the plan, then acts once on accept", async () => {
    fake = installFakeCloudflare();
    const { client, asked } = await start("accept");
    const result = await client.callTool("delete_certificate_pack", DELETE);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/Delete advanced certificate pack/);
    expect(mutations()).toHaveLength(1);
    // Two HTTP requests for one call: the plan as input_required, then the retry with the user's answer.
    const calls = client.exchanges.filter((x) => x.methods.includes("tools/call"));
    expect(calls).toHaveLength(2);
    expect(calls.every((x) => x.protocolVersion === MODERN && x.status === 200)).toBe(true);
  });

  it("sends nothing when the user declines", async () => {
    fake = installFakeCloudflare();
    const { client, asked } = await start("decline");
    const result = await client.callTool("delete_certificate_pack", DELETE);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/declined/);
    expect(asked).toHaveLength(1);
    expect(mutations()).toEqual([]);
  });
});
