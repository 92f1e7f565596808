// Tasks on Cloudflare Workers: one Durable Object per task, so any isolate answers tasks/get and tasks/cancel,
// and the work goes on after the request that started it has ended, driven by the object's alarm. A fleet
// triage runs in one alarm; a wait for a certificate reads the pack once per alarm, 30 s apart at first and
// backing off to 10 minutes, for up to a day. The caller's credentials are held only while the task works, sealed (AES-GCM, under
// a key derived from the APPROVAL_KEY secret, which never enters storage) and deleted when it ends; no log,
// result or storage holds them in the clear.
import type { CallToolResult, ServerContext } from "@modelcontextprotocol/server";
import { CloudflareClient, type Credentials } from "../client/cloudflare.js";
import { fetchSender } from "../client/send-fetch.js";
import { redactorFor } from "../core/redact.js";
import { type RunnerDeps, runTool } from "../core/runner.js";
import {
  KEEP_MS,
  newTaskId,
  type TaskCall,
  type TaskOptions,
  type TaskStore,
  type WireTask,
} from "../core/tasks.js";
import { abortableSleep } from "../lib/sleep.js";
import { NAME, VERSION } from "../version.js";
import { workerSettings } from "./worker-settings.js";

/** What this module uses of a Durable Object namespace and its state (workerd's own types clash with Node's). */
export interface TaskNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(request: Request): Promise<Response> };
}
interface TaskState {
  storage: {
    get<T>(key: string): Promise<T | undefined>;
    put(key: string, value: unknown): Promise<void>;
    delete(key: string): Promise<boolean>;
    deleteAll(): Promise<void>;
    setAlarm(at: number): Promise<void>;
    deleteAlarm(): Promise<void>;
  };
}
export interface TaskObjectEnv {
  CLOUDFLARE_BASE_URL?: string;
  APPROVAL_KEY?: string;
}

interface Stored {
  owner: string;
  task: WireTask;
  call: TaskCall;
  options: TaskOptions;
  /** The sealed credentials, while the task works. */
  sealed?: string;
  /** When a finished task is deleted. */
  endsAt?: number;
  /** Statuses a sliced wait has seen so far, and how many slices it has run. */
  seen?: Seen[];
  slices?: number;
}
interface Seen {
  status: string;
  seen_at: string;
}

/** The runtime's CryptoKey, named through crypto.subtle (its global type is not in this project's libs). */
export type SealKey = Awaited<ReturnType<typeof crypto.subtle.deriveKey>>;

/** A wait polls once per alarm: 30 s apart at first, backing off to 10 minutes. */
const FIRST_GAP_MS = 30_000;
const LAST_GAP_MS = 10 * 60 * 1000;
const TIMEOUT_MS = 30_000;
const encoder = new TextEncoder();

/** The AES-GCM key tasks are sealed under, derived from the deployment's secret for this purpose only. */
export async function sealingKey(secret: string): Promise<SealKey> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new Uint8Array(0),
      info: encoder.encode("cloudflare-ssl-mcp task seal"),
    },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

async function seal(key: SealKey, credentials: Credentials, taskId: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(taskId) },
    key,
    encoder.encode(JSON.stringify(credentials)),
  );
  return `${toBase64(iv)}.${toBase64(new Uint8Array(data))}`;
}

async function unseal(key: SealKey, sealed: string, taskId: string): Promise<Credentials> {
  const [iv, data] = sealed.split(".") as [string, string];
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv), additionalData: encoder.encode(taskId) },
    key,
    fromBase64(data),
  );
  return JSON.parse(new TextDecoder().decode(plain)) as Credentials;
}

/** A caller's view of the tasks in Durable Objects: it creates, reads and cancels them by id. */
export class DurableTaskStore implements TaskStore {
  constructor(
    private readonly namespace: TaskNamespace,
    private readonly credentials: Credentials,
    private readonly key: Promise<SealKey>,
  ) {}

  async create(owner: string, _work: unknown, options: TaskOptions, call: TaskCall): Promise<WireTask> {
    const taskId = newTaskId();
    const sealed = await seal(await this.key, this.credentials, taskId);
    const answer = await this.send(taskId, { op: "create", owner, taskId, call, options, sealed });
    return (await answer.json()) as WireTask;
  }

  async get(owner: string, taskId: string): Promise<WireTask | undefined> {
    const answer = await this.send(taskId, { op: "get", owner });
    return answer.status === 200 ? ((await answer.json()) as WireTask) : undefined;
  }

  async cancel(owner: string, taskId: string): Promise<boolean> {
    return (await this.send(taskId, { op: "cancel", owner })).status === 200;
  }

  private send(taskId: string, body: unknown): Promise<Response> {
    const stub = this.namespace.get(this.namespace.idFromName(taskId));
    return stub.fetch(new Request("https://task.invalid/", { method: "POST", body: JSON.stringify(body) }));
  }
}

/** The Durable Object that holds one task and does its work. */
export class TaskObject {
  private running?: AbortController;

  constructor(
    private readonly state: TaskState,
    private readonly env: TaskObjectEnv,
  ) {}

