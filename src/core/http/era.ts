// Which protocol era answers a body. The SDK's own classifier decides (isLegacyRequest), except for the two
// common cases it would settle the same way at a cost (it checks the body against zod schemas): a single
// request that carries the 2026-07-28 envelope claim is never 2025-era, and goes to the modern path, which
// classifies it once more anyway; a plain single request with no `_meta` and no modern protocol header is
// always 2025-era. test/http-era.test.ts holds both to the SDK's verdict.
import { isLegacyRequest } from "@modelcontextprotocol/server";

/** The `_meta` key whose presence claims the per-request envelope (the SDK's PROTOCOL_VERSION_META_KEY). */
const ENVELOPE_CLAIM = "io.modelcontextprotocol/protocolVersion";
/** The first revision of the modern era; revisions compare as dates. */
const FIRST_MODERN_REVISION = "2026-07-28";
const REQUEST_KEYS = new Set(["jsonrpc", "id", "method", "params"]);

export async function servedAsLegacy(request: Request, body: unknown): Promise<boolean> {
  return servedAsLegacyBy(request.headers.get("mcp-protocol-version"), body, () => request);
}

/** The same verdict, with the web Request the SDK's classifier reads built only when it is asked. */
export async function servedAsLegacyBy(
  revisionHeader: string | null,
  body: unknown,
  request: () => Request,
): Promise<boolean> {
  if (claimsEnvelope(body)) return false;
  if (plainLegacyRequest(body, revisionHeader)) return true;
  return isLegacyRequest(request(), body);
}

/**
 * A JSON-RPC request of exactly the shape the SDK's strict schema accepts, params (if any) without `_meta`,
 * and a protocol header that is absent or names a revision before the modern era.
 */
export function plainLegacyRequest(body: unknown, revisionHeader: string | null): boolean {
  if (revisionHeader !== null && revisionHeader.trim() >= FIRST_MODERN_REVISION) return false;
  if (!isPlainObject(body) || Array.isArray(body)) return false;
  for (const key of Object.keys(body)) if (!REQUEST_KEYS.has(key)) return false;
  if (body.jsonrpc !== "2.0" || typeof body.method !== "string") return false;
  if (typeof body.id !== "string" && !Number.isSafeInteger(body.id)) return false;
  if (!("params" in body)) return true;
  return isPlainObject(body.params) && !("_meta" in body.params);
}

/**
 * A JSON-RPC request (not initialize, not a response, not a batch) whose params._meta holds the claim key:
 * whatever else is wrong with it, the modern path owns the answer.
 */
export function claimsEnvelope(body: unknown): boolean {
  if (!isPlainObject(body) || Array.isArray(body)) return false;
  if ("result" in body || "error" in body) return false;
  if (body.jsonrpc !== "2.0" || typeof body.method !== "string" || body.method === "initialize") return false;
  if (typeof body.id !== "string" && typeof body.id !== "number") return false;
  const params = body.params;
  if (!isPlainObject(params)) return false;
  const meta = params._meta;
  return isPlainObject(meta) && ENVELOPE_CLAIM in meta;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
