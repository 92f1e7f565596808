// Waiting for a certificate (get_certificate_pack with wait) through a 2026-07-28 client: as a task where the
// request declares the extension, inline within 90 s where it does not. The server is served in-process by
// the SDK's HTTP handler, against the fake over real sockets; its clock and the fake's move only when the
// wait sleeps, so minutes of polling take no time and the spacing of requests is exact.
import { createMcpHandler } from "@modelcontextprotocol/server";
import { afterEach, describe, expect, it } from "vitest";
import { CloudflareClient } from "../src/client/cloudflare.js";
import { undiciSender } from "../src/client/send-undici.js";
import { createApprovalSigner, credentialId } from "../src/core/approval.js";
import { redactorFor } from "../src/core/redact.js";
import { createServer } from "../src/core/server.js";
import { MemoryTaskStore } from "../src/core/tasks.js";
import { DEMO_ZONE_ID, idFor } from "../src/sandbox/state.js";
import { type FakeCloudflare, startFakeCloudflare } from "./helpers/fake-cloudflare.js";
import { connectTasksClient, rpcWith } from "./helpers/tasks-client.js";

const TOKEN = "tok_wait_0123456789abcdefghij";
const START = Date.parse("2026-11-01T00:00:00Z");
const STEP_MS = 20_000;
const ZONE = DEMO_ZONE_ID;
const ORDER = {
  hosts: ["example.com", "wait.example.com"],
  validation_method: "txt",
  validity_days: 90,
  certificate_authority: "lets_encrypt",
};

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.map((stop) => stop()));
  stops = [];
});

async function setup() {
  let now = START;
  const fake: FakeCloudflare = await startFakeCloudflare({ token: TOKEN, clock: () => now, stepMs: STEP_MS });
  const pool = undiciSender({ keepAliveTimeoutMs: 1000 });
  const credentials = { token: TOKEN };
  const redactor = redactorFor(credentials);
  const client = new CloudflareClient({
    baseUrl: fake.url,
    credentials,
    redact: redactor.text,
    send: pool.send,
    timeoutMs: 5000,
    userAgent: "test",
    rateBudget: null,
  });
  const id = await credentialId(credentials);
  const tasks = new MemoryTaskStore();
  const approvals = createApprovalSigner();
  const mcp = createMcpHandler(() =>
    createServer({
      config: { readOnly: false, elicitationOnly: false, sandbox: false },
      client,
      redactor,
      credentialId: id,
      approvals,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      tasks,
    }),
  );
  const url = "http://127.0.0.1/mcp";
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit) =>
    mcp.fetch(new Request(input, init));
  stops.push(async () => {
    await mcp.close();
    await pool.destroy();
    await fake.close();
  });
  const order = async () => {
    const answer = await rpcWith(url, TOKEN, fetchImpl).call(
      "tools/call",
      { name: "order_certificate_pack", arguments: { zone_id: ZONE, ...ORDER } },
      false,
    );
    return (answer.result as { structuredContent: { id: string } }).structuredContent.id;
  };
  const packReads = (packId: string) =>
    fake.log.filter((r) => r.method === "GET" && r.path === `/zones/${ZONE}/ssl/certificate_packs/${packId}`);
  return { fake, url, fetchImpl, order, packReads, elapsed: () => now - START };
}

describe("waiting for a certificate", () => {
  it("as a task: polls no more than once per 30 s, reports each status, and ends with the active pack", async () => {
    const s = await setup();
    const packId = await s.order();
    const tasks = await connectTasksClient(s.url, TOKEN, s.fetchImpl);
    stops.push(tasks.close);
    const execution = await tasks.session.callTool("get_certificate_pack", {
      zone_id: ZONE,
      certificate_pack_id: packId,
      wait: true,
    });
    expect(execution.kind).toBe("task");
    // The task asks to be polled every 30 s (real time); the test asks at once, as often as it likes.
    const taskId = (execution.handle as { taskId: string }).taskId;
    let task = await tasks.rpc.call("tasks/get", { taskId });
    expect(task.result).toMatchObject({ resultType: "complete", pollIntervalMs: 30_000 });
    while (task.result?.status === "working") {
      await new Promise((resolve) => setTimeout(resolve, 10));
      task = await tasks.rpc.call("tasks/get", { taskId });
    }
    expect(task.result).toMatchObject({ status: "completed" });
    const result = task.result?.result as { structuredContent: Record<string, unknown> };
    expect(result.structuredContent).toMatchObject({
      id: packId,
      status: "active",
      wait: {
        outcome: "active",
        statuses: [{ status: "initializing" }, { status: "pending_validation" }, { status: "active" }],
      },
    });
    const reads = s.packReads(packId);
    expect(reads).toHaveLength(3);
    // The clock moved only by the waits: 30 s, then 60 s (backing off), never less than 30 s apart.
    expect(s.elapsed()).toBe(90_000);
  });

  it("inline for a client without the extension: bounded by 90 s, then says to call again", async () => {
    const s = await setup();
    const stuck = idFor(ZONE, "pack", "advanced-pending");
    const answer = await rpcWith(s.url, TOKEN, s.fetchImpl).call(
      "tools/call",
      { name: "get_certificate_pack", arguments: { zone_id: ZONE, certificate_pack_id: stuck, wait: true } },
      false,
    );
    expect(answer.result).toMatchObject({
      resultType: "complete",
      structuredContent: {
        status: "pending_validation",
        wait: { outcome: "still_pending", waited_s: 90, statuses: [{ status: "pending_validation" }] },
      },
    });
    expect(JSON.stringify(answer.result)).toMatch(/call again with wait: true/);
    expect(s.packReads(stuck)).toHaveLength(3);
  });

  it("a pack that has failed ends the wait at once, as failed", async () => {
    const s = await setup();
    const timedOut = idFor(ZONE, "pack", "advanced-timed-out");
    const answer = await rpcWith(s.url, TOKEN, s.fetchImpl).call(
      "tools/call",
      {
        name: "get_certificate_pack",
        arguments: { zone_id: ZONE, certificate_pack_id: timedOut, wait: true },
      },
      false,
    );
    expect(answer.result).toMatchObject({
      structuredContent: { status: "validation_timed_out", wait: { outcome: "failed", waited_s: 0 } },
    });
    expect(s.packReads(timedOut)).toHaveLength(1);
  });

  it("without wait, get_certificate_pack reads the pack once, as before", async () => {
    const s = await setup();
    const packId = await s.order();
    const answer = await rpcWith(s.url, TOKEN, s.fetchImpl).call("tools/call", {
      name: "get_certificate_pack",
      arguments: { zone_id: ZONE, certificate_pack_id: packId },
    });
    expect(answer.result).toMatchObject({
      resultType: "complete",
      structuredContent: { status: "initializing" },
    });
    expect(answer.result?.structuredContent).not.toHaveProperty("wait");
    expect(s.packReads(packId)).toHaveLength(1);
    expect(s.packReads(packId)[0]?.query).toEqual({});
  });
});
