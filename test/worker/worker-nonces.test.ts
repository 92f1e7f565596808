// Single use across instances: on the Worker, spent approvals live in a Durable Object per credential, so a
// confirm acts once whichever isolate (here: whichever Worker instance, each with its own memory) sees it.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { SPENT_PER_CREDENTIAL } from "../../src/core/spent-nonces.js";
import { createWorker, type WorkerEnv } from "../../src/entries/worker.js";
import { durableSpentNonces } from "../../src/entries/worker-nonces.js";
import { DEMO_ZONE_ID, idFor } from "../../src/sandbox/state.js";
import { API_BASE, type FakeCloudflare, installFakeCloudflare } from "./fake-cloudflare.js";
import { type Connected, connectLegacy, textOf } from "./mcp-clients.js";

const TOKEN = "tok_5ecretValue_0123456789abcdefXYZ";
const KEY = "approval-key-0123456789abcdef0123456789";
const ZONE = DEMO_ZONE_ID;
// Re-stating a certificate's current priority changes nothing, so the state a replay is checked against is
// still the approved one: only the spent set stands between a replay and a second PUT.
const REORDER = {
  zone_id: ZONE,
  certificates: [{ id: idFor(ZONE, "custom-certificate", "custom-legacy"), priority: 2 }],
};
const keyed: WorkerEnv = { ...env, CLOUDFLARE_BASE_URL: API_BASE, APPROVAL_KEY: KEY };

let fake: FakeCloudflare | undefined;
const open: Connected[] = [];
afterEach(async () => {
  for (const client of open.splice(0)) await client.close();
  fake?.restore();
});

const puts = () => (fake?.requests ?? []).filter((r) => r.method === "PUT");
const approvalOf = (result: { structuredContent?: unknown }) =>
  (result.structuredContent as { approval?: { confirm?: string; reason?: string } } | undefined)?.approval;

async function instance() {
  const client = await connectLegacy(createWorker(), keyed, { token: TOKEN });
  open.push(client);
  return client;
}

describe("a confirm acts once across Worker instances", () => {
  it("spent on one instance, its replay on another is already used and sends nothing", async () => {
    fake = installFakeCloudflare();
    const [first, second] = [await instance(), await instance()];
    const confirm = approvalOf(await first.callTool("prioritize_custom_certificates", REORDER))?.confirm;
    const acted = await first.callTool("prioritize_custom_certificates", { ...REORDER, confirm });
    expect(acted.isError, textOf(acted)).toBeFalsy();
    expect(puts()).toHaveLength(1);
    const replay = await second.callTool("prioritize_custom_certificates", { ...REORDER, confirm });
    expect(approvalOf(replay)?.reason).toMatch(/already used/);
    expect(puts()).toHaveLength(1);
  });

  it("sent to four instances at once, exactly one acts", async () => {
    fake = installFakeCloudflare();
    const instances = await Promise.all(Array.from({ length: 4 }, instance));
    const planner = instances[0] as Connected;
    const confirm = approvalOf(await planner.callTool("prioritize_custom_certificates", REORDER))?.confirm;
    const results = await Promise.all(
      instances.map((client) => client.callTool("prioritize_custom_certificates", { ...REORDER, confirm })),
    );
    expect(results.filter((r) => approvalOf(r) === undefined && !r.isError)).toHaveLength(1);
    expect(results.filter((r) => /already used/.test(approvalOf(r)?.reason ?? ""))).toHaveLength(3);
    expect(puts()).toHaveLength(1);
  });
});

describe("the Durable Object store", () => {
  const namespace = env.SPENT_APPROVALS;
  if (!namespace) throw new Error("wrangler.jsonc declares no SPENT_APPROVALS binding");

  it("spends a nonce once, per credential", async () => {
    const store = durableSpentNonces(namespace);
    const now = Date.now();
    expect(await store.spend("credential-a", "nonce-1", now + 60_000, now)).toBe("spent");
    expect(await store.spend("credential-a", "nonce-1", now + 60_000, now)).toBe("used");
    expect(await store.isSpent("credential-a", "nonce-1", now)).toBe(true);
    expect(await store.isSpent("credential-b", "nonce-1", now)).toBe(false);
    expect(await store.spend("credential-b", "nonce-1", now + 60_000, now)).toBe("spent");
    // Expired, it is forgotten.
    expect(await store.isSpent("credential-a", "nonce-1", now + 60_000)).toBe(false);
  });

  it("a credential at its cap is refused rather than any spent nonce forgotten; another is not affected", async () => {
    const store = durableSpentNonces(namespace);
    const now = Date.now();
    const crowd = "credential-crowd";
    for (let i = 0; i < SPENT_PER_CREDENTIAL; i++) {
      expect(await store.spend(crowd, `n${i}`, now + 60_000, now)).toBe("spent");
    }
    expect(await store.hasRoom(crowd, now)).toBe(false);
    expect(await store.spend(crowd, "one-more", now + 60_000, now)).toBe("full");
    expect(await store.spend(crowd, "n0", now + 60_000, now)).toBe("used");
    expect(await store.hasRoom("credential-calm", now)).toBe(true);
    expect(await store.hasRoom(crowd, now + 60_000)).toBe(true);
  });
});
