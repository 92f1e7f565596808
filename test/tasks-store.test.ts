// The in-memory task store's bounds: working tasks per credential, tasks in all, how long a finished task is
// kept, and that a task is only ever its owner's.
import { describe, expect, it } from "vitest";
import { MemoryTaskStore, TaskLimitReached, type TaskWork } from "../src/core/tasks.js";

const OPTIONS = { maxRunMs: 60_000, pollIntervalMs: 1000 };
/** Work that ends when told to, with the result given. */
function controllable() {
  let finish: (result: Record<string, unknown>) => void = () => {};
  let seen: AbortSignal | undefined;
  const work: TaskWork = (signal) => {
    seen = signal;
    return new Promise((resolve) => {
      finish = resolve;
    });
  };
  return { work, finish: (result: Record<string, unknown>) => finish(result), signal: () => seen };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the in-memory task store", () => {
  it("holds at most maxWorkingPerOwner working tasks per credential, and others are not counted", async () => {
    const store = new MemoryTaskStore({ maxWorkingPerOwner: 2 });
    await store.create("a", controllable().work, OPTIONS);
    await store.create("a", controllable().work, OPTIONS);
    await expect(store.create("a", controllable().work, OPTIONS)).rejects.toThrow(TaskLimitReached);
    await expect(store.create("b", controllable().work, OPTIONS)).resolves.toMatchObject({
      status: "working",
    });
  });

  it("drops the oldest finished task when full, and refuses when every task is working", async () => {
    const store = new MemoryTaskStore({ maxTasks: 2, maxWorkingPerOwner: 10 });
    const first = controllable();
    const done = await store.create("a", first.work, OPTIONS);
    first.finish({ content: [] });
    await settle();
    await store.create("a", controllable().work, OPTIONS);
    await store.create("a", controllable().work, OPTIONS);
    expect(await store.get("a", done.taskId)).toBeUndefined();
    await expect(store.create("a", controllable().work, OPTIONS)).rejects.toThrow(/holds as many tasks/);
  });

  it("keeps a finished task for keepMs, then forgets it", async () => {
    let now = 0;
    const store = new MemoryTaskStore({ keepMs: 1000, now: () => now });
    const work = controllable();
    const task = await store.create("a", work.work, OPTIONS);
    expect(task.ttlMs).toBe(OPTIONS.maxRunMs + 1000);
    work.finish({ content: [{ type: "text", text: "ok" }] });
    await settle();
    now = 999;
    expect(await store.get("a", task.taskId)).toMatchObject({
      status: "completed",
      result: { content: [{ text: "ok" }] },
    });
    now = 1000;
    expect(await store.get("a", task.taskId)).toBeUndefined();
  });

  it("a task is its owner's: another sees and cancels nothing; a cancel aborts the work and wins over a late result", async () => {
    const store = new MemoryTaskStore();
    const work = controllable();
    const task = await store.create("a", work.work, OPTIONS);
    expect(await store.get("b", task.taskId)).toBeUndefined();
    expect(await store.cancel("b", task.taskId)).toBe(false);
    expect(work.signal()?.aborted).toBe(false);
    expect(await store.cancel("a", task.taskId)).toBe(true);
    expect(work.signal()?.aborted).toBe(true);
    work.finish({ content: [] });
    await settle();
    expect(await store.get("a", task.taskId)).toMatchObject({ status: "cancelled" });
  });

  it("work that throws ends the task as failed, with a JSON-RPC error", async () => {
    const store = new MemoryTaskStore();
    const task = await store.create("a", async () => Promise.reject(new Error("boom")), OPTIONS);
    await settle();
    expect(await store.get("a", task.taskId)).toMatchObject({
      status: "failed",
      error: { code: -32603, message: "boom" },
    });
  });
});
