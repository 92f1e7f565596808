// Tasks on the Worker, inside workerd: a fleet triage answered with a task lives in a Durable Object, so a
// later request (any isolate) follows it to the result; the caller's token is in storage only sealed, and
// gone once the task ends; another credential gets "Task not found"; without APPROVAL_KEY, calls are inline.
import { runDurableObjectAlarm, runInDurableObject, type TaskObjectStub } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createWorker, type WorkerEnv } from "../../src/entries/worker.js";
import type { TaskNamespace } from "../../src/entries/worker-tasks.js";
import { idFor, DEMO_ZONE_ID as ZONE } from "../../src/sandbox/state.js";
import { connectTasksClient, rpcWith } from "../helpers/tasks-client.js";
import { API_BASE, type FakeCloudflare, installFakeCloudflare } from "./fake-cloudflare.js";
import { ORIGIN, workerFetch } from "./mcp-clients.js";

const TOKEN = "tokT_5ecretValue_0123456789abcdefXYZ";
const OTHER = "tokO_otherSecret_9876543210fedcbaQRS";
const KEY = "k".repeat(40);
const withTasks = (): WorkerEnv => ({ ...env, CLOUDFLARE_BASE_URL: API_BASE, APPROVAL_KEY: KEY });
const URL_MCP = `${ORIGIN}/mcp`;

let fake: FakeCloudflare | undefined;
// The Durable Object reads the Worker's own bindings, not a request's: the secret and the API base are set
// on them for these tests, as `wrangler secret put` and a var would set them.
const bindings = env as unknown as Record<string, unknown>;
beforeEach(() => {
  bindings.APPROVAL_KEY = KEY;
  bindings.CLOUDFLARE_BASE_URL = API_BASE;
});
afterEach(() => {
  delete bindings.APPROVAL_KEY;
  delete bindings.CLOUDFLARE_BASE_URL;
  fake?.restore();
  fake = undefined;
});

const stubOf = (taskId: string) => {
  const namespace = env.TASKS as TaskNamespace;
  return namespace.get(namespace.idFromName(taskId)) as TaskObjectStub;
};

