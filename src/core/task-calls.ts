// Where the tasks extension meets the server: the capability, tasks/get, tasks/update and tasks/cancel for
// the caller's own tasks, and a tools/call answered with a task when the request declares the extension and
// the tool's work is long (a fleet triage, a wait for a certificate).
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type InputRequiredResult,
  ProtocolError,
  ProtocolErrorCode,
  type Server,
  type ServerContext,
} from "@modelcontextprotocol/server";
import { z } from "zod/v4";
import type { ToolSpec } from "../tools/spec.js";
import {
  TASKS_EXTENSION,
  type TaskCall,
  TaskLimitReached,
  type TaskOptions,
  type TaskStore,
} from "./tasks.js";

/** Whether this request (not the session: the 2026-07-28 era has none) declares the tasks extension. */
export function declaresTasks(ctx: ServerContext): boolean {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const capabilities = envelope?.[CLIENT_CAPABILITIES_META_KEY] as { extensions?: unknown } | undefined;
  const extensions = capabilities?.extensions;
  return typeof extensions === "object" && extensions !== null && Object.hasOwn(extensions, TASKS_EXTENSION);
}

/** The task a call would run as, for valid arguments of a tool whose work with them is long. */
export function taskFor(spec: ToolSpec, rawArgs: unknown): TaskOptions | undefined {
  if (!spec.asTask) return undefined;
  const parsed = spec.input.safeParse(rawArgs ?? {});
  return parsed.success ? spec.asTask(parsed.data as Record<string, unknown>) : undefined;
}

const TaskParams = z.looseObject({ taskId: z.string().min(1).max(200) });
// The same answer for an unknown task and another credential's: nothing says which it is.
const notFound = () => new ProtocolError(ProtocolErrorCode.InvalidParams, "Task not found");

/** Answers for the caller's tasks (core/advertised.ts declares the extension) (`owner`: the caller's credential digest). */
export function serveTasks(server: Server, store: TaskStore, owner: string): void {
  server.setRequestHandler("tasks/get", { params: TaskParams }, async ({ taskId }) => {
    const task = await store.get(owner, taskId);
    if (!task) throw notFound();
    return task as unknown as Record<string, unknown>;
  });
  server.setRequestHandler("tasks/cancel", { params: TaskParams }, async ({ taskId }) => {
    if (!(await store.cancel(owner, taskId))) throw notFound();
    return {};
  });
  // No task here ever asks for input, so there is never an outstanding request to answer.
  server.setRequestHandler("tasks/update", { params: TaskParams }, async ({ taskId }) => {
    if (!(await store.get(owner, taskId))) throw notFound();
    return {};
  });
}

/**
 * Starts `run` as a task and answers with its handle. The task's context has the task's signal (tasks/cancel
 * aborts it, not the end of this request), and its progress becomes the task's status message.
 */
export async function startTask(
  store: TaskStore,
  owner: string,
  ctx: ServerContext,
  options: TaskOptions,
  call: TaskCall,
  run: (taskCtx: ServerContext) => Promise<CallToolResult | InputRequiredResult>,
): Promise<Record<string, unknown>> {
  try {
    const task = await store.create(
      owner,
      // The result inlined in tasks/get is a whole 2026-07-28 tools/call result, discriminator included.
      async (signal, report) => ({
        resultType: "complete",
        ...(await run(taskContext(ctx, signal, report))),
      }),
      options,
      call,
    );
    return { resultType: "task", ...task };
  } catch (error) {
    if (!(error instanceof TaskLimitReached)) throw error;
    return { content: [{ type: "text", text: `Not started: ${error.message}.` }], isError: true };
  }
}

function taskContext(
  ctx: ServerContext,
  signal: AbortSignal,
  report: (message: string) => void,
): ServerContext {
  const notify = async (notification: { method: string; params?: Record<string, unknown> }) => {
    if (notification.method === "notifications/progress") report(String(notification.params?.message ?? ""));
  };
  return {
    ...ctx,
    mcpReq: { ...ctx.mcpReq, signal, _meta: { ...ctx.mcpReq._meta, progressToken: "task" }, notify },
  } as ServerContext;
}
