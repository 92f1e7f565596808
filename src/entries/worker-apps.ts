// The MCP apps one Worker isolate serves, all built on the shared HTTP app: the API (each request carries its
// caller's Cloudflare token, sent to Cloudflare with fetch) and the sandbox (no token; the simulated API runs
// in this isolate's memory, bounded, and is reached without any network).
import type { Credentials } from "../client/cloudflare.js";
import { type RateBudget, RateBudgets } from "../client/rate-limit.js";
import { fetchSender } from "../client/send-fetch.js";
import type { Send } from "../client/sender.js";
import { createApprovalSigner } from "../core/approval.js";
import { createHttpApp } from "../core/http-app.js";
import type { ClientSettings } from "../core/identity.js";
import { createSandbox } from "../sandbox/handler.js";
import { NAME, VERSION } from "../version.js";
import type { WorkerSettings } from "./worker-settings.js";
import { DurableTaskStore, type SealKey, sealingKey } from "./worker-tasks.js";

/** What serves MCP requests: the shared HTTP app, minus close (an isolate is never told it ends). */
export interface McpApp {
  fetch(request: Request): Promise<Response>;
}

export interface WorkerApps {
  api: McpApp;
  /** Absent when SANDBOX_ENABLED is "false". */
  sandbox?: McpApp;
}

/** Cloudflare's own budget per user; kept per credential, and per isolate (isolates share nothing). */
const RATE_BUDGET: RateBudget = { requests: 1200, windowMs: 5 * 60_000 };
const TIMEOUT_MS = 30_000;
const SANDBOX_TOKEN = "sandbox-token";
const LOOPBACK_HOSTNAME = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export function buildWorkerApps(settings: WorkerSettings): WorkerApps {
  const approvals = createApprovalSigner({ key: settings.approvalKey });
  const budgets = new RateBudgets(RATE_BUDGET);
  const config = { readOnly: settings.readOnly, elicitationOnly: false, sandbox: false };
  // The global fetch is looked up on each call, not captured here, so that tests can stand in for it.
  const api = byOrigin((loopbackOrigins) =>
    createHttpApp({
      config,
      client: clientSettings(
        settings.baseUrl,
        fetchSender((input, init) => fetch(input, init)),
      ),
      budgets,
      approvals,
      allowedOrigins: settings.allowedOrigins,
      loopbackOrigins,
      tasksFor: tasksFor(settings),
    }),
  );
  if (!settings.sandbox) return { api };

  let sandboxApi: ReturnType<typeof createSandbox> | undefined;
  const sandbox = byOrigin((loopbackOrigins) => {
    sandboxApi ??= createSandbox({ token: SANDBOX_TOKEN });
    const simulated = sandboxApi;
    return createHttpApp({
      config: { ...config, sandbox: true },
      client: clientSettings(
        `https://sandbox.invalid${simulated.basePath}`,
        fetchSender((input, init) => simulated.handle(new Request(input, init))),
      ),
      // Nothing real to protect, and one shared credential: a budget would only make visitors queue.
      budgets: new RateBudgets(null),
      approvals,
      sandbox: { credentials: { token: SANDBOX_TOKEN } },
      allowedOrigins: settings.allowedOrigins,
      loopbackOrigins,
    });
  });
  return { api, sandbox };
}

/** Each caller's tasks, in Durable Objects, with the caller's token sealed; none without the binding or key. */
function tasksFor(settings: WorkerSettings) {
  const { tasks, approvalKey } = settings;
  if (!tasks || approvalKey === undefined) return undefined;
  let key: Promise<SealKey> | undefined;
  return (credentials: Credentials | undefined) => {
    if (!credentials) return undefined;
    key ??= sealingKey(approvalKey);
    return new DurableTaskStore(tasks, credentials, key);
  };
}

function clientSettings(baseUrl: string, send: Send): ClientSettings {
  return { baseUrl, send, timeoutMs: TIMEOUT_MS, userAgent: `${NAME}/${VERSION}` };
}

/**
 * Loopback origins are welcome only where the Worker itself is reached at a loopback address, which happens
 * under `wrangler dev` and never once deployed: a page on the developer's machine may call the local Worker,
 * while a request whose Host was rebound to another name keeps the strict rules.
 */
function byOrigin(build: (loopbackOrigins: boolean) => McpApp): McpApp {
  const apps = new Map<boolean, McpApp>();
  return {
    fetch(request) {
      const loopback = LOOPBACK_HOSTNAME.test(new URL(request.url).hostname);
      let app = apps.get(loopback);
      if (!app) {
        app = build(loopback);
        apps.set(loopback, app);
      }
      return app.fetch(request);
    },
  };
}
