// The MCP apps one Worker isolate serves, all built on the shared HTTP app: the API (each request carries its
// caller's Cloudflare token, sent to Cloudflare with fetch) and the sandbox (no token; the simulated API runs
// in this isolate's memory, bounded, and is reached without any network).
import type { Credentials } from "../client/cloudflare.js";
import { type RateBudget, RateBudgets } from "../client/rate-limit.js";
import { fetchSender } from "../client/send-fetch.js";
import type { Send } from "../client/sender.js";
import { createApprovalSigner } from "../core/approval.js";
import { type Backend, createHttpApp } from "../core/http-app.js";
import type { ClientSettings } from "../core/identity.js";
import { createSandbox } from "../sandbox/handler.js";
import { NAME, VERSION } from "../version.js";
import { durableSpentNonces } from "./worker-nonces.js";
import type { WorkerSettings } from "./worker-settings.js";
import { DurableTaskStore, type SealKey, sealingKey } from "./worker-tasks.js";

/** What serves MCP requests: the shared HTTP app, minus close (an isolate is never told it ends). */
export interface McpApp {
  fetch(request: Request): Promise<Response>;
}

export interface WorkerApps {
  /** /mcp and /mcp/readonly, and /sandbox/mcp and /sandbox/mcp/readonly unless SANDBOX_ENABLED is "false". */
  mcp: McpApp;
}

/** The rate window of Cloudflare's own budget per user. */
const RATE_WINDOW_MS = 5 * 60_000;
const SANDBOX_TOKEN = "sandbox-token";
const SANDBOX_API_PATH = "/client/v4";
export const SANDBOX_PREFIX = "/sandbox";
export const NOT_FOUND = "Not found. The MCP endpoints are listed at /.";

export function buildWorkerApps(settings: WorkerSettings): WorkerApps {
  const config = { readOnly: settings.readOnly, elicitationOnly: false, sandbox: false };
  // The global fetch is looked up on each call, not captured here, so that tests can stand in for it.
  const api: Backend = {
    config,
    client: clientSettings(
      settings.baseUrl,
      fetchSender((input, init) => fetch(input, init)),
      settings.timeoutMs,
    ),
    // Kept per credential, and per isolate (isolates share nothing); the settings table's default is Cloudflare's.
    budgets: new RateBudgets(rateBudget(settings.rateLimit)),
    // The hosted sandbox below has none: its visitors share one credential, and its calls are answered inline.
    tasksFor: tasksFor(settings),
  };
  // The simulated API is built with the first sandbox call, and lives in this isolate's memory.
  let simulated: ReturnType<typeof createSandbox> | undefined;
  const sandbox: Backend = {
    config: { ...config, sandbox: true },
    client: clientSettings(
      `https://sandbox.invalid${SANDBOX_API_PATH}`,
      fetchSender((input, init) => {
        simulated ??= createSandbox({ token: SANDBOX_TOKEN, basePath: SANDBOX_API_PATH });
        return simulated.handle(new Request(input, init));
      }),
      settings.timeoutMs,
    ),
    // Nothing real to protect, and one shared credential: a budget would only make visitors queue.
    budgets: new RateBudgets(null),
    sandbox: { credentials: { token: SANDBOX_TOKEN } },
    // The sandbox signs with a key of its own and keeps its own spent approvals: an approval anyone can mint
    // there must never act on /mcp, and the crowd trying it must not fill the real callers' store.
    approvals: createApprovalSigner({ key: crypto.getRandomValues(new Uint8Array(32)) }),
  };
  const mcp = createHttpApp({
    ...api,
    mounts: settings.sandbox ? { [SANDBOX_PREFIX]: sandbox } : {},
    approvals: createApprovalSigner({
      key: settings.approvalKey,
      spent: settings.spentApprovals ? durableSpentNonces(settings.spentApprovals) : undefined,
    }),
    allowedOrigins: settings.allowedOrigins,
    // Under `wrangler dev` the Worker is reached on loopback, and a page on the developer's machine may call
    // it; deployed it never is, and a Host rebound to another name keeps the strict rules.
    loopbackOrigins: "when-reached-on-loopback",
    notFound: NOT_FOUND,
    // No cap per isolate: the runtime spreads requests over isolates and bounds each one's memory itself, so a
    // cap here would turn a burst into 503s that another isolate would have served. The limits on a body
    // still apply to every request.
    maxInFlight: Number.POSITIVE_INFINITY,
  });
  return { mcp };
}

/** Each caller's tasks, in Durable Objects, with the caller's token sealed; none without the binding or key. */
function tasksFor(settings: WorkerSettings) {
  const { tasks, approvalKey } = settings;
  if (!tasks || approvalKey === undefined) return undefined;
  let key: Promise<SealKey> | undefined;
  return (credentials: Credentials) => {
    key ??= sealingKey(approvalKey);
    return new DurableTaskStore(tasks, credentials, key);
  };
}

function rateBudget(requests: number): RateBudget | null {
  return requests === 0 ? null : { requests, windowMs: RATE_WINDOW_MS };
}

function clientSettings(baseUrl: string, send: Send, timeoutMs: number): ClientSettings {
  return { baseUrl, send, timeoutMs, userAgent: `${NAME}/${VERSION}` };
}