  async fetch(request: Request): Promise<Response> {
    const body = (await request.json()) as { op: string; owner: string } & Partial<Stored> & {
        taskId?: string;
      };
    const stored = await this.state.storage.get<Stored>("task");
    if (body.op === "create" && !stored && body.taskId && body.call && body.options && body.sealed) {
      const at = new Date().toISOString();
      const task: WireTask = {
        taskId: body.taskId,
        status: "working",
        createdAt: at,
        lastUpdatedAt: at,
        ttlMs: body.options.maxRunMs + KEEP_MS,
        pollIntervalMs: body.options.pollIntervalMs,
      };
      await this.state.storage.put("task", {
        owner: body.owner,
        task,
        call: body.call,
        options: body.options,
        sealed: body.sealed,
      });
      await this.state.storage.setAlarm(Date.now());
      return Response.json(task);
    }
    // Another credential's task is answered exactly as a task that does not exist.
    if (!stored || stored.owner !== body.owner) return new Response(null, { status: 404 });
    if (body.op === "cancel" && stored.task.status === "working") {
      this.running?.abort(new Error("cancelled"));
      await this.state.storage.deleteAlarm();
      await this.end(stored, { status: "cancelled", statusMessage: "cancelled by the client" });
    }
    return Response.json(stored.task);
  }

  async alarm(): Promise<void> {
    const stored = await this.state.storage.get<Stored>("task");
    if (stored?.endsAt !== undefined) {
      // A finished task is kept for KEEP_MS, then forgotten.
      if (Date.now() >= stored.endsAt) await this.state.storage.deleteAll();
      else await this.state.storage.setAlarm(stored.endsAt);
      return;
    }
    if (stored?.task.status !== "working" || !stored.sealed) return;
    const secret = this.env.APPROVAL_KEY;
    if (!secret)
      return this.end(stored, {
        status: "failed",
        error: { code: -32603, message: "tasks need APPROVAL_KEY" },
      });
    const credentials = await unseal(await sealingKey(secret), stored.sealed, stored.task.taskId);
    const controller = new AbortController();
    this.running = controller;
    const result = await runSlice(stored, credentials, this.env, controller.signal, (message) => {
      stored.task.statusMessage = message;
    });
    this.running = undefined;
    const latest = await this.state.storage.get<Stored>("task");
    if (latest?.task.status !== "working") return;
    const structured = result.structuredContent as
      | { wait?: { outcome?: string; statuses?: Seen[] } }
      | undefined;
    const wait = structured?.wait;
    if (wait) {
      // A wait's statuses over every slice, each change once.
      const seen = [...(stored.seen ?? []), ...(wait.statuses ?? [])].filter(
        (s, i, all) => i === 0 || all[i - 1]?.status !== s.status,
      );
      stored.seen = wait.statuses = seen;
      result.content = [{ type: "text", text: JSON.stringify(structured) }];
    }
    const slices = (stored.slices ?? 0) + 1;
    const gap = Math.min(FIRST_GAP_MS * 2 ** (slices - 1), LAST_GAP_MS);
    const deadline = Date.parse(stored.task.createdAt) + stored.options.maxRunMs;
    if (wait?.outcome === "still_pending" && Date.now() + gap < deadline) {
      stored.slices = slices;
      stored.task.statusMessage = `pack status: ${stored.seen?.at(-1)?.status}`;
      stored.task.lastUpdatedAt = new Date().toISOString();
      await this.state.storage.put("task", stored);
      await this.state.storage.setAlarm(Date.now() + gap);
      return;
    }
    await this.end(stored, {
      status: "completed",
      statusMessage: result.isError ? "finished with an error result" : "finished",
      result: { resultType: "complete", ...result },
    });
  }

  /** Ends the task once: the credentials are deleted with the end, the record KEEP_MS later. */
  private async end(stored: Stored, end: Partial<WireTask>): Promise<void> {
    Object.assign(stored.task, end, { lastUpdatedAt: new Date().toISOString() });
    delete stored.sealed;
    stored.endsAt = Date.now() + KEEP_MS;
    await this.state.storage.put("task", stored);
    await this.state.storage.setAlarm(stored.endsAt);
  }
}

/** One slice of a task's work: the whole tool call, but a wait reads the pack once and is picked up again. */
async function runSlice(
  stored: Stored,
  credentials: Credentials,
  env: TaskObjectEnv,
  signal: AbortSignal,
  report: (message: string) => void,
): Promise<CallToolResult> {
  const { TOOLS } = await import("../tools/registry.js");
  const spec = TOOLS.find((t) => t.name === stored.call.tool);
  if (!spec) return { content: [{ type: "text", text: `Unknown tool ${stored.call.tool}` }], isError: true };
  const redactor = redactorFor(credentials);
  const client = new CloudflareClient({
    baseUrl: workerSettings(env).baseUrl,
    credentials,
    send: fetchSender((input, init) => fetch(input, init)),
    timeoutMs: TIMEOUT_MS,
    userAgent: `${NAME}/${VERSION}`,
    redact: redactor.text,
  });
  const ctx = {
    mcpReq: {
      signal,
      _meta: { progressToken: "task" },
      notify: async (n: { method: string; params?: { message?: string } }) => {
        if (n.method === "notifications/progress") report(String(n.params?.message ?? ""));
      },
    },
  } as unknown as ServerContext;
  const deps = {
    client,
    redactor,
    sandbox: false,
    now: Date.now,
    sleep: abortableSleep,
    credentialId: stored.owner,
    elicitationOnly: false,
    // One poll per slice: the alarm, not a sleeping isolate, spaces the polls.
    waitLimitMs: 0,
  } as unknown as RunnerDeps;
  return (await runTool(spec, stored.call.args, ctx, deps, true)) as CallToolResult;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
