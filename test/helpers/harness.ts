import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  type CallToolResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { type ClientOptions, CloudflareClient, type Credentials } from "../../src/client/cloudflare.js";
import { undiciSender } from "../../src/client/send-undici.js";
import { type ApprovalSigner, createApprovalSigner, credentialId } from "../../src/core/approval.js";
import { redactorFor } from "../../src/core/redact.js";
import { createServer } from "../../src/core/server.js";
import { DEMO_ZONE_ID, FREE_ZONE_ID, idFor, type Pack } from "../../src/sandbox/state.js";
import { approving } from "./approve.js";
import { type FakeCloudflare, startFakeCloudflare } from "./fake-cloudflare.js";

export const ZONE = DEMO_ZONE_ID;
export const FREE_ZONE = FREE_ZONE_ID;
export const TOKEN = "tok_5ecretValue_0123456789abcdefXYZ";
export const EMAIL = "owner@example.org";
export const KEY = "key0123456789abcdef0123456789abcdef01";
export const START = Date.parse("2026-11-01T00:00:00Z");

/** Ids of the seeded demo packs and custom certificates. */
export const PACK = {
  universal: idFor(ZONE, "pack", "universal"),
  expiring: idFor(ZONE, "pack", "advanced-expiring"),
  pending: idFor(ZONE, "pack", "advanced-pending"),
  timedOut: idFor(ZONE, "pack", "advanced-timed-out"),
  failed: idFor(ZONE, "pack", "advanced-failed"),
  sni: idFor(ZONE, "pack", "custom-sni"),
  legacy: idFor(ZONE, "pack", "custom-legacy"),
};
export const CUSTOM_CERT = {
  sni: idFor(ZONE, "custom-certificate", "custom-sni"),
  legacy: idFor(ZONE, "custom-certificate", "custom-legacy"),
};

/** Adds `count` advanced packs to the demo zone, ids `${prefix}0`…, each shaped by `make` if given. */
export function addPacks(
  fake: FakeCloudflare,
  count: number,
  prefix: string,
  make: (i: number) => Partial<Pack> = () => ({}),
) {
  const zone = fake.zones.get(ZONE);
  if (!zone) throw new Error("the demo zone is missing");
  for (let i = 0; i < count; i++) {
    const id = `${prefix}${i}`;
    zone.packs.set(id, {
      id,
      type: "advanced",
      status: "active",
      hosts: ["example.com"],
      certificates: [],
      ...make(i),
    });
  }
}

export function manualClock(start = START) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export interface HarnessOptions {
  readOnly?: boolean;
  elicitationOnly?: boolean;
  /** Present: the MCP client declares elicitation and answers with this. */
  elicit?: (params: ElicitRequest["params"]) => ElicitResult | Promise<ElicitResult>;
  clock?: () => number;
  stepMs?: number;
  /** null: start without credentials. */
  credentials?: Credentials | null;
  client?: Partial<ClientOptions>;
  /** The signer approvals are issued and checked with; a fresh one per harness by default. */
  approvals?: ApprovalSigner;
  /** Extensions the MCP client declares (for example the MCP Apps extension). */
  extensions?: Record<string, object>;
}

export interface Harness {
  fake: FakeCloudflare;
  mcp: Client;
  tools: Tool[];
  /** A call with the progress notifications it sent and how long it took. */
  callWatched(
    name: string,
    args: Record<string, unknown>,
    onArrival?: () => void,
  ): Promise<{ result: CallToolResult; progress: { progress: number; message?: string }[]; ms: number }>;
  call(
    name: string,
    args: Record<string, unknown>,
    options?: { signal?: AbortSignal; onprogress?: (p: unknown) => void },
  ): Promise<CallToolResult>;
  /** A call as a model makes it with the user's approval: the plan first, then its confirm value. */
  callApproved(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  /** Requests the fake received since the last `drain`. */
  drain(): FakeCloudflare["log"];
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeCloudflare({
    token: TOKEN,
    email: EMAIL,
    key: KEY,
    clock: options.clock ?? (() => START),
    stepMs: options.stepMs ?? 60_000,
  });
  const credentials = options.credentials === null ? undefined : (options.credentials ?? { token: TOKEN });
  const pool = undiciSender({ keepAliveTimeoutMs: 1000 });
  const redactor = redactorFor(credentials);
  const client = new CloudflareClient({
    baseUrl: fake.url,
    credentials,
    redact: redactor.text,
    send: pool.send,
    timeoutMs: 5000,
    userAgent: "test",
    rateBudget: null,
    ...options.client,
  });
  const server = createServer({
    config: {
      readOnly: options.readOnly ?? false,
      elicitationOnly: options.elicitationOnly ?? false,
      sandbox: false,
    },
    client,
    redactor,
    credentialId: await credentialId(credentials),
    approvals: options.approvals ?? createApprovalSigner(),
    now: options.clock ?? (() => START),
  });
  const mcp = new Client(
    { name: "test-client", version: "1.0.0" },
    {
      capabilities: {
        ...(options.elicit ? { elicitation: { form: {} } } : {}),
        ...(options.extensions ? { extensions: options.extensions } : {}),
      },
    },
  );
  if (options.elicit) {
    const answer = options.elicit;
    mcp.setRequestHandler(ElicitRequestSchema, (request) => answer(request.params));
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), mcp.connect(clientSide)]);
  // Listing first also makes the SDK client validate every structured result against its output schema.
  const { tools } = await mcp.listTools();
  let seen = 0;
  return {
    fake,
    mcp,
    tools,
    call: (name, args, callOptions) =>
      mcp.callTool({ name, arguments: args }, undefined, callOptions as never) as Promise<CallToolResult>,
    callApproved: approving(
      (name, args) => mcp.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    ),
    callWatched: async (name, args, onArrival) => {
      const progress: { progress: number; message?: string }[] = [];
      const started = Date.now();
      const result = (await mcp.callTool({ name, arguments: args }, undefined, {
        onprogress: (p) => {
          progress.push(p);
          onArrival?.();
        },
      })) as CallToolResult;
      return { result, progress, ms: Date.now() - started };
    },
    drain: () => {
      const fresh = fake.log.slice(seen);
      seen = fake.log.length;
      return fresh;
    },
    close: async () => {
      await mcp.close();
      await server.close();
      await pool.destroy();
      await fake.close();
    },
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}
