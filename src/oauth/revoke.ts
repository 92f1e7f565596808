// The page where a user ends their connections. Connections belong to the Cloudflare token they were made
// with (its id is the grant's user id), so the user proves who they are by pasting that token again:
// Cloudflare verifies it, and every connection made with it is revoked, with its access and refresh tokens.
// Clients themselves can revoke their tokens at the token endpoint (RFC 7009).
import type { GrantSummary } from "@cloudflare/workers-oauth-provider";
import { identifyToken } from "./cloudflare-token.js";
import { csrfFor, csrfMatches } from "./csrf.js";
import { field, readForm } from "./form.js";
import type { ProviderEnv } from "./grant.js";
import { errorPage, escapeHtml, htmlPage } from "./html.js";

const MAX_GRANTS = 1000;

export async function revokePage(request: Request, env: ProviderEnv, apiBase: string): Promise<Response> {
  if (request.method === "GET") return revokeForm(request);
  if (request.method !== "POST") {
    return new Response("Method not allowed.\n", { status: 405, headers: { allow: "GET, POST" } });
  }
  const posted = await readForm(request);
  if (posted.kind === "refused") return errorPage(415, "Revocation refused", posted.reason);
  const form = posted.fields;
  if (!csrfMatches(request, form.get("csrf"))) {
    return errorPage(
      403,
      "Revocation refused",
      "This form did not come from the revocation page in this browser.",
    );
  }
  const token = field(form, "cloudflare_token");
  if (token === undefined)
    return revokeForm(request, "Paste the Cloudflare API token the connections were made with.");
  const accountId = field(form, "account_id")?.toLowerCase();
  const verification = await identifyToken(apiBase, token, accountId);
  if (verification.kind === "unavailable") return revokeForm(request, verification.reason, 503);
  if (verification.kind === "refused") {
    const ended =
      "If you deleted or rolled this token at Cloudflare, its connections end by themselves: the next call or refresh that finds the token refused is turned away.";
    return revokeForm(request, `${verification.reason} ${ended}`, 400);
  }

  const oauth = env.OAUTH_PROVIDER;
  const userId = verification.token.tokenId;
  const grants: GrantSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await oauth.listUserGrants(userId, cursor ? { cursor } : {});
    grants.push(...page.items);
    cursor = page.cursor;
  } while (cursor && grants.length < MAX_GRANTS);
  const lines: string[] = [];
  for (const grant of grants) {
    const client = await oauth.lookupClient(grant.clientId).catch(() => null);
    await oauth.revokeGrant(grant.id, userId);
    const since = new Date(grant.createdAt * 1000).toISOString().replace(/\.\d+Z$/, "Z");
    lines.push(`<li>${escapeHtml(client?.clientName ?? grant.clientId)}, connected ${since}</li>`);
  }
  const body =
    lines.length === 0
      ? `<h1>Nothing to revoke</h1>\n<p>No connection was made with token <code>${escapeHtml(userId)}</code>.</p>`
      : `<h1>Revoked</h1>\n<p>These connections made with token <code>${escapeHtml(userId)}</code> are ended; their apps must sign in again:</p>\n<ul>${lines.join("")}</ul>`;
  return htmlPage("Revoked", body);
}

async function revokeForm(request: Request, error?: string, status = 200): Promise<Response> {
  const csrf = csrfFor(request);
  const shown = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : "";
  const body = `<h1>Revoke connections</h1>
<p>Ends every chat app connection made with a Cloudflare API token: the apps lose access at once and must sign in again. Paste the token you signed in with; Cloudflare checks it, and it is not stored.</p>
${shown}
<form method="post">
<input type="hidden" name="csrf" value="${escapeHtml(csrf.value)}">
<label for="cloudflare_token">API token</label>
<input type="password" id="cloudflare_token" name="cloudflare_token" required autocomplete="off" spellcheck="false">
<label for="account_id">Account id (only for an account-owned token)</label>
<input type="text" id="account_id" name="account_id" pattern="[0-9a-f]{32}" autocomplete="off" spellcheck="false">
<button type="submit">Revoke</button>
</form>
<p class="note">Deleting the token at Cloudflare also ends its connections, within minutes.</p>`;
  return htmlPage("Revoke connections", body, {
    status,
    headers: new Headers({ "set-cookie": csrf.setCookie }),
  });
}
