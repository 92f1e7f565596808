// Approval of destructive calls over HTTP, on real sockets: the 2026-07-28 client that declares elicitation
// is asked through the input-required round trip; the stateless 2025 client gets a plan with a confirm
// value that works in a later request, on this process or another one that shares the approval key, and
// nowhere else; --elicitation-only refuses where no elicitation is possible.
import type { CallToolResult, ElicitRequest, ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeCloudflare, startFakeCloudflare } from "./helpers/fake-cloudflare.js";
import { addPacks, CUSTOM_CERT, TOKEN, textOf, ZONE } from "./helpers/harness.js";
import { connectHttp, type HttpClient, type HttpServer, startHttpServer } from "./helpers/http-server.js";

const SHARED_KEY = "approval-key-shared-by-both-instances-0123456789";

interface Approval {
  confirm: string;
  expires_at: string;
  plan: string;
  reason?: string;
}
const approvalOf = (r: CallToolResult) =>
  (r.structuredContent as { approval?: Approval } | undefined)?.approval;

let fake: FakeCloudflare;
/** No approval key: each signs with a random key of its own. */
let lone: HttpServer;
/** Two instances sharing CLOUDFLARE_SSL_MCP_APPROVAL_KEY, as behind a load balancer. */
let first: HttpServer;
let second: HttpServer;
let elicitationOnly: HttpServer;
let packCount = 0;

/** A fresh advanced pack to delete, so that each test acts on its own. */
function newPack(): { zone_id: string; certificate_pack_id: string } {
  const prefix = `del${packCount++}x`;
  addPacks(fake, 1, prefix, () => ({ hosts: ["example.com", `${prefix}.example.com`] }));
  return { zone_id: ZONE, certificate_pack_id: `${prefix}0` };
}
const deletesOf = (id: string) => fake.log.filter((r) => r.method === "DELETE" && r.path.endsWith(`/${id}`));

beforeAll(async () => {
  fake = await startFakeCloudflare({ token: TOKEN });
  const env = { CLOUDFLARE_BASE_URL: fake.url };
  [lone, first, second, elicitationOnly] = await Promise.all([
    startHttpServer([], env),
    startHttpServer([], { ...env, CLOUDFLARE_SSL_MCP_APPROVAL_KEY: SHARED_KEY }),
    startHttpServer([], { ...env, CLOUDFLARE_SSL_MCP_APPROVAL_KEY: SHARED_KEY }),
    startHttpServer(["--elicitation-only"], env),
  ]);
});
afterAll(async () => {
  await Promise.all([lone, first, second, elicitationOnly].map((s) => s?.stop()));
  await fake.close();
});

