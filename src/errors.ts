// The one place where a failure becomes a tool result: what failed, the HTTP status, Cloudflare's codes and
// messages, and the next step a model can take. Every text passes the redactor on its way out.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { CloudflareApiError, MissingCredentialsError, TransportError } from "./client/errors.js";
import type { ToolSpec } from "./tools/spec.js";

/** Arguments a model can fix: the text names the field and the fix. Nothing was sent. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Cloudflare answered success with a result this tool cannot vouch for; returning it would break the schema. */
export class UnexpectedAnswer extends Error {
  override name = "UnexpectedAnswer";
}

/** A destructive call without approval: nothing was sent; the plan says what would happen. */
export class ConfirmationRequired extends Error {
  override name = "ConfirmationRequired";
  constructor(readonly plan: string) {
    super(plan);
  }
}

/** The user said no (or dismissed the question) through elicitation. */
export class ConfirmationDeclined extends Error {
  override name = "ConfirmationDeclined";
  constructor(
    readonly plan: string,
    readonly action: "decline" | "cancel",
  ) {
    super(plan);
  }
}

/** The operator accepts only elicitation, and this client cannot elicit. */
export class ElicitationRequired extends Error {
  override name = "ElicitationRequired";
  constructor(readonly plan: string) {
    super(plan);
  }
}

export type Redact = (text: string) => string;

export function toErrorResult(spec: ToolSpec, error: unknown, redact: Redact): CallToolResult {
  return { isError: true, content: [{ type: "text", text: redact(describe(spec, error)) }] };
}

function describe(spec: ToolSpec, error: unknown): string {
  const tool = spec.name;
  if (error instanceof UsageError) {
    return `${tool}: invalid arguments, nothing was sent. ${error.message}`;
  }
  if (error instanceof ConfirmationRequired) {
    return [
      `${tool}: NOT DONE, confirmation required. Nothing was changed.`,
      `What would happen: ${error.plan}`,
      "Show this to the user. Only if they approve, call again with the same arguments and confirm: true.",
    ].join("\n");
  }
  if (error instanceof ConfirmationDeclined) {
    return `${tool}: NOT DONE, the user ${error.action === "decline" ? "declined" : "dismissed the request"}. Nothing was changed. Do not retry unless the user asks.`;
  }
  if (error instanceof ElicitationRequired) {
    return [
      `${tool}: NOT DONE. This server is set to accept confirmation only from the user through MCP elicitation, and this client does not support elicitation. Nothing was changed.`,
      `What would happen: ${error.plan}`,
      "Tell the user to perform this in the Cloudflare dashboard or from a client that supports elicitation.",
    ].join("\n");
  }
  if (error instanceof UnexpectedAnswer) {
    return `${tool}: Cloudflare answered success, but not with the shape this tool expects (${error.message}). Next step: ${spec.route.startsWith("GET") ? "try again; if it persists, check CLOUDFLARE_BASE_URL points at the Cloudflare API" : `the request may have taken effect. ${spec.ambiguousFailureHint ?? "Read the current state before calling again."}`}`;
  }
  if (error instanceof MissingCredentialsError) {
    return [
      `${tool}: no Cloudflare credentials are configured, nothing was sent.`,
      `Next step: the user sets CLOUDFLARE_API_TOKEN (an API token with "${spec.permission}" on the zone) in this MCP server's environment, or CLOUDFLARE_EMAIL with CLOUDFLARE_API_KEY, and restarts the server. To try the tools without an account, start the server with --sandbox.`,
    ].join("\n");
  }
  if (error instanceof CloudflareApiError) {
    const codes = error.errors.length
      ? ` Cloudflare: ${error.errors.map((e) => `${e.code} ${e.message}`).join("; ")}.`
      : "";
    return `${tool} failed: HTTP ${error.status}.${codes}\nNext step: ${nextStepForApiError(spec, error)}`;
  }
  if (error instanceof TransportError) {
    return `${tool} failed: ${error.message}${error.status ? ` (HTTP ${error.status})` : ""}.\nNext step: ${nextStepForTransport(spec, error)}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${tool} failed inside the server: ${message}. This is a bug in cloudflare-ssl-mcp; nothing more is known about whether the request reached Cloudflare.`;
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
  if (error.hasCode(1008)) {
    return "value must be auto or custom.";
  }
  // After the specific codes: Cloudflare also answers 403 for a missing subscription (1450).
  if (error.hasCode(9109, 10000) || status === 401 || status === 403) {
    return `the token is invalid or expired, or lacks "${spec.permission}" on this zone. The user edits the token in the Cloudflare dashboard (My Profile > API Tokens) to add that permission for the zone, then calls again.`;
  }
  if (status === 404) {
    return "not found: check zone_id, and the pack id with list_certificate_packs (status: all).";
  }
  if (status >= 500) {
    if (spec.route.startsWith("GET")) return "Cloudflare failed after retries; try again in a minute.";
    return `Cloudflare failed, and the change may or may not have been applied. ${spec.ambiguousFailureHint ?? "Read the current state before calling again."}`;
  }
  return "Cloudflare rejected the request as sent: fix what its message names and call again. Do not repeat it unchanged.";
}

function nextStepForTransport(spec: ToolSpec, error: TransportError): string {
  if (error.mayHaveTakenEffect) {
    return `the request may have reached Cloudflare and taken effect; it was not sent again. ${spec.ambiguousFailureHint ?? "Read the current state before calling again."}`;
  }
  switch (error.failure) {
    case "cancelled":
      return "none; the call was cancelled before anything changed.";
    case "too_large":
      return "narrow the request (smaller per_page, or one pack with get_certificate_pack).";
    case "invalid_body":
      return "Cloudflare (or a proxy in between) answered with something other than its API; try again in a minute, and check CLOUDFLARE_BASE_URL if it persists.";
    default:
      return "Cloudflare could not be reached after retries; try again in a minute, and check the network or CLOUDFLARE_BASE_URL if it persists.";
  }
}
