// Long work as tasks over HTTP (the built server, the fake behind it): a fleet triage answers a tasks-capable
// 2026-07-28 client with a task it follows to the whole result; other clients get today's inline answer; a
// task is the business of its credential only; tasks/cancel stops the work before any further request.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeCloudflare, plantFleet, startFakeCloudflare } from "./helpers/fake-cloudflare.js";
import { connectHttp, type HttpServer, startHttpServer } from "./helpers/http-server.js";
import { connectTasksClient, rpcWith } from "./helpers/tasks-client.js";

const TOKEN = "tok_tasks_owner_0123456789abcdef";
const OTHER = "tok_tasks_stranger_0123456789abcdef";
const ZONES = 40;

let fake: FakeCloudflare;
let server: HttpServer;

beforeAll(async () => {
  fake = await startFakeCloudflare({ token: TOKEN });
  fake.zones.clear();
  plantFleet(fake, ZONES, 4, Date.now());
  server = await startHttpServer(["--rate-limit", "0"], { CLOUDFLARE_BASE_URL: fake.url });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
  await fake.close();
});

const until = async (check: () => boolean | Promise<boolean>) => {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe("a fleet triage as a task", () => {
  it("the server declares the extension; a tasks-capable client gets a task and, through tasks/get, the whole result", async () => {
    const tasks = await connectTasksClient(server.url, TOKEN);
    try {
      // Tasks beside the MCP Apps extension (the dashboard), which every server declares.
      expect(tasks.client.getServerCapabilities()?.extensions).toEqual({
        "io.modelcontextprotocol/tasks": {},
        "io.modelcontextprotocol/ui": {},
      });
      const execution = await tasks.session.callTool("triage_certificates", {});
      expect(execution.kind).toBe("task");
      const seen: string[] = [];
      const { outcome } = await execution.settle({
        onEvent: (event) => {
          if (event.type === "task") seen.push(event.task.status);
        },
      });
      expect(outcome.status).toBe("completed");
      const result = (outcome as { result: CallToolResult }).result;
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        totals: { zones: ZONES, triaged: ZONES, with_problems: 4 },
      });
      expect(seen.at(-1)).toBe("completed");
    } finally {
      await tasks.close();
    }
  });

  it("clients without the extension (2025 and 2026-07-28) get the inline answer", async () => {
    for (const era of ["2025", "2026-07-28"] as const) {
      const client = await connectHttp(era, server.url, { token: TOKEN });
      try {
        const result = await client.callTool("triage_certificates", {});
        expect(result.isError, era).toBeFalsy();
        expect(result.structuredContent, era).toMatchObject({ totals: { triaged: ZONES } });
        expect(result, era).not.toHaveProperty("taskId");
      } finally {
        await client.close();
      }
    }
    // Declaring the extension on one request is what counts: the same client without it is answered inline.
    const inline = await rpcWith(server.url, TOKEN).call(
      "tools/call",
      { name: "triage_certificates", arguments: {} },
      false,
    );
    expect(inline.result).toMatchObject({
      resultType: "complete",
      structuredContent: { totals: { triaged: ZONES } },
    });
  });

  it("one zone's triage, and invalid arguments, are answered inline even to a tasks-capable client", async () => {
    const rpc = rpcWith(server.url, TOKEN);
    const zone = [...fake.zones.keys()][1] as string;
    const one = await rpc.call("tools/call", { name: "triage_certificates", arguments: { zone_id: zone } });
    expect(one.result).toMatchObject({ resultType: "complete", structuredContent: { healthy: true } });
    const bad = await rpc.call("tools/call", {
      name: "triage_certificates",
      arguments: { name_contains: "a/b" },
    });
    expect(bad.result).toMatchObject({ resultType: "complete", isError: true });
  });
});

describe("bad input in a task", () => {
  it("a malformed continuation ends the task with an error result that names the field and the fix", async () => {
    const owner = rpcWith(server.url, TOKEN);
    const created = await owner.call("tools/call", {
      name: "triage_certificates",
      arguments: { continue: "not-a-continuation" },
    });
    const taskId = created.result?.taskId as string;
    await until(async () => (await owner.call("tasks/get", { taskId })).result?.status !== "working");
    const done = await owner.call("tasks/get", { taskId });
    expect(done.result).toMatchObject({ status: "completed", result: { isError: true } });
    expect(JSON.stringify(done.result?.result)).toMatch(
      /continue: not a continuation from triage_certificates/,
    );
  });
});

describe("whose task it is", () => {
  it("another credential, and an unknown id, get 'Task not found' and nothing else", async () => {
    const owner = rpcWith(server.url, TOKEN);
    const created = await owner.call("tools/call", { name: "triage_certificates", arguments: {} });
    expect(created.result).toMatchObject({ resultType: "task", status: "working" });
    const taskId = created.result?.taskId as string;
    await until(async () => (await owner.call("tasks/get", { taskId })).result?.status === "completed");

    const stranger = rpcWith(server.url, OTHER);
    const answers = [
      await stranger.call("tasks/get", { taskId }),
      await stranger.call("tasks/cancel", { taskId }),
      await owner.call("tasks/get", { taskId: "no-such-task" }),
    ];
    for (const answer of answers) {
      expect(answer.result).toBeUndefined();
      expect(answer.error).toEqual({ code: -32602, message: "Task not found" });
    }
    // The owner still sees it, completed, with the result; no token is in it.
    const mine = await owner.call("tasks/get", { taskId });
    expect(mine.result).toMatchObject({ resultType: "complete", status: "completed" });
    expect(JSON.stringify(mine)).not.toContain(TOKEN);
  });
});

describe("tasks/cancel", () => {
  it("stops the work: after the cancel no further request reaches the API", async () => {
    const owner = rpcWith(server.url, TOKEN);
    // Every zone read is held, so exactly the first requests are in flight when the cancel comes.
    fake.inject({ path: "/ssl/", fault: { kind: "delay", ms: 2000 }, times: 10_000 });
    try {
      const before = fake.log.length;
      const created = await owner.call("tools/call", { name: "triage_certificates", arguments: {} });
      const taskId = created.result?.taskId as string;
      const zoneReads = () => fake.log.slice(before).filter((r) => r.path.includes("/ssl/"));
      await until(() => zoneReads().length === 8);
      expect(await owner.call("tasks/cancel", { taskId })).toMatchObject({
        result: { resultType: "complete" },
      });
      expect((await owner.call("tasks/get", { taskId })).result).toMatchObject({ status: "cancelled" });
      // The held requests are abandoned by the server; nothing new is sent in their place.
      await until(() => zoneReads().every((r) => r.abandoned || r.status !== undefined));
      await owner.call("tasks/get", { taskId });
      expect(zoneReads()).toHaveLength(8);
      expect(zoneReads().every((r) => r.abandoned)).toBe(true);
    } finally {
      fake.clearFaults();
    }
  });
});
