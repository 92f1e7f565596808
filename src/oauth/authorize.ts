// The authorization endpoint: the provider validates the request (client, redirect URI, resource, PKCE), this
// page asks for a Cloudflare token, Cloudflare verifies it, the user sees which zones and tools it gives, and
// only then is the grant written with the token sealed inside. The page is bound to its authorization
// request by the provider's one-time handle and to the browser by a Strict CSRF cookie; the token travels
// in the POST body only and is never written back, logged or put in a URL.
import {
  AuthorizationError,
  type AuthRequest,
  CimdFetchError,
  type ConsentDescription,
} from "@cloudflare/workers-oauth-provider";
import { TOOL_DEFINITIONS } from "../tools/listing.js";
import { identifyToken, zonesReached } from "./cloudflare-token.js";
import { type ConsentForm, connectedBody, consentBody } from "./consent-view.js";
import { csrfFor, csrfMatches } from "./csrf.js";
import { field, readForm } from "./form.js";
import type { ProviderEnv, SealedGrant } from "./grant.js";
import { errorPage, htmlPage } from "./html.js";
import { canonicalOrigin } from "./settings.js";

export const AUTHORIZE_PATH = "/authorize";
export const REVOKE_PATH = "/oauth/revoke";
/** What a Cloudflare API token looks like at most: printable ASCII without spaces. */
const TOKEN_SHAPE = /^[\x21-\x7e]{8,512}$/;

export async function authorize(request: Request, env: ProviderEnv, apiBase: string): Promise<Response> {
  if (request.method !== "GET" && request.method !== "POST") {
    return new Response("Method not allowed.\n", { status: 405, headers: { allow: "GET, POST" } });
  }
  const oauth = env.OAUTH_PROVIDER;
  let authRequest: AuthRequest;
  let details: ConsentDescription;
  try {
    authRequest = await oauth.parseAuthRequest(request);
    if (authRequest.codeChallengeMethod !== "S256") {
      // The provider lets confidential clients skip PKCE; MCP asks it of every client, so this server does.
      return refusedPage("PKCE with S256 is required (code_challenge_method=S256)");
    }
    details = await oauth.describeConsent(authRequest);
  } catch (error) {
    return refusedRequest(error);
  }
  if (request.method === "GET") {
    const consent = await oauth.beginConsent(authRequest);
    return consentPage(request, details, { handle: consent.handle, readOnly: true }, consent.headers);
  }
  return submitConsent(request, env, apiBase, details);
}

async function submitConsent(
  request: Request,
  env: ProviderEnv,
  apiBase: string,
  details: ConsentDescription,
): Promise<Response> {
  const posted = await readForm(request);
  if (posted.kind === "refused") return errorPage(415, "Sign-in refused", posted.reason);
  const form = posted.fields;
  if (!csrfMatches(request, form.get("csrf"))) {
    return errorPage(
      403,
      "Sign-in refused",
      "This form did not come from this sign-in page in this browser (its CSRF value is missing or wrong). Start again from your app.",
    );
  }
  const handle = form.get("handle") ?? "";
  const oauth = env.OAUTH_PROVIDER;
  try {
    if (form.get("decision") === "deny") {
      const denied = await oauth.denyConsent(request, handle);
      return new Response(null, { status: 302, headers: denied.headers });
    }
    const accountId = field(form, "account_id")?.toLowerCase();
    const again: Omit<ConsentForm, "csrf"> = {
      handle,
      accountId,
      readOnly: form.get("access") !== "read-write",
    };
    const token = field(form, "cloudflare_token");
    if (token === undefined || !TOKEN_SHAPE.test(token)) {
      const error = "Paste a Cloudflare API token: 8 to 512 visible characters, no spaces.";
      return consentPage(request, details, { ...again, error }, undefined, 400);
    }
    const verification = await identifyToken(apiBase, token, accountId);
    if (verification.kind !== "active") {
      const hint = accountId ? "" : " For an account-owned token, enter its account id.";
      const status = verification.kind === "refused" ? 400 : 503;
      return consentPage(
        request,
        details,
        { ...again, error: `${verification.reason}${hint}` },
        undefined,
        status,
      );
    }
    const zones = await zonesReached(apiBase, token);
    const approved = await oauth.approveConsent(request, handle);
    // The summary names the request the handle was issued for (kept server-side), not the URL posted to.
    const granted = await oauth.describeConsent(approved.request);
    const verified = verification.token;
    const grant: SealedGrant = {
      cloudflareToken: token,
      tokenId: verified.tokenId,
      readOnly: again.readOnly,
      verifiedAt: Date.now(),
      ...(verified.accountId ? { accountId: verified.accountId } : {}),
      ...(verified.expiresOn ? { expiresOn: verified.expiresOn } : {}),
    };
    const { redirectTo } = await oauth.completeAuthorization({
      request: approved.request,
      userId: verified.tokenId,
      // Stored in plain text, for the revocation page: nothing secret goes here.
      metadata: { readOnly: grant.readOnly, connectedAt: new Date(grant.verifiedAt).toISOString() },
      scope: approved.request.scope,
      props: grant,
      // Older connections of this app end when it exchanges the new code (see grant.ts), not now: the
      // user may still leave this page without continuing.
      revokeExistingGrants: false,
    });
    const body = connectedBody({
      clientName: granted.clientName,
      redirectHost: granted.redirectHost,
      continueTo: redirectTo,
      tokenId: verified.tokenId,
      accountId: verified.accountId,
      zones,
      readOnly: grant.readOnly,
      // Named from the generated listing, filtered as tools/list filters it: the registry would build every
      // tool spec's schemas when the isolate starts, for a page that needs only their names.
      tools: TOOL_DEFINITIONS.filter((tool) => !grant.readOnly || tool.annotations.readOnlyHint).map(
        (tool) => tool.name,
      ),
      revokePage: `${canonicalOrigin(new URL(request.url))}${REVOKE_PATH}`,
    });
    return htmlPage("Connected", body, { headers: approved.headers });
  } catch (error) {
    if (error instanceof AuthorizationError) {
      return errorPage(400, "Sign-in expired", `${error.description} Start again from your app.`);
    }
    throw error;
  }
}

function consentPage(
  request: Request,
  details: ConsentDescription,
  form: Omit<ConsentForm, "csrf">,
  headers?: Headers,
  status = 200,
): Promise<Response> {
  const csrf = csrfFor(request);
  const sent = new Headers(headers);
  sent.append("set-cookie", csrf.setCookie);
  // Denying redirects straight back to the client, which the form's CSP must allow.
  const redirectOrigin = new URL(details.redirectUri).origin;
  return htmlPage(`Connect ${details.clientName}`, consentBody(details, { ...form, csrf: csrf.value }), {
    status,
    headers: sent,
    formTargets: redirectOrigin === "null" ? [] : [redirectOrigin],
  });
}

/**
 * Before the user has seen the consent page, nothing redirects: anyone may register a client with any
 * redirect URI, so an error sent there would make this origin an open redirector. The error is shown here.
 */
function refusedPage(description: string): Promise<Response> {
  return errorPage(
    400,
    "Sign-in refused",
    `${description.replace(/\.$/, "")}. The app's sign-in request is not valid; start again from your app, or tell its makers.`,
  );
}

function refusedRequest(error: unknown): Promise<Response> | Response {
  if (error instanceof AuthorizationError) return refusedPage(error.description);
  if (error instanceof CimdFetchError) {
    return errorPage(
      400,
      "Sign-in refused",
      "The app's client metadata document could not be fetched or is not valid.",
    );
  }
  throw error;
}