describe("tasks on the Worker", () => {
  it("a fleet triage becomes a task in a Durable Object, followed to its result from later requests", async () => {
    fake = installFakeCloudflare();
    const owner = rpcWith(URL_MCP, TOKEN, workerFetch(createWorker(), withTasks()));
    const created = await owner.call("tools/call", { name: "triage_certificates", arguments: {} });
    expect(created.result).toMatchObject({ resultType: "task", status: "working" });
    const taskId = created.result?.taskId as string;

    // While it works the token is in storage only sealed.
    const stored = await runInDurableObject(stubOf(taskId), async (_, state) =>
      JSON.stringify([...(await state.storage.list()).entries()]),
    );
    expect(stored).toContain('"sealed"');
    expect(stored).not.toContain(TOKEN);

    await runDurableObjectAlarm(stubOf(taskId));
    // Another Worker instance (a fresh createWorker, as another isolate would build) answers tasks/get. The alarm
    // may have begun on its own before the test ran it, so the task is followed until it ends.
    const later = rpcWith(URL_MCP, TOKEN, workerFetch(createWorker(), withTasks()));
    await vi.waitFor(async () =>
      expect((await later.call("tasks/get", { taskId })).result).toMatchObject({ status: "completed" }),
    );
    const done = await later.call("tasks/get", { taskId });
    expect(done.result).toMatchObject({
      resultType: "complete",
      status: "completed",
      result: { resultType: "complete", structuredContent: { totals: { zones: 7, triaged: 7 } } },
    });
    expect(JSON.stringify(done)).not.toContain(TOKEN);
    const after = await runInDurableObject(stubOf(taskId), async (_, state) =>
      JSON.stringify([...(await state.storage.list()).entries()]),
    );
    expect(after).not.toContain('"sealed"');
    expect(after).not.toContain(TOKEN);
    for (const seen of fake.requests) expect(seen.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("the 2.x client with the ext-tasks session follows the task to the same result", async () => {
    fake = installFakeCloudflare();
    const tasks = await connectTasksClient(URL_MCP, TOKEN, workerFetch(createWorker(), withTasks()));
    try {
      // Tasks beside the MCP Apps extension (the dashboard), which every server declares.
      expect(tasks.client.getServerCapabilities()?.extensions).toEqual({
        "io.modelcontextprotocol/tasks": {},
        "io.modelcontextprotocol/ui": {},
      });
      const execution = await tasks.session.callTool("triage_certificates", {});
      expect(execution.kind).toBe("task");
      const { outcome } = await execution.settle();
      expect(outcome).toMatchObject({
        status: "completed",
        result: { structuredContent: { totals: { zones: 7, triaged: 7 } } },
      });
    } finally {
      await tasks.close();
    }
  });

  it("another credential gets 'Task not found'; tasks/cancel stops the work and deletes the sealed token", async () => {
    // Zone reads are held until the test lets them go, so the task is surely working when the cancel comes.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    fake = installFakeCloudflare([
      async (_request, path) => {
        if (path.includes("/ssl/")) await gate;
        return undefined;
      },
    ]);
    const worker = createWorker();
    const owner = rpcWith(URL_MCP, TOKEN, workerFetch(worker, withTasks()));
    const created = await owner.call("tools/call", { name: "triage_certificates", arguments: {} });
    const taskId = created.result?.taskId as string;
    const alarm = runDurableObjectAlarm(stubOf(taskId));
    const zoneReads = () => (fake as FakeCloudflare).requests.filter((r) => r.path.includes("/ssl/"));
    while (zoneReads().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    const stranger = rpcWith(URL_MCP, OTHER, workerFetch(worker, withTasks()));
    for (const method of ["tasks/get", "tasks/cancel"]) {
      const answer = await stranger.call(method, { taskId });
      expect(answer.error).toEqual({ code: -32602, message: "Task not found" });
    }
    expect(await owner.call("tasks/cancel", { taskId })).toMatchObject({
      result: { resultType: "complete" },
    });
    const sentAtCancel = fake.requests.length;
    release();
    await alarm;
    expect((await owner.call("tasks/get", { taskId })).result).toMatchObject({ status: "cancelled" });
    expect(fake.requests.length).toBe(sentAtCancel);
    const after = await runInDurableObject(stubOf(taskId), async (_, state) =>
      JSON.stringify([...(await state.storage.list()).entries()]),
    );
    expect(after).not.toContain('"sealed"');
  });

  it("without APPROVAL_KEY the Worker does not offer tasks: the call is answered inline", async () => {
    fake = installFakeCloudflare();
    delete bindings.APPROVAL_KEY;
    const noKey: WorkerEnv = { ...env, CLOUDFLARE_BASE_URL: API_BASE };
    const rpc = rpcWith(URL_MCP, TOKEN, workerFetch(createWorker(), noKey));
    const answer = await rpc.call("tools/call", { name: "triage_certificates", arguments: {} });
    expect(answer.result).toMatchObject({
      resultType: "complete",
      structuredContent: { totals: { triaged: 7 } },
    });
  });

  it("a wait for a certificate reads the pack once per alarm, reports its status, and ends when it fails", async () => {
    fake = installFakeCloudflare();
    const owner = rpcWith(URL_MCP, TOKEN, workerFetch(createWorker(), withTasks()));
    const packReads = (id: string) =>
      (fake as FakeCloudflare).requests.filter(
        (r) => r.path === `/zones/${ZONE}/ssl/certificate_packs/${id}`,
      );
    const start = async (id: string) => {
      const created = await owner.call("tools/call", {
        name: "get_certificate_pack",
        arguments: { zone_id: ZONE, certificate_pack_id: id, wait: true },
      });
      expect(created.result).toMatchObject({ resultType: "task", pollIntervalMs: 30_000 });
      const taskId = created.result?.taskId as string;
      await runDurableObjectAlarm(stubOf(taskId));
      // The first alarm may have begun on its own before the test ran it: wait until its read is recorded.
      await vi.waitFor(async () => {
        const task = (await owner.call("tasks/get", { taskId })).result;
        expect(task?.status !== "working" || task?.statusMessage !== undefined).toBe(true);
      });
      return taskId;
    };

    const stuck = idFor(ZONE, "pack", "advanced-pending");
    const waiting = await start(stuck);
    expect((await owner.call("tasks/get", { taskId: waiting })).result).toMatchObject({
      status: "working",
      statusMessage: "pack status: pending_validation",
    });
    // One read per slice: the first alarm may have run on its own before the test ran it, so count from here.
    const read = packReads(stuck).length;
    expect(read).toBeGreaterThanOrEqual(1);
    // The next slice is an alarm (30 s later); running it now reads the pack once more, and it keeps waiting.
    expect(await runDurableObjectAlarm(stubOf(waiting))).toBe(true);
    expect(packReads(stuck)).toHaveLength(read + 1);
    expect((await owner.call("tasks/get", { taskId: waiting })).result).toMatchObject({ status: "working" });
    await owner.call("tasks/cancel", { taskId: waiting });

    const timedOut = idFor(ZONE, "pack", "advanced-timed-out");
    const failing = await start(timedOut);
    // The first alarm may have begun on its own before the test ran it; its one read ends the task.
    await vi.waitFor(async () =>
      expect((await owner.call("tasks/get", { taskId: failing })).result).toMatchObject({
        status: "completed",
        result: {
          structuredContent: {
            status: "validation_timed_out",
            wait: { outcome: "failed", statuses: [{ status: "validation_timed_out" }] },
          },
        },
      }),
    );
    expect(packReads(timedOut)).toHaveLength(1);
    // The alarm left is the one that forgets the finished task later: it reads nothing.
    await runDurableObjectAlarm(stubOf(failing));
    expect(packReads(timedOut)).toHaveLength(1);
    expect((await owner.call("tasks/get", { taskId: failing })).result).toMatchObject({
      status: "completed",
    });
  });
});
