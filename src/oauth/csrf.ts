// Double-submit CSRF protection for the sign-in forms: a random value in a SameSite=Strict, __Host- cookie and
// the same value in a hidden field. Another site can make a browser post a form here, but it can neither
// read the value nor make the browser send a Strict cookie along, so a forged post fails this check before
// anything is sent to Cloudflare. The consent form is also bound to its authorization request by the
// provider's one-time handle; this check comes first and costs nothing.

const COOKIE = "__Host-ssl-mcp-csrf";
const VALUE = /^[A-Za-z0-9_-]{43}$/;
const MAX_AGE_SECONDS = 3600;

export interface CsrfValue {
  /** Goes into the form's hidden `csrf` field. */
  value: string;
  /** Goes out with the page, refreshing the cookie's lifetime. */
  setCookie: string;
}

/** The value for a page's forms: the browser's current one if it has one (so two tabs agree), else new. */
export function csrfFor(request: Request): CsrfValue {
  const existing = readCookie(request, COOKIE);
  const value = existing !== undefined && VALUE.test(existing) ? existing : randomValue();
  return {
    value,
    setCookie: `${COOKIE}=${value}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=${MAX_AGE_SECONDS}`,
  };
}

/** True when the posted value is present and equals the cookie's. */
export function csrfMatches(request: Request, posted: unknown): boolean {
  const cookie = readCookie(request, COOKIE);
  if (typeof posted !== "string" || cookie === undefined || !VALUE.test(cookie)) return false;
  return constantTimeEqual(posted, cookie);
}

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

function randomValue(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
