// What a signed-in connection carries, and how a call made with it reaches the MCP app: the provider has
// already checked the client's access token (its own, never the Cloudflare token) and unsealed the grant;
// this hands the app a request that carries the user's Cloudflare token instead, built here and never seen
// by the client. The Cloudflare token is re-verified now and then, so a token the user revoked at
// Cloudflare ends the connection with a 401 that sends the client back through sign-in.
import {
  type GrantSummary,
  OAuthError,
  type OAuthHelpers,
  type TokenExchangeCallbackOptions,
} from "@cloudflare/workers-oauth-provider";
import { verifyToken } from "./cloudflare-token.js";
import { canonicalOrigin, type OAuthEnv, oauthMode, resourceMetadataUrl } from "./settings.js";

/** A grant's props: encrypted by the provider under a key only the connection's own tokens unwrap. */
export interface SealedGrant {
  cloudflareToken: string;
  /** Cloudflare's id of the token; also the grant's user id, which lets its owner list and revoke it. */
  tokenId: string;
  /** Set for an account-owned token, whose verify endpoint lives under its account. */
  accountId?: string;
  /** The user chose read tools only: every call goes out as on /mcp/readonly. */
  readOnly: boolean;
  /** When Cloudflare last accepted the token (ms since the epoch), as stored in the grant. */
  verifiedAt: number;
  /** When the Cloudflare token itself expires (ISO 8601), if it does. */
  expiresOn?: string;
}

/** How long a verification holds before a call checks the token with Cloudflare again. */
export const REVERIFY_AFTER_MS = 5 * 60_000;
const MAX_REMEMBERED_GRANTS = 10_000;
/** A user's grants read at most when a new sign-in replaces the older ones. */
const MAX_LISTED_GRANTS = 1000;
const GRANT_TTL_SECONDS = 30 * 24 * 3600;

/** What the MCP app (the Worker without OAuth) looks like from here. */
export interface InnerWorker {
  fetch(request: Request, env: never): Promise<Response>;
}

export type ProviderEnv = OAuthEnv & { OAUTH_PROVIDER: OAuthHelpers };

/** The parts of the provider's execution context a protected handler reads. */
interface GrantContext {
  props: unknown;
  auth: { token: string; userId?: string };
}

/** When this isolate last saw each grant's token verify; an isolate keeps no more than this many. */
const verifiedInIsolate = new Map<string, number>();

export function grantHandler(inner: InnerWorker) {
  return {
    async fetch(request: Request, env: ProviderEnv, ctx: GrantContext): Promise<Response> {
      const grant = ctx.props as SealedGrant;
      const [userId, grantId] = ctx.auth.token.split(":") as [string, string];
      const mode = oauthMode(env);
      const now = Date.now();
      const since = Math.max(grant.verifiedAt, verifiedInIsolate.get(grantId) ?? 0);
      if (mode.kind === "on" && now - since > REVERIFY_AFTER_MS) {
        const verification = await verifyToken(mode.apiBase, grant.cloudflareToken, grant.accountId);
        if (verification.kind === "refused") {
          verifiedInIsolate.delete(grantId);
          await env.OAUTH_PROVIDER.revokeGrant(grantId, userId);
          return signInAgain(request);
        }
        // An outage is not the user's doing: the call goes ahead and fails at Cloudflare if it must.
        if (verification.kind === "active") remember(grantId, now);
      }
      const headers = new Headers(request.headers);
      headers.set("authorization", `Bearer ${grant.cloudflareToken}`);
      if (grant.readOnly) headers.set("x-mcp-readonly", "true");
      return inner.fetch(new Request(request, { headers }), env as never);
    },
  };
}

function remember(grantId: string, at: number): void {
  verifiedInIsolate.delete(grantId);
  verifiedInIsolate.set(grantId, at);
  if (verifiedInIsolate.size > MAX_REMEMBERED_GRANTS) {
    const oldest = verifiedInIsolate.keys().next().value;
    if (oldest !== undefined) verifiedInIsolate.delete(oldest);
  }
}

function signInAgain(request: Request): Response {
  const metadata = resourceMetadataUrl(canonicalOrigin(new URL(request.url)));
  const description = "The Cloudflare API token of this connection no longer verifies; sign in again";
  return Response.json(
    { error: "invalid_token", error_description: description },
    {
      status: 401,
      headers: {
        "cache-control": "no-store",
        "www-authenticate": `Bearer realm="OAuth", error="invalid_token", error_description="${description}", resource_metadata="${metadata}"`,
      },
    },
  );
}

/**
 * Runs at every code exchange and refresh. A grant lives no longer than the Cloudflare token it holds; a
 * refresh first checks that Cloudflare still accepts the token, and ends the grant (the provider revokes it
 * on invalid_grant) when it does not.
 */
export async function onTokenExchange(
  options: TokenExchangeCallbackOptions<OAuthEnv>,
  /** The provider's helpers: the token endpoint does not put them in the env it hands the callback. */
  helpers: () => OAuthHelpers,
) {
  const grant = options.props as SealedGrant;
  if (options.grantType === "authorization_code") {
    await endOlderConnections(options, helpers());
    const left = grant.expiresOn ? Math.floor((Date.parse(grant.expiresOn) - Date.now()) / 1000) : Number.NaN;
    return Number.isFinite(left)
      ? { refreshTokenTTL: Math.max(60, Math.min(GRANT_TTL_SECONDS, left)) }
      : undefined;
  }
  if (options.grantType !== "refresh_token") return undefined;
  const mode = oauthMode(options.env);
  if (mode.kind !== "on") return undefined;
  const verification = await verifyToken(mode.apiBase, grant.cloudflareToken, grant.accountId);
  if (verification.kind === "refused") {
    throw new OAuthError("invalid_grant", {
      description: "The Cloudflare API token of this connection no longer verifies; sign in again",
    });
  }
  if (verification.kind === "active") {
    remember(options.grantId, Date.now());
    return { newProps: { ...grant, verifiedAt: Date.now() } satisfies SealedGrant };
  }
  return undefined;
}

/**
 * A new sign-in of an app replaces its older connections made with the same Cloudflare token, once the app
 * exchanges the new code: a sign-in abandoned on the confirmation page leaves the working connection as it
 * was. An app known by a metadata document is one app per redirect URI, as the provider counts them.
 */
async function endOlderConnections(
  options: TokenExchangeCallbackOptions<OAuthEnv>,
  oauth: OAuthHelpers,
): Promise<void> {
  try {
    const grants: GrantSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await oauth.listUserGrants(options.userId, cursor ? { cursor } : {});
      grants.push(...page.items);
      cursor = page.cursor;
    } while (cursor && grants.length < MAX_LISTED_GRANTS);
    const current = grants.find((grant) => grant.id === options.grantId);
    if (!current) return;
    const byDocument = /^https:\/\//.test(current.clientId);
    const older = grants.filter(
      (grant) =>
        grant.id !== current.id &&
        grant.clientId === current.clientId &&
        (!byDocument || grant.redirectUri === current.redirectUri) &&
        JSON.stringify(grant.resource) === JSON.stringify(current.resource),
    );
    await Promise.all(older.map((grant) => oauth.revokeGrant(grant.id, options.userId)));
  } catch (error) {
    // The new connection works either way; an older one left behind still ends with its lifetime.
    console.warn(`oauth: could not end older connections (${(error as Error)?.name ?? "error"})`);
  }
}
