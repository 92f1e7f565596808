// The Worker's settings, read from its vars and secrets (wrangler.jsonc, `wrangler secret put`) with the same
// checks the Node entry applies to its flags. A bad value makes every MCP request fail with a message naming
// the var and the fix, rather than serve with a setting the deployer did not mean.
import { allowedOrigin } from "../config/addresses.js";
import { checkBaseUrl, DEFAULT_BASE_URL } from "../config/base-url.js";
import { checkApprovalKey } from "../config/credentials.js";
import { ConfigError } from "../config/error.js";
import type { TaskNamespace } from "./worker-tasks.js";

/** The vars and secrets the Worker reads; every one is optional. */
export interface WorkerEnv {
  /** Overrides the Cloudflare API base: https, or plain http to loopback only (tests, a local fake). */
  CLOUDFLARE_BASE_URL?: string;
  /** Secret (32+ characters) that signs approvals, so a plan approved in one isolate is accepted in another. */
  APPROVAL_KEY?: string;
  /** Comma-separated origins (scheme://host[:port]) whose browser pages may call the MCP endpoints. */
  ALLOWED_ORIGINS?: string;
  /** "true": every endpoint serves the read tools only. */
  READ_ONLY?: string;
  /** "false" turns off POST /sandbox/mcp. */
  SANDBOX_ENABLED?: string;
  /** The Durable Object namespace tasks live in (wrangler.jsonc); tasks also need APPROVAL_KEY to seal tokens. */
  TASKS?: TaskNamespace;
}

export interface WorkerSettings {
  baseUrl: string;
  /** Undefined: each isolate signs with a random key of its own. */
  approvalKey?: string;
  allowedOrigins: string[];
  readOnly: boolean;
  sandbox: boolean;
  /** Where tasks live; absent (no binding or no APPROVAL_KEY): long calls are answered inline. */
  tasks?: TaskNamespace;
}

export function workerSettings(env: WorkerEnv): WorkerSettings {
  const approvalKey = present(env.APPROVAL_KEY);
  return {
    baseUrl: checkBaseUrl(present(env.CLOUDFLARE_BASE_URL) ?? DEFAULT_BASE_URL, "CLOUDFLARE_BASE_URL"),
    approvalKey: approvalKey === undefined ? undefined : checkApprovalKey(approvalKey, "APPROVAL_KEY"),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? "")
      .split(",")
      .filter((entry) => entry.trim() !== "")
      .map((entry) => allowedOrigin(entry, "ALLOWED_ORIGINS")),
    readOnly: flag(env.READ_ONLY, "READ_ONLY", false),
    sandbox: flag(env.SANDBOX_ENABLED, "SANDBOX_ENABLED", true),
    ...(env.TASKS && approvalKey !== undefined ? { tasks: env.TASKS } : {}),
  };
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function flag(value: string | undefined, name: string, unset: boolean): boolean {
  const text = value?.trim().toLowerCase() ?? "";
  if (text === "") return unset;
  if (text === "true") return true;
  if (text === "false") return false;
  throw new ConfigError(`${name}=${JSON.stringify(value)} is not a switch; set it to "true" or "false"`);
}
