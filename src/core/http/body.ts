// A request body, read once and bounded before anything costly: its size, nesting depth and element count
// while it streams in (a scan of the text that builds nothing), and only then JSON.parse. A body of 149,000
// empty objects is refused after its first 10,000, neither read to the end nor parsed.
import type { Inbound } from "./inbound.js";

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

export async function readBody(request: Inbound): Promise<Body> {
  const declared = Number(request.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return { kind: "too_large" };
  const reader = request.body();
  if (!reader) return { kind: "malformed" };
  const decoder = new TextDecoder();
  const scan = new StructureScan();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done || !value) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      return { kind: "too_large" };
    }
    const chunk = decoder.decode(value, { stream: true });
    const problem = scan.feed(chunk);
    if (problem) {
      await reader.cancel().catch(() => {});
      return { kind: "too_complex", problem };
    }
    text += chunk;
  }
  text += decoder.decode();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "malformed" };
  }
  const metaProblem = oversizedMeta(json);
  return metaProblem ? { kind: "too_complex", problem: metaProblem } : { kind: "ok", json };
}

/** Depth and element count of JSON text fed in pieces, strings skipped; malformed text is JSON.parse's to refuse. */
export class StructureScan {
  private depth = 0;
  private elements = 0;
  private inString = false;
  private escaped = false;

  feed(text: string): string | undefined {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (++this.depth > MAX_DEPTH) return `the body nests deeper than ${MAX_DEPTH} levels`;
        if (++this.elements > MAX_ELEMENTS) return `the body holds more than ${MAX_ELEMENTS} values`;
      } else if (c === 0x7d || c === 0x5d) this.depth--;
      else if (c === 0x2c && ++this.elements > MAX_ELEMENTS)
        return `the body holds more than ${MAX_ELEMENTS} values`;
    }
    return undefined;
  }
}

function oversizedMeta(json: unknown): string | undefined {
  for (const message of Array.isArray(json) ? json : [json]) {
    const meta = (message as { params?: { _meta?: unknown } } | null)?.params?._meta;
    if (meta !== undefined && new TextEncoder().encode(JSON.stringify(meta)).byteLength > MAX_META_BYTES)
      return `params._meta is over ${MAX_META_BYTES} bytes`;
  }
  return undefined;
}
