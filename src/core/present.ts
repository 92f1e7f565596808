// The one place where a failure becomes a tool result: what failed, the HTTP status, Cloudflare's codes and
// messages (quoted: they are data), and the next step a model can take. Secrets are redacted from API text
// before anything is cut, and the whole text passes the redactor on its way out.
import type { CallToolResult } from "@modelcontextprotocol/server";
import { CloudflareApiError, MissingCredentialsError, TransportError } from "../client/errors.js";
import { RateBudgetExhausted } from "../client/rate-limit.js";
import { RouteParameterMissing } from "../client/routes.js";
import { ConfirmationDeclined, ElicitationRequired, UnexpectedAnswer, UsageError } from "../lib/failures.js";
import { quoteApiText } from "../lib/text.js";
import type { ToolSpec } from "../tools/spec.js";
import { ApprovalsCrowded } from "./approval.js";

export type Redact = (text: string) => string;

/** The most characters of Cloudflare's own error text in one result; the rest is counted, not shown. */
export const API_ERRORS_MAX = 4096;

export function toErrorResult(spec: ToolSpec, error: unknown, redact: Redact): CallToolResult {
  return { isError: true, content: [{ type: "text", text: redact(describe(spec, error, redact)) }] };
}

const CHECK_FIRST = "Read the current state before calling again.";

