// What the OAuth sign-in reads from the Worker's environment, and the one origin a request is served under.
// OAuth stays off unless the deployer turns it on, so a deployment that never asked for it advertises none.
import { isLoopbackHost } from "../config/addresses.js";
import { checkBaseUrl, DEFAULT_BASE_URL } from "../config/base-url.js";
import { ConfigError } from "../config/error.js";

/** The vars and bindings the OAuth layer reads; the rest of the Worker's env passes through untouched. */
export interface OAuthEnv {
  /** "true" turns the sign-in on; unset or "false" leaves the Worker as if OAuth did not exist. */
  OAUTH_ENABLED?: string;
  /** The KV namespace of grants, clients and tokens (wrangler.jsonc `kv_namespaces`). */
  OAUTH_KV?: object;
  /** Overrides the Cloudflare API base, as for the MCP endpoints; only tests and local runs set it. */
  CLOUDFLARE_BASE_URL?: string;
}

export type OAuthMode =
  | { kind: "off" }
  | { kind: "on"; apiBase: string }
  | { kind: "broken"; problem: string };

export function oauthMode(env: OAuthEnv): OAuthMode {
  const raw = env.OAUTH_ENABLED?.trim().toLowerCase() ?? "";
  if (raw === "" || raw === "false") return { kind: "off" };
  if (raw !== "true") {
    return {
      kind: "broken",
      problem: `OAUTH_ENABLED=${JSON.stringify(env.OAUTH_ENABLED)} is not a switch; set it to "true" or "false" in wrangler.jsonc vars.`,
    };
  }
  if (!env.OAUTH_KV) {
    return {
      kind: "broken",
      problem:
        'OAUTH_ENABLED is "true" but no KV namespace is bound as OAUTH_KV; declare it in wrangler.jsonc: "kv_namespaces": [{ "binding": "OAUTH_KV" }].',
    };
  }
  try {
    const base = env.CLOUDFLARE_BASE_URL?.trim() ? env.CLOUDFLARE_BASE_URL : DEFAULT_BASE_URL;
    return { kind: "on", apiBase: checkBaseUrl(base, "CLOUDFLARE_BASE_URL") };
  } catch (error) {
    if (error instanceof ConfigError) return { kind: "broken", problem: error.message };
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
