// The Worker's settings, read from its vars and secrets (wrangler.jsonc, `wrangler secret put`) by the same
// settings table, with the same checks and defaults, as the Node entry's flags and variables. A bad value
// makes every MCP request fail with a message naming the var and the fix, rather than serve with a setting
// the deployer did not mean.
import { SETTINGS } from "../config/settings.js";
import { type WorkerVars, workerValue } from "../config/worker-env.js";
import type { SpentApprovalsNamespace } from "./worker-nonces.js";

/** The vars and secrets the Worker reads (docs/configuration.md lists them), and its bindings; all optional. */
export interface WorkerEnv extends WorkerVars {
  /** The Durable Object binding (wrangler.jsonc) where spent approvals are kept for every isolate. */
  SPENT_APPROVALS?: SpentApprovalsNamespace;
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
}

export function workerSettings(env: WorkerEnv): WorkerSettings {
  return {
    baseUrl: workerValue(env, "baseUrl"),
    approvalKey: workerValue(env, "approvalKey"),
    allowedOrigins: workerValue(env, "allowedOrigins"),
    readOnly: workerValue(env, "readOnly"),
    sandbox: workerValue(env, "sandboxEndpoint"),
    timeoutMs: SETTINGS.timeoutMs.default,
    rateLimit: SETTINGS.rateLimit.default,
    spentApprovals: env.SPENT_APPROVALS,
  };
}
