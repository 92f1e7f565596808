// What the OAuth sign-in reads from the Worker's environment, and the one origin a request is served under.
// OAuth stays off unless the deployer turns it on, so a deployment that never asked for it advertises none.
// OAUTH_ENABLED and CLOUDFLARE_BASE_URL are read by the settings table, as every other var of the Worker.
import { isLoopbackHost } from "../config/addresses.js";
import { ConfigError } from "../config/error.js";
import { type WorkerVars, workerValue } from "../config/worker-env.js";

/** The vars and bindings the OAuth layer reads; the rest of the Worker's env passes through untouched. */
export interface OAuthEnv extends Pick<WorkerVars, "OAUTH_ENABLED" | "CLOUDFLARE_BASE_URL"> {
  /** The KV namespace of grants, clients and tokens (wrangler.jsonc `kv_namespaces`). */
  OAUTH_KV?: object;
}

export type OAuthMode =
  | { kind: "off" }
  | { kind: "on"; apiBase: string }
  | { kind: "broken"; problem: string };

export function oauthMode(env: OAuthEnv): OAuthMode {
  try {
    if (!workerValue(env, "oauth")) return { kind: "off" };
    if (!env.OAUTH_KV) {
      return {
        kind: "broken",
        problem:
          'OAUTH_ENABLED is on but no KV namespace is bound as OAUTH_KV; declare it in wrangler.jsonc: "kv_namespaces": [{ "binding": "OAUTH_KV" }].',
      };
    }
    return { kind: "on", apiBase: workerValue(env, "baseUrl") };
  } catch (error) {
    if (error instanceof ConfigError)
      return { kind: "broken", problem: `${error.message} (in wrangler.jsonc vars).` };
    throw error;
  }
}

/**
 * The origin OAuth names for a request: issuer, resource and metadata URLs all hang off it. Workers are
 * reached over https; plain http is kept only for loopback (`wrangler dev`), as OAuth 2.1 and the provider
 * require. A plain-http request to a public name therefore belongs to the https origin and fails its checks.
 */
export function canonicalOrigin(requestUrl: URL): string {
  const host = requestUrl.host.toLowerCase();
  const scheme = requestUrl.protocol === "http:" && isLoopbackHost(requestUrl.hostname) ? "http" : "https";
  return `${scheme}://${host}`;
}

/** The protected resource: every MCP endpoint sits at or below this path. */
export const RESOURCE_PATH = "/mcp";

export function resourceMetadataUrl(origin: string): string {
  return `${origin}/.well-known/oauth-protected-resource${RESOURCE_PATH}`;
}
