// OAuth around the Worker, for chat apps that can only sign in: with OAUTH_ENABLED "true", the MCP endpoints
// become a protected resource of an authorization server in this same Worker (discovery, client
// registration, PKCE, refresh, revocation; grants in OAUTH_KV). Off, requests go to the Worker untouched
// and nothing about OAuth exists. Either way a request that carries a Cloudflare API token as its bearer
// goes straight to the MCP app as before, so header users and signed-in users share one deployment.
import { getOAuthApi, OAuthProvider, type OAuthProviderOptions } from "@cloudflare/workers-oauth-provider";
import { NAME } from "../version.js";
import { AUTHORIZE_PATH, authorize, REVOKE_PATH } from "./authorize.js";
import { grantHandler, type InnerWorker, onTokenExchange, type ProviderEnv } from "./grant.js";
import { revokePage } from "./revoke.js";
import { canonicalOrigin, type OAuthEnv, oauthMode, RESOURCE_PATH } from "./settings.js";

export const TOKEN_PATH = "/oauth/token";
export const REGISTER_PATH = "/oauth/register";
/** A Worker answers few hostnames (workers.dev, custom domains); more than this is not a deployment's. */
const MAX_ORIGINS = 16;

/** The Worker as the runtime calls it; `ctx` is the execution context the provider hangs `props` on. */
export interface OAuthWorker<Env> {
  fetch(request: Request, env: Env, ctx: object): Promise<Response>;
}

export function withOAuth<Env extends object>(inner: {
  fetch(request: Request, env: Env): Promise<Response>;
}): OAuthWorker<Env & OAuthEnv> {
  const providers = new Map<string, OAuthProvider<ProviderEnv>>();
  const providerFor = (origin: string) => {
    let provider = providers.get(origin);
    if (!provider) {
      provider = buildProvider(origin, inner as InnerWorker);
      if (providers.size >= MAX_ORIGINS) providers.delete(providers.keys().next().value as string);
      providers.set(origin, provider);
    }
    return provider;
  };
  return {
    async fetch(request, env, ctx) {
      const mode = oauthMode(env);
      if (mode.kind === "off") return inner.fetch(request, env);
      if (mode.kind === "broken") {
        return new Response(`This server is misconfigured: ${mode.problem}\n`, {
          status: 500,
          headers: { "content-type": "text/plain; charset=utf-8" },
        });
      }
      const url = new URL(request.url);
      if (underResource(url.pathname) && carriesCloudflareToken(request)) return inner.fetch(request, env);
      // A copy: the provider adds its helpers to the env it is given, and they belong to one provider.
      const providerEnv = { ...env } as unknown as ProviderEnv;
      const response = await providerFor(canonicalOrigin(url)).fetch(request, providerEnv, ctx as never);
      return underResource(url.pathname) ? withChallengeBody(response) : response;
    },
  };
}

/** The provider's 401 has no body; a person reading it (curl, a log) learns both ways in. */
function withChallengeBody(response: Response): Response {
  if (response.status !== 401 || response.body !== null) return response;
  const headers = new Headers(response.headers);
  headers.set("content-type", "text/plain; charset=utf-8");
  return new Response(`${UNAUTHORIZED}\n`, { status: 401, headers });
}

const UNAUTHORIZED =
  "Unauthorized: sign in with OAuth (the WWW-Authenticate header points to this server's metadata; chat apps do this for you), or send your Cloudflare API token as the header `Authorization: Bearer <token>` (permissions: SSL and Certificates Read, plus Edit for changes, and Zone Read for find_zone).";

function underResource(path: string): boolean {
  return path === RESOURCE_PATH || path.startsWith(`${RESOURCE_PATH}/`);
}

/**
 * The provider's tokens read `userId:grantId:secret`; a Cloudflare API token has no colon. So a bearer
 * without one is the caller's own Cloudflare token, served exactly as with OAuth off (no lookup, no
 * grant), and anything else is the provider's to accept or refuse.
 */
function carriesCloudflareToken(request: Request): boolean {
  const match = /^Bearer[\t ]+(\S+)$/i.exec(request.headers.get("authorization")?.trim() ?? "");
  return match !== null && !(match[1] as string).includes(":");
}

function buildProvider(origin: string, inner: InnerWorker): OAuthProvider<ProviderEnv> {
  const options: OAuthProviderOptions<ProviderEnv> = {
    apiRoute: RESOURCE_PATH,
    apiHandler: grantHandler(inner),
    defaultHandler: {
      fetch(request: Request, env: ProviderEnv) {
        const mode = oauthMode(env);
        const path = new URL(request.url).pathname;
        if (mode.kind === "on" && path === AUTHORIZE_PATH) return authorize(request, env, mode.apiBase);
        if (mode.kind === "on" && path === REVOKE_PATH) return revokePage(request, env, mode.apiBase);
        return inner.fetch(request, env as never);
      },
    },
    authorizeEndpoint: AUTHORIZE_PATH,
    tokenEndpoint: TOKEN_PATH,
    clientRegistrationEndpoint: REGISTER_PATH,
    clientIdMetadataDocumentEnabled: true,
    resourceMetadata: {
      resource: `${origin}${RESOURCE_PATH}`,
      authorization_servers: [origin],
      resource_name: NAME,
      bearer_methods_supported: ["header"],
    },
    tokenExchangeCallback: (exchange) => onTokenExchange(exchange, () => getOAuthApi(options, exchange.env)),
    onError({ code, internal }) {
      // The code and the failed check only: descriptions and details may quote what a client sent.
      console.warn(`oauth: ${code} (${internal?.category ?? "?"}/${internal?.reason ?? "?"})`);
    },
  };
  return new OAuthProvider<ProviderEnv>(options);
}
