// What Cloudflare says about a token a user hands the sign-in: whether it verifies (as a user token, or as an
// account-owned token, whose verify endpoint sits under its account), and which zones it reaches. Nothing
// returned here carries the token: reasons name Cloudflare's error codes only. The calls go through the one
// API client (its sender, deadline and redaction), to endpoints of the one endpoint table.
import { CloudflareClient } from "../client/cloudflare.js";
import type { EndpointName } from "../client/endpoints.js";
import { CloudflareApiError, TransportError } from "../client/errors.js";
import { expandEndpoint } from "../client/routes.js";
import { fetchSender } from "../client/send-fetch.js";
import { redactorFor } from "../core/redact.js";
import { NAME, VERSION } from "../version.js";

const TIMEOUT_MS = 10_000;
const ACCOUNT_ID = /^[0-9a-f]{32}$/;
/** How many of the token's accounts detection tries before asking the user for the account id. */
const MAX_ACCOUNTS_TRIED = 5;

export interface VerifiedToken {
  /** Cloudflare's id of the token (not a secret); the sign-in's user id. */
  tokenId: string;
  /** Set for an account-owned token: its verify endpoint lives under this account. */
  accountId?: string;
  /** When Cloudflare stops accepting the token, if it expires (ISO 8601). */
  expiresOn?: string;
}

export type Verification =
  | { kind: "active"; token: VerifiedToken }
  /** Cloudflare answered and does not accept the token: it is wrong, expired, disabled or deleted. */
  | { kind: "refused"; reason: string }
  /** No answer to go by (network, rate limit, an outage): neither accept nor condemn the token. */
  | { kind: "unavailable"; reason: string };

export type ZoneReach =
  | { kind: "listed"; names: string[]; total: number }
  | { kind: "failed"; reason: string };

interface Answer {
  status: number;
  success: boolean;
  result: unknown;
  codes: number[];
  /** The envelope's `result_info` (paging), when present. */
  info: unknown;
}

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** Verifies a token whose kind is known: a user token, or an account-owned token of `accountId`. */
export function verifyToken(apiBase: string, token: string, accountId?: string): Promise<Verification> {
  if (accountId === undefined) return verifyAt(apiBase, token, "verifyUserToken");
  if (!isAccountId(accountId)) {
    return Promise.resolve({
      kind: "refused",
      reason: "The account id must be 32 hexadecimal characters (0-9, a-f).",
    });
  }
  return verifyAt(apiBase, token, "verifyAccountToken", accountId);
}

/**
 * Verifies a token a user just handed over. Given an account id, as that account's token; without, as a
 * user token first, then as an account-owned token of each account the token can list (a guess that needs
 * nothing from the user and fails quietly when the token cannot list accounts).
 */
export async function identifyToken(
  apiBase: string,
  token: string,
  accountId?: string,
): Promise<Verification> {
  if (accountId !== undefined) return verifyToken(apiBase, token, accountId);
  const asUser = await verifyToken(apiBase, token);
  if (asUser.kind !== "refused") return asUser;
  for (const candidate of await accountsOf(apiBase, token)) {
    const asAccount = await verifyToken(apiBase, token, candidate);
    if (asAccount.kind === "active") return asAccount;
  }
  return asUser;
}

async function verifyAt(
  apiBase: string,
  token: string,
  endpoint: "verifyUserToken" | "verifyAccountToken",
  accountId?: string,
): Promise<Verification> {
  const answer = await get(apiBase, token, endpoint, { account_id: accountId });
  if (answer === undefined) return { kind: "unavailable", reason: "Cloudflare could not be reached." };
  if (answer.status === 429 || answer.status >= 500) {
    return { kind: "unavailable", reason: `Cloudflare answered HTTP ${answer.status}; try again shortly.` };
  }
  const result = answer.result as { id?: unknown; status?: unknown; expires_on?: unknown } | null;
  if (answer.status === 200 && answer.success && typeof result?.id === "string") {
    if (result.status !== "active") {
      return { kind: "refused", reason: `Cloudflare says this token is ${String(result.status)}.` };
    }
    const verified: VerifiedToken = { tokenId: result.id };
    if (accountId !== undefined) verified.accountId = accountId;
    if (typeof result.expires_on === "string") verified.expiresOn = result.expires_on;
    return { kind: "active", token: verified };
  }
  return { kind: "refused", reason: `Cloudflare did not accept this token (${describe(answer)}).` };
}

async function accountsOf(apiBase: string, token: string): Promise<string[]> {
  const answer = await get(apiBase, token, "listAccounts", {}, { per_page: MAX_ACCOUNTS_TRIED });
  if (!answer?.success || !Array.isArray(answer.result)) return [];
  return answer.result
    .map((account: { id?: unknown }) => account?.id)
    .filter((id): id is string => typeof id === "string" && isAccountId(id))
    .slice(0, MAX_ACCOUNTS_TRIED);
}

/** The zones the token can see, first page only: enough for the user to recognise what they connect. */
export async function zonesReached(apiBase: string, token: string): Promise<ZoneReach> {
  const answer = await get(apiBase, token, "listZones", {}, { per_page: 50 });
  if (answer === undefined) return { kind: "failed", reason: "Cloudflare could not be reached." };
  if (!answer.success || !Array.isArray(answer.result)) {
    return { kind: "failed", reason: `Cloudflare did not list zones (${describe(answer)}).` };
  }
  const names = answer.result
    .map((zone: { name?: unknown }) => zone?.name)
    .filter((name): name is string => typeof name === "string");
  return { kind: "listed", names, total: Math.max(names.length, totalCount(answer) ?? 0) };
}

function totalCount(answer: Answer): number | undefined {
  const info = answer.info as { total_count?: unknown } | undefined;
  return typeof info?.total_count === "number" ? info.total_count : undefined;
}

function describe(answer: Answer): string {
  const codes = answer.codes.length > 0 ? `, error ${answer.codes.join(", ")}` : "";
  return `HTTP ${answer.status}${codes}`;
}

/**
 * A GET with the token; `undefined` when no HTTP answer came back. One attempt only: the person at the sign-in
 * page gets an answer at once and may try again. The global fetch is looked up per call.
 */
async function get(
  apiBase: string,
  token: string,
  endpoint: EndpointName,
  params: Record<string, string | undefined>,
  query?: Record<string, number>,
): Promise<Answer | undefined> {
  const client = new CloudflareClient({
    baseUrl: apiBase,
    credentials: { token },
    send: fetchSender((input, init) => fetch(input, init)),
    timeoutMs: TIMEOUT_MS,
    userAgent: `${NAME}/${VERSION}`,
    maxAttempts: 1,
    redact: redactorFor({ token }).text,
  });
  const { method, path } = expandEndpoint(endpoint, params);
  try {
    const response = await client.request({ method, path, query, effect: "none" });
    return {
      status: response.status,
      success: true,
      result: response.result ?? null,
      codes: [],
      info: response.resultInfo,
    };
  } catch (error) {
    const codes = (messages: { code: number }[]) => messages.map((m) => m.code).filter((code) => code !== 0);
    if (error instanceof CloudflareApiError) {
      return {
        status: error.status,
        success: false,
        result: null,
        codes: codes(error.errors),
        info: undefined,
      };
    }
    if (!(error instanceof TransportError)) throw error;
    // An answer that is not the v4 envelope (an HTML error page, a redirect): its status alone decides.
    if (error.status === undefined) return undefined;
    return { status: error.status, success: false, result: null, codes: [], info: undefined };
  }
}
