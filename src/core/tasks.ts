// Long work as tasks (the io.modelcontextprotocol/tasks extension, 2026-07-28): where a task lives, who may
// see it, and what tasks/get answers. A task belongs to the credential that created it: any other credential
// is told "not found" and nothing else. This store keeps tasks in memory, bounded per credential and in
// total, finished ones for KEEP_MS; they end with the process. The Worker keeps them in a Durable Object.

export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

export type TaskStatus = "working" | "input_required" | "completed" | "cancelled" | "failed";

/** A task as tasks/get answers it (the SDK adds `resultType: "complete"`). */
export interface WireTask {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number | null;
  pollIntervalMs?: number;
  /** The final tool result, once completed. */
  result?: Record<string, unknown>;
  /** The JSON-RPC error, once failed. */
  error?: { code: number; message: string };
}

/** The work of a task: it stops when `signal` aborts, and tells its progress through `report`. */
export type TaskWork = (
  signal: AbortSignal,
  report: (message: string) => void,
) => Promise<Record<string, unknown>>;

export interface TaskOptions {
  /** The longest the work may run before it is stopped (a wait for a certificate: up to 24 hours). */
  maxRunMs: number;
  /** How often a client should ask. */
  pollIntervalMs: number;
}

/** The tool call a task runs: what a store that runs work elsewhere (a Durable Object) needs to run it. */
export interface TaskCall {
  tool: string;
  args: unknown;
}

export interface TaskStore {
  /**
   * Starts the work and answers once tasks/get would find the task. A store in this process runs `work`; a
   * store elsewhere runs `call` there, with the caller's credentials it was made with.
   */
  create(owner: string, work: TaskWork, options: TaskOptions, call: TaskCall): Promise<WireTask>;
  /** `undefined` for an unknown task and for another credential's. */
  get(owner: string, taskId: string): Promise<WireTask | undefined>;
  /** Stops the work (no request to Cloudflare after it); false for an unknown task or another's. */
  cancel(owner: string, taskId: string): Promise<boolean>;
}

/** The caller already runs as many tasks as it may, or the server holds as many as it keeps. */
export class TaskLimitReached extends Error {
  override name = "TaskLimitReached";
}

export interface MemoryTaskStoreOptions {
  /** Tasks one credential may have working at once. Default 8. */
  maxWorkingPerOwner?: number;
  /** Tasks held in all, working or finished. Default 1,000. */
  maxTasks?: number;
  /** How long a finished task's result is kept. Default one hour. */
  keepMs?: number;
  now?: () => number;
}

interface Entry {
  owner: string;
  task: WireTask;
  controller: AbortController;
  endsAt?: number;
  timer?: ReturnType<typeof setTimeout>;
}

export const KEEP_MS = 60 * 60 * 1000;

export class MemoryTaskStore implements TaskStore {
  private readonly tasks = new Map<string, Entry>();
  private readonly maxWorkingPerOwner: number;
  private readonly maxTasks: number;
  private readonly keepMs: number;
  private readonly now: () => number;

  constructor(options: MemoryTaskStoreOptions = {}) {
    this.maxWorkingPerOwner = options.maxWorkingPerOwner ?? 8;
    this.maxTasks = options.maxTasks ?? 1000;
    this.keepMs = options.keepMs ?? KEEP_MS;
    this.now = options.now ?? Date.now;
  }

  async create(owner: string, work: TaskWork, options: TaskOptions): Promise<WireTask> {
    this.prune();
    const working = [...this.tasks.values()].filter((e) => e.owner === owner && e.task.status === "working");
    if (working.length >= this.maxWorkingPerOwner) {
      throw new TaskLimitReached(
        `${working.length} tasks of this credential are still working (the most at once): wait for one to end, or cancel one with tasks/cancel`,
      );
    }
    if (this.tasks.size >= this.maxTasks) this.dropOldestFinished();
    if (this.tasks.size >= this.maxTasks)
      throw new TaskLimitReached("the server holds as many tasks as it keeps: try again later");

    const at = new Date(this.now()).toISOString();
    const task: WireTask = {
      taskId: newTaskId(),
      status: "working",
      createdAt: at,
      lastUpdatedAt: at,
      ttlMs: options.maxRunMs + this.keepMs,
      pollIntervalMs: options.pollIntervalMs,
    };
    const entry: Entry = { owner, task, controller: new AbortController() };
    this.tasks.set(task.taskId, entry);
    // Work that outlives its allowance is stopped like a cancel, then reported as failed.
    entry.timer = setTimeout(() => entry.controller.abort(new Error("ran out of time")), options.maxRunMs);
    // A pending allowance must not keep a process alive that has nothing else to do.
    (entry.timer as { unref?: () => void }).unref?.();
    const report = (message: string) => {
      if (task.status !== "working") return;
      task.statusMessage = message;
      task.lastUpdatedAt = new Date(this.now()).toISOString();
    };
    void work(entry.controller.signal, report).then(
      (result) =>
        this.finish(entry, {
          status: "completed",
          statusMessage: result.isError === true ? "finished with an error result" : "finished",
          result,
        }),
      (error: unknown) =>
        this.finish(entry, {
          status: "failed",
          error: { code: -32603, message: error instanceof Error ? error.message : "the task failed" },
        }),
    );
    return { ...task };
  }

  async get(owner: string, taskId: string): Promise<WireTask | undefined> {
    this.prune();
    const entry = this.tasks.get(taskId);
    return entry && entry.owner === owner ? { ...entry.task } : undefined;
  }

  async cancel(owner: string, taskId: string): Promise<boolean> {
    const entry = this.tasks.get(taskId);
    if (!entry || entry.owner !== owner) return false;
    if (entry.task.status === "working") {
      this.finish(entry, { status: "cancelled", statusMessage: "cancelled by the client" });
      entry.controller.abort(new Error("cancelled"));
    }
    return true;
  }

  /** Ends a task once: the first end wins, so work that finishes after a cancel changes nothing. */
  private finish(entry: Entry, end: Partial<WireTask> & { status: TaskStatus }) {
    if (entry.task.status !== "working") return;
    clearTimeout(entry.timer);
    Object.assign(entry.task, end, { lastUpdatedAt: new Date(this.now()).toISOString() });
    entry.endsAt = this.now() + this.keepMs;
  }

  private prune() {
    const now = this.now();
    for (const [id, entry] of this.tasks)
      if (entry.endsAt !== undefined && entry.endsAt <= now) this.tasks.delete(id);
  }

  private dropOldestFinished() {
    for (const [id, entry] of this.tasks) {
      if (entry.endsAt !== undefined) {
        this.tasks.delete(id);
        return;
      }
    }
  }
}

/** 128 random bits, base64url: unguessable, so a task id alone reveals nothing and finds nothing. */
export function newTaskId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