function describe(spec: ToolSpec, error: unknown, redact: Redact): string {
  const tool = spec.name;
  if (error instanceof UsageError) return `${tool}: invalid arguments, nothing was sent. ${error.message}`;
  if (error instanceof RouteParameterMissing) {
    return `${tool}: invalid arguments, nothing was sent. ${error.parameter}: required`;
  }
  if (error instanceof ConfirmationDeclined) {
    return `${tool}: NOT DONE, the user ${error.action === "decline" ? "declined" : "dismissed the request"}. Nothing was changed. Do not retry unless the user asks.`;
  }
  if (error instanceof ApprovalsCrowded) {
    return `${tool}: NOT DONE. This caller has used as many approvals as this server keeps at once; each is kept until it expires (at most 10 minutes). Nothing was changed. Next step: wait a few minutes, then call again.`;
  }
  if (error instanceof ElicitationRequired) {
    return [
      `${tool}: NOT DONE. This server is set to accept confirmation only from the user through MCP elicitation, and this client does not support elicitation. Nothing was changed.`,
      `What would happen: ${error.plan}`,
      "Tell the user to perform this in the Cloudflare dashboard or from a client that supports elicitation.",
    ].join("\n");
  }
  if (error instanceof UnexpectedAnswer) {
    const next =
      spec.effect === "none"
        ? "try again; if it persists, check CLOUDFLARE_BASE_URL points at the Cloudflare API"
        : `the request may have taken effect. ${spec.hints?.ambiguous ?? CHECK_FIRST}`;
    return `${tool}: Cloudflare answered success, but not with the shape this tool expects (${quoteApiText(redact(error.message))}). Next step: ${next}`;
  }
  if (error instanceof MissingCredentialsError) {
    return [
      `${tool}: no Cloudflare credentials are configured, nothing was sent.`,
      `Next step: the user sets CLOUDFLARE_API_TOKEN (an API token with "${spec.permission}" on the zone) in this MCP server's environment, or CLOUDFLARE_EMAIL with CLOUDFLARE_API_KEY, and restarts the server. To try the tools without an account, start the server with --sandbox.`,
    ].join("\n");
  }
  if (error instanceof RateBudgetExhausted) {
    const seconds = Math.ceil(error.waitMs / 1000);
    const why = error.serverFull
      ? "This server's limit, not Cloudflare's: nothing is blocked on the user's account."
      : "Going on sooner only extends the block for the user's whole account.";
    return `${tool}: NOT SENT. ${error.reason}; the next request fits in ${seconds} s, longer than this call may wait.\nNext step: retry after ${new Date(Date.now() + error.waitMs).toISOString()} (in ${seconds} s). ${why}`;
  }
  if (error instanceof CloudflareApiError) {
    return `${tool} failed: HTTP ${error.status}.${apiErrors(error, redact)}\nNext step: ${nextStepForApiError(spec, error)}`;
  }
  if (error instanceof TransportError) {
    return `${tool} failed: ${redact(error.message)}${error.status ? ` (HTTP ${error.status})` : ""}.\nNext step: ${nextStepForTransport(spec, error)}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${tool} failed inside the server: ${quoteApiText(redact(message))}. This is a bug in cloudflare-ssl-mcp; nothing more is known about whether the request reached Cloudflare.`;
}

/** Cloudflare's codes and messages, each quoted, the whole capped with a count of what was left out. */
function apiErrors(error: CloudflareApiError, redact: Redact): string {
  if (error.errors.length === 0) return "";
  const parts: string[] = [];
  let length = 0;
  for (const e of error.errors) {
    const part = `${e.code} ${quoteApiText(redact(e.message))}`;
    if (length + part.length > API_ERRORS_MAX) break;
    parts.push(part);
    length += part.length + 2;
  }
  const left = error.errors.length - parts.length;
  return ` Cloudflare: ${parts.join("; ")}${left ? `; (${left} more errors left out)` : ""}.`;
}

function nextStepForApiError(spec: ToolSpec, error: CloudflareApiError): string {
  const status = error.status;
  if (status === 429 || error.hasCode(971)) {
    const wait = error.retryAfterSeconds ?? 300;
    return `rate limited by Cloudflare; wait ${wait} seconds before any further call (going on extends the block for the user's whole account).`;
  }
  if (error.hasCode(9106)) {
    return "Cloudflare received no credentials: the user sets CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL with CLOUDFLARE_API_KEY) and restarts the server.";
  }
  if (error.hasCode(6003, 6103, 6111)) {
    return "the credentials are malformed: check CLOUDFLARE_API_TOKEN for stray quotes or spaces (an API token is used as Bearer), or that CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY are a Global API key pair.";
  }
  if (error.hasCode(7003, 7000)) {
    return "Cloudflare could not route the zone id: check zone_id (find_zone turns a domain name into its id).";
  }
  if (error.hasCode(1450)) {
    return "this zone has no Advanced Certificate Manager subscription. The user adds it in the dashboard (SSL/TLS > Edge Certificates), or relies on the Universal certificate instead.";
  }
  const specific = error.errors.map((e) => spec.hints?.codes?.[e.code]).find(Boolean);
  if (specific) return specific;
  // After the specific codes: Cloudflare also answers 403 for a missing subscription (1450).
  if (error.hasCode(9109, 10000) || status === 401 || status === 403) {
    return `the token is invalid or expired, or lacks "${spec.permission}" on this zone. The user edits the token in the Cloudflare dashboard (My Profile > API Tokens) to add that permission for the zone, then calls again.`;
  }
  if (status === 404) {
    return spec.hints?.notFound ?? "not found: check zone_id (find_zone turns a domain name into its id).";
  }
  if (status >= 500) {
    if (spec.effect === "none") return "Cloudflare failed after retries; try again in a minute.";
    return `Cloudflare failed, and the change may or may not have been applied. ${spec.hints?.ambiguous ?? CHECK_FIRST}`;
  }
  return "Cloudflare rejected the request as sent: fix what its message names and call again. Do not repeat it unchanged.";
}

function nextStepForTransport(spec: ToolSpec, error: TransportError): string {
  if (error.mayHaveTakenEffect) {
    return `the request may have reached Cloudflare and taken effect; it was not sent again. ${spec.hints?.ambiguous ?? CHECK_FIRST}`;
  }
  switch (error.failure) {
    case "cancelled":
      return "none; the call was cancelled before anything changed.";
    case "too_large":
      return spec.hints?.tooLarge ?? "the answer is too large to read; narrow the request.";
    case "invalid_body":
    case "redirected":
      return "Cloudflare (or a proxy in between) answered with something other than its API; try again in a minute, and check CLOUDFLARE_BASE_URL if it persists.";
    default:
      return "Cloudflare could not be reached after retries; try again in a minute, and check the network or CLOUDFLARE_BASE_URL if it persists.";
  }
}
