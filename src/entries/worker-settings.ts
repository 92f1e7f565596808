// The Worker's settings, read from its vars and secrets (wrangler.jsonc, `wrangler secret put`) by the same
// settings table, with the same checks and defaults, as the Node entry's flags and variables. A bad value
// makes every MCP request fail with a message naming the var and the fix, rather than serve with a setting
// the deployer did not mean.
import { SETTINGS } from "../config/settings.js";
import { type WorkerVars, workerValue } from "../config/worker-env.js";
import type { SpentApprovalsNamespace } from "./worker-nonces.js";
import type { TaskNamespace } from "./worker-tasks.js";

/** The vars and secrets the Worker reads (docs/configuration.md lists them), and its bindings; all optional. */
export interface WorkerEnv extends WorkerVars {
  /** The Durable Object binding (wrangler.jsonc) where spent approvals are kept for every isolate. */
  SPENT_APPROVALS?: SpentApprovalsNamespace;
  /** The Durable Object namespace tasks live in (wrangler.jsonc); tasks also need APPROVAL_KEY to seal tokens. */
  TASKS?: TaskNamespace;
}

export interface WorkerSettings {
  baseUrl: string;
  /** Undefined: each isolate signs with a random key of its own. */
  approvalKey?: string;
  allowedOrigins: string[];
  readOnly: boolean;
  /** Whether POST /sandbox/mcp is served. */
  sandbox: boolean;
  /** Each attempt's limit on a Cloudflare request, as the Node server's default. */
  timeoutMs: number;
  /** Requests per 5 minutes per credential, as the Node server's default (Cloudflare's own limit). */
  rateLimit: number;
  /** Undefined: each isolate keeps the approvals spent through it in its own memory. */
  spentApprovals?: SpentApprovalsNamespace;
  /** Where tasks live; absent (no binding or no APPROVAL_KEY): long calls are answered inline. */
  tasks?: TaskNamespace;
}

export function workerSettings(env: WorkerEnv): WorkerSettings {
  const approvalKey = workerValue(env, "approvalKey");
  return {
    baseUrl: workerValue(env, "baseUrl"),
    approvalKey,
    allowedOrigins: workerValue(env, "allowedOrigins"),
    readOnly: workerValue(env, "readOnly"),
    sandbox: workerValue(env, "sandboxEndpoint"),
    timeoutMs: SETTINGS.timeoutMs.default,
    rateLimit: SETTINGS.rateLimit.default,
    spentApprovals: env.SPENT_APPROVALS,
    ...(env.TASKS && approvalKey !== undefined ? { tasks: env.TASKS } : {}),
  };
}
