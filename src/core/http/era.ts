// Which protocol era answers a body. The SDK's own classifier decides (isLegacyRequest), except for the
// common case it would settle the same way at a cost: a single request that carries the 2026-07-28 envelope
// claim is never 2025-era, so it goes straight to the modern path, which classifies it once more anyway.
import { isLegacyRequest } from "@modelcontextprotocol/server";

/** The `_meta` key whose presence claims the per-request envelope (the SDK's PROTOCOL_VERSION_META_KEY). */
const ENVELOPE_CLAIM = "io.modelcontextprotocol/protocolVersion";

export async function servedAsLegacy(request: Request, body: unknown): Promise<boolean> {
  if (claimsEnvelope(body)) return false;
  return isLegacyRequest(request, body);
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