async function withClient<T>(
  server: HttpServer,
  era: "2025" | "2026-07-28",
  options: Parameters<typeof connectHttp>[2],
  run: (client: HttpClient) => Promise<T>,
): Promise<T> {
  const client = await connectHttp(era, server.url, { token: TOKEN, ...options });
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

describe("2026-07-28 client that declares elicitation", () => {
  it("is asked with the plan through the input-required round trip, and accept acts once", async () => {
    const pack = newPack();
    const asked: ElicitRequest["params"][] = [];
    let callRequests = 0;
    const result = await withClient(
      lone,
      "2026-07-28",
      {
        elicit: (params) => {
          asked.push(params);
          expect(deletesOf(pack.certificate_pack_id)).toEqual([]);
          return { action: "accept", content: { approve: true } };
        },
        onResponse: (_, init) => {
          if (String(init?.body ?? "").includes('"tools/call"')) callRequests++;
        },
      },
      (client) => client.callTool("delete_certificate_pack", pack),
    );
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(asked[0]?.message).toMatch(/^Delete advanced certificate pack/);
    expect(asked[0]?.message).toContain(`"${pack.certificate_pack_id}"`);
    expect(asked[0]?.message).toMatch(/Approve\?$/);
    // Two HTTP requests: the call, answered input_required, and the call again with the user's answer.
    expect(callRequests).toBe(2);
    expect(deletesOf(pack.certificate_pack_id)).toHaveLength(1);
  });

  it.each([
    ["decline", { action: "decline" }, /the user declined/],
    ["cancel", { action: "cancel" }, /dismissed the request/],
    ["accept without approval", { action: "accept", content: { approve: false } }, /the user declined/],
  ] as const)("answered %s: nothing is sent", async (_, answer, said) => {
    const pack = newPack();
    const result = await withClient(lone, "2026-07-28", { elicit: () => answer as ElicitResult }, (client) =>
      client.callTool("delete_certificate_pack", pack),
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(said);
    expect(textOf(result)).toMatch(/Nothing was changed/);
    expect(deletesOf(pack.certificate_pack_id)).toEqual([]);
  });
});

describe("stateless 2025 client", () => {
  it("gets the plan with a confirm value; the confirm works in a later request, once", async () => {
    const pack = newPack();
    // Declaring elicitation changes nothing: a stateless server has no way to ask this client back.
    await withClient(lone, "2025", { elicit: () => ({ action: "decline" }) }, async (client) => {
      const planned = await client.callTool("delete_certificate_pack", pack);
      expect(planned.isError, textOf(planned)).toBeFalsy();
      expect(textOf(planned)).toMatch(/NOT DONE, approval required/);
      const approval = approvalOf(planned) as Approval;
      expect(approval.plan).toMatch(/^Delete advanced certificate pack/);
      expect(deletesOf(pack.certificate_pack_id)).toEqual([]);

      const done = await client.callTool("delete_certificate_pack", { ...pack, confirm: approval.confirm });
      expect(done.isError, textOf(done)).toBeFalsy();
      expect(approvalOf(done)).toBeUndefined();
      expect(deletesOf(pack.certificate_pack_id)).toHaveLength(1);

      const again = await client.callTool("delete_certificate_pack", { ...pack, confirm: approval.confirm });
      expect(deletesOf(pack.certificate_pack_id)).toHaveLength(1);
      expect(again.isError).toBe(true);
      expect(deletesOf(pack.certificate_pack_id)).toHaveLength(1);
    });
  });

  it("works once across requests, though each request gets a fresh MCP server", async () => {
    const reorder = { zone_id: ZONE, certificates: [{ id: CUSTOM_CERT.legacy, priority: 2 }] };
    const mutations = () => fake.log.filter((r) => r.method !== "GET").length;
    await withClient(lone, "2025", {}, async (client) => {
      const { confirm } = approvalOf(
        await client.callTool("prioritize_custom_certificates", reorder),
      ) as Approval;
      const before = mutations();
      const done = await client.callTool("prioritize_custom_certificates", { ...reorder, confirm });
      expect(done.isError, textOf(done)).toBeFalsy();
      expect(mutations()).toBe(before + 1);
      const again = await client.callTool("prioritize_custom_certificates", { ...reorder, confirm });
      expect(approvalOf(again)?.reason).toMatch(/already used/);
      expect(mutations()).toBe(before + 1);
    });
  });

  it("a confirm issued by one instance is accepted by another sharing the approval key", async () => {
    const pack = newPack();
    const { confirm } = approvalOf(
      await withClient(first, "2025", {}, (client) => client.callTool("delete_certificate_pack", pack)),
    ) as Approval;
    const done = await withClient(second, "2025", {}, (client) =>
      client.callTool("delete_certificate_pack", { ...pack, confirm }),
    );
    expect(done.isError, textOf(done)).toBeFalsy();
    expect(approvalOf(done)).toBeUndefined();
    expect(deletesOf(pack.certificate_pack_id)).toHaveLength(1);
  });

  it("spent on one instance, a replay on another sharing the key meets the changed state and sends nothing", async () => {
    // Instances share only the key: each keeps its own spent set, and the state binding stops the replay.
    const reorder = { zone_id: ZONE, certificates: [{ id: CUSTOM_CERT.sni, priority: 41 }] };
    const puts = () => fake.log.filter((r) => r.method === "PUT").length;
    const { confirm } = approvalOf(
      await withClient(first, "2025", {}, (client) =>
        client.callTool("prioritize_custom_certificates", reorder),
      ),
    ) as Approval;
    const before = puts();
    const done = await withClient(first, "2025", {}, (client) =>
      client.callTool("prioritize_custom_certificates", { ...reorder, confirm }),
    );
    expect(done.isError, textOf(done)).toBeFalsy();
    expect(puts()).toBe(before + 1);
    const replay = await withClient(second, "2025", {}, (client) =>
      client.callTool("prioritize_custom_certificates", { ...reorder, confirm }),
    );
    expect(approvalOf(replay)?.reason).toMatch(/state changed since the plan/);
    expect(puts()).toBe(before + 1);
  });

  it("and refused by an instance without that key: nothing is sent, a new plan comes back", async () => {
    const pack = newPack();
    const { confirm } = approvalOf(
      await withClient(first, "2025", {}, (client) => client.callTool("delete_certificate_pack", pack)),
    ) as Approval;
    const refused = await withClient(lone, "2025", {}, (client) =>
      client.callTool("delete_certificate_pack", { ...pack, confirm }),
    );
    expect(approvalOf(refused)?.reason).toMatch(/not one this server issued/);
    expect(approvalOf(refused)?.confirm).not.toBe(confirm);
    expect(deletesOf(pack.certificate_pack_id)).toEqual([]);
  });
});

describe("--elicitation-only", () => {
  it.each([
    ["2025", "a stateless 2025 client"],
    ["2026-07-28", "a 2026-07-28 client that does not declare elicitation"],
  ] as const)("refuses %s with a clear message, and sends nothing (%s)", async (era, _) => {
    const pack = newPack();
    const result = await withClient(elicitationOnly, era, {}, (client) =>
      client.callTool("delete_certificate_pack", pack),
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/accept confirmation only from the user through MCP elicitation/);
    expect(textOf(result)).toMatch(/Nothing was changed/);
    expect(approvalOf(result)).toBeUndefined();
    expect(deletesOf(pack.certificate_pack_id)).toEqual([]);
  });

  it("asks a 2026-07-28 client that declares elicitation, and acts on accept", async () => {
    const pack = newPack();
    const result = await withClient(
      elicitationOnly,
      "2026-07-28",
      { elicit: () => ({ action: "accept", content: { approve: true } }) },
      (client) => client.callTool("delete_certificate_pack", pack),
    );
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(deletesOf(pack.certificate_pack_id)).toHaveLength(1);
  });
});
