// A request body, read once and bounded before anything costly: its size while it streams in, then its
// nesting depth and element count by a scan of the text that builds nothing, and only then JSON.parse. A
// body of 149,000 empty objects is refused by the scan, not parsed into 149,000 objects first.
export const MAX_BODY_BYTES = 1024 * 1024;
/** Deeper than any tool's arguments nest (the deepest is under 10 levels with the JSON-RPC envelope). */
export const MAX_DEPTH = 32;
/** Values of every array and object together; a tool call carries a few dozen, a long host list a few hundred. */
export const MAX_ELEMENTS = 10_000;
/** What `_meta` may hold, serialised: the 2026-07-28 envelope and a progress token take under 2 KiB. */
export const MAX_META_BYTES = 16 * 1024;

export type Body =
  | { kind: "ok"; json: unknown }
  | { kind: "too_large" }
  | { kind: "malformed" }
  | { kind: "too_complex"; problem: string };

export async function readBody(request: Request): Promise<Body> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return { kind: "too_large" };
  if (!request.body) return { kind: "malformed" };
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      return { kind: "too_large" };
    }
    text += decoder.decode(value, { stream: true });
  }
  text += decoder.decode();
  const problem = structureProblem(text);
  if (problem) return { kind: "too_complex", problem };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "malformed" };
  }
  const metaProblem = oversizedMeta(json);
  return metaProblem ? { kind: "too_complex", problem: metaProblem } : { kind: "ok", json };
}

/** Depth and element count of JSON text, strings skipped; a malformed text is left to JSON.parse to refuse. */
export function structureProblem(text: string): string | undefined {
  let depth = 0;
  let elements = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_DEPTH) return `the body nests deeper than ${MAX_DEPTH} levels`;
      if (++elements > MAX_ELEMENTS) return `the body holds more than ${MAX_ELEMENTS} values`;
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c && ++elements > MAX_ELEMENTS)
      return `the body holds more than ${MAX_ELEMENTS} values`;
  }
  return undefined;
}

function oversizedMeta(json: unknown): string | undefined {
  for (const message of Array.isArray(json) ? json : [json]) {
    const meta = (message as { params?: { _meta?: unknown } } | null)?.params?._meta;
    if (meta !== undefined && new TextEncoder().encode(JSON.stringify(meta)).byteLength > MAX_META_BYTES)
      return `params._meta is over ${MAX_META_BYTES} bytes`;
  }
  return undefined;
}
