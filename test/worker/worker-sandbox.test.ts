// POST /sandbox/mcp: the built-in sandbox served in-process with no token, its state kept by the isolate (one
// caller's order is seen by the next), nothing sent to any network, and a var that turns it off.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createWorker, type WorkerEnv } from "../../src/entries/worker.js";
import { DEMO_ZONE_ID, idFor } from "../../src/sandbox/state.js";
import { API_BASE, type FakeCloudflare, installFakeCloudflare } from "./fake-cloudflare.js";
import { type Connected, connectLegacy, connectModern, ORIGIN, textOf } from "./mcp-clients.js";

const ZONE = DEMO_ZONE_ID;
const withApi: WorkerEnv = { ...env, CLOUDFLARE_BASE_URL: API_BASE };

let fake: FakeCloudflare;
const open: Connected[] = [];
afterEach(async () => {
  for (const client of open.splice(0)) await client.close();
  fake?.restore();
});

describe.each([
  { era: "2026-07-28", connect: connectModern },
  { era: "2025", connect: connectLegacy },
])("the sandbox ($era era)", ({ connect }) => {
  it("serves the tools with no token, and nothing leaves the isolate", async () => {
    fake = installFakeCloudflare();
    const client = await connect(createWorker(), withApi, { path: "/sandbox/mcp" });
    open.push(client);
    expect((await client.listTools()).map((t) => t.name)).toContain("order_certificate_pack");
    const result = await client.callTool("list_certificate_packs", { zone_id: ZONE });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).toContain(idFor(ZONE, "pack", "advanced-expiring"));
    expect(fake.requests).toEqual([]);
  });
});

describe("sandbox state and switches", () => {
  it("keeps state for the isolate: a pack ordered by one client is listed to the next", async () => {
    fake = installFakeCloudflare();
    const worker = createWorker();
    const first = await connectLegacy(worker, withApi, { path: "/sandbox/mcp" });
    const second = await connectModern(worker, withApi, { path: "/sandbox/mcp" });
    open.push(first, second);
    const listAll = () => second.callTool("list_certificate_packs", { zone_id: ZONE, status: "all" });
    const before = textOf(await listAll());
    const ordered = await first.callTool("order_certificate_pack", {
      zone_id: ZONE,
      hosts: ["example.com", "worker-test.example.com"],
      validation_method: "txt",
      validity_days: 90,
      certificate_authority: "lets_encrypt",
    });
    expect(ordered.isError, textOf(ordered)).toBeFalsy();
    expect(before).not.toContain("worker-test.example.com");
    expect(textOf(await listAll())).toContain("worker-test.example.com");
    expect(fake.requests).toEqual([]);
  });

  it("/sandbox/mcp/readonly serves the read tools only", async () => {
    const client = await connectModern(createWorker(), withApi, { path: "/sandbox/mcp/readonly" });
    open.push(client);
    const tools = (await client.listTools()).map((t) => t.name);
    expect(tools).toContain("list_certificate_packs");
    expect(tools).not.toContain("order_certificate_pack");
  });

  it('SANDBOX_ENABLED="false": the path is 404 and the landing page does not offer it', async () => {
    const off: WorkerEnv = { ...withApi, SANDBOX_ENABLED: "false" };
    const worker = createWorker();
    const response = await worker.fetch(
      new Request(`${ORIGIN}/sandbox/mcp`, { method: "POST", body: "{}" }),
      off,
    );
    expect(response.status).toBe(404);
    const page = await (await worker.fetch(new Request(`${ORIGIN}/`), off)).text();
    expect(page).toContain("/mcp/readonly");
    expect(page).not.toContain("/sandbox/mcp");
  });
});
