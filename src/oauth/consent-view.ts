// The markup of the consent step: the form that asks for a Cloudflare token, and the summary shown once
// Cloudflare accepted it. Every value that came from the client or the user is escaped; the token itself
// never appears in either page.
import type { ConsentDescription } from "@cloudflare/workers-oauth-provider";
import { NAME } from "../version.js";
import type { ZoneReach } from "./cloudflare-token.js";
import { escapeHtml } from "./html.js";

const TOKENS_PAGE = "https://dash.cloudflare.com/profile/api-tokens";
const MAX_ZONES_SHOWN = 50;

export interface ConsentForm {
  handle: string;
  csrf: string;
  /** What the user entered before, shown again after a refusal (never the token). */
  accountId?: string;
  readOnly: boolean;
  /** Why the last submission was refused, in plain text. */
  error?: string;
}

function whoAsks(details: ConsentDescription): string {
  const name = `<strong>${escapeHtml(details.clientName)}</strong>`;
  const origin = details.clientDomain
    ? `${name}, published by <strong>${escapeHtml(details.clientDomain)}</strong>,`
    : `${name} (the app named itself; the name is not verified)`;
  const loopback = details.redirectIsLoopback
    ? `<p class="warn">Access goes to an app on your own computer (${escapeHtml(details.redirectHost)}). Continue only if you just started connecting from it.</p>`
    : "";
  return `<p>${origin} asks to use ${NAME} with your Cloudflare account. Access will be sent to <strong>${escapeHtml(details.redirectHost)}</strong>.</p>\n${loopback}`;
}

export function consentBody(details: ConsentDescription, form: ConsentForm): string {
  const error = form.error ? `<p class="error" role="alert">${escapeHtml(form.error)}</p>` : "";
  const checked = (readOnly: boolean) => (form.readOnly === readOnly ? " checked" : "");
  return `<h1>Connect ${escapeHtml(details.clientName)}</h1>
${whoAsks(details)}
${error}
<h2>Your Cloudflare API token</h2>
<p>Create one at <a href="${TOKENS_PAGE}">${TOKENS_PAGE}</a> (Create Token, Custom token) with these permissions, for the zones you want to manage:</p>
<ul>
<li><strong>Zone · SSL and Certificates · Read</strong>: every tool.</li>
<li><strong>Zone · SSL and Certificates · Edit</strong>: only to make changes (order, restart validation, delete, Universal SSL, Automatic SSL/TLS, certificate priority).</li>
<li><strong>Zone · Zone · Read</strong>: to find zones by name (<code>find_zone</code>) and to list them below.</li>
</ul>
<p class="note">Leave Client IP Address Filtering empty: this server runs on Cloudflare Workers, which do not call out from fixed addresses. Cloudflare checks the token before anything is stored; it is then kept only inside this connection, encrypted so that only the app's own tokens can unlock it, and is never shown again.</p>
<form method="post">
<input type="hidden" name="handle" value="${escapeHtml(form.handle)}">
<input type="hidden" name="csrf" value="${escapeHtml(form.csrf)}">
<label for="cloudflare_token">API token</label>
<input type="password" id="cloudflare_token" name="cloudflare_token" required autocomplete="off" spellcheck="false">
<label for="account_id">Account id (only for an account-owned token; left empty, it is looked for)</label>
<input type="text" id="account_id" name="account_id" value="${escapeHtml(form.accountId ?? "")}" pattern="[0-9a-f]{32}" autocomplete="off" spellcheck="false">
<h2>What the app may do</h2>
<p class="note">Cloudflare does not tell a token which permissions it holds, so choose here. With read only, the tools that change anything are not offered at all.</p>
<label><input type="radio" name="access" value="read-only"${checked(true)}> Read only: list and inspect certificates, validation and settings.</label>
<label><input type="radio" name="access" value="read-write"${checked(false)}> Read and change: also the tools that change things (needs SSL and Certificates: Edit). Each destructive change still asks you first.</label>
<button type="submit" name="decision" value="approve">Check the token and continue</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</form>`;
}

export interface ConnectedSummary {
  clientName: string;
  redirectHost: string;
  /** Where the user continues to: the client's redirect URI with the authorization code. */
  continueTo: string;
  tokenId: string;
  accountId?: string;
  zones: ZoneReach;
  readOnly: boolean;
  tools: readonly string[];
  revokePage: string;
}

function zonesPart(zones: ZoneReach): string {
  if (zones.kind === "failed") {
    return `<p class="warn">${escapeHtml(zones.reason)} Without Zone: Read, <code>find_zone</code> cannot look zones up by name; the other tools still work with a zone id.</p>`;
  }
  if (zones.names.length === 0) {
    return `<p class="warn">The token lists no zones. Check its Zone Resources (and Zone: Read) before you continue.</p>`;
  }
  const shown = zones.names.slice(0, MAX_ZONES_SHOWN).map((name) => `<li>${escapeHtml(name)}</li>`);
  const more = zones.total > shown.length ? `<li>and ${zones.total - shown.length} more</li>` : "";
  return `<p>It reaches ${zones.total === 1 ? "this zone" : `these ${zones.total} zones`}:</p>\n<ul>${shown.join("")}${more}</ul>`;
}

export function connectedBody(summary: ConnectedSummary): string {
  const account = summary.accountId ? `, owned by account <code>${escapeHtml(summary.accountId)}</code>` : "";
  const access = summary.readOnly
    ? "Read only: the tools that change anything are not offered."
    : "Read and change. Each destructive change still asks you first, with what it will do.";
  const tools = summary.tools.map((name) => `<code>${escapeHtml(name)}</code>`).join(", ");
  return `<h1>Cloudflare accepted the token</h1>
<p>Token <code>${escapeHtml(summary.tokenId)}</code>${account} is active.</p>
${zonesPart(summary.zones)}
<h2>What ${escapeHtml(summary.clientName)} may do</h2>
<p>${access}</p>
<p class="note">Tools: ${tools}.</p>
<p><a class="button" href="${escapeHtml(summary.continueTo)}">Continue to ${escapeHtml(summary.redirectHost)}</a></p>
<p class="note">Not what you expected? Close this page: the connection is made only when you continue, and this sign-in lapses in 10 minutes. To disconnect later, revoke it at <a href="${escapeHtml(summary.revokePage)}">${escapeHtml(summary.revokePage)}</a>, or delete the token at Cloudflare (the connection then ends within minutes).</p>`;
}
