// What Cloudflare says about a token a user hands the sign-in: whether it verifies (as a user token, or as an
// account-owned token, whose verify endpoint sits under its account), and which zones it reaches. Nothing
// returned here carries the token: reasons name Cloudflare's error codes only.

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
  if (accountId === undefined) return verifyAt(apiBase, token, "/user/tokens/verify");
  if (!isAccountId(accountId)) {
    return Promise.resolve({
      kind: "refused",
      reason: "The account id must be 32 hexadecimal characters (0-9, a-f).",
    });
  }
  return verifyAt(apiBase, token, `/accounts/${accountId}/tokens/verify`, accountId);
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
  path: string,
  accountId?: string,
): Promise<Verification> {
  const answer = await get(apiBase, path, token);
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
  const answer = await get(apiBase, `/accounts?per_page=${MAX_ACCOUNTS_TRIED}`, token);
  if (!answer?.success || !Array.isArray(answer.result)) return [];
  return answer.result
    .map((account: { id?: unknown }) => account?.id)
    .filter((id): id is string => typeof id === "string" && isAccountId(id))
    .slice(0, MAX_ACCOUNTS_TRIED);
}

/** The zones the token can see, first page only: enough for the user to recognise what they connect. */
export async function zonesReached(apiBase: string, token: string): Promise<ZoneReach> {
  const answer = await get(apiBase, "/zones?per_page=50", token);
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

/** A GET with the token; `undefined` when no HTTP answer came back. The global fetch is looked up per call. */
async function get(apiBase: string, path: string, token: string): Promise<Answer | undefined> {
  let response: Response;
  try {
    response = await fetch(`${apiBase}${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return undefined;
  }
  let body: { success?: unknown; result?: unknown; errors?: unknown; result_info?: unknown } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not the v4 envelope (an HTML error page, say): the status alone decides.
  }
  const codes = Array.isArray(body.errors)
    ? body.errors.map((error: { code?: unknown }) => error?.code).filter((code) => typeof code === "number")
    : [];
  return {
    status: response.status,
    success: body.success === true,
    result: body.result ?? null,
    codes: codes as number[],
    info: body.result_info,
  };
}
