// Secrets must never leave the process. A secret can come back from Cloudflare, or from a proxy in between, in
// many disguises (see secret-forms.ts): upper-cased, wrapped across the lines of an HTML page, escaped, as hex,
// or inside base64 (an echoed `Authorization: Bearer …` or Basic `email:key`, at any byte offset). The text is
// searched twice: once with its whitespace taken out, once with its JSON-escaped whitespace taken out as well;
// every match, overlapping ones included, is cut from the original text.
import { type SecretPattern, secretForms, WHITESPACE, WHITESPACE_OR_ESCAPED } from "./secret-forms.js";

/** What stands where a secret was. */
export const REDACTED = "[redacted]";

/** Shorter strings are too common to redact without mangling ordinary text. */
export const MIN_SECRET_LENGTH = 4;

export interface Redactor {
  /** `s` with every recognised form of every secret replaced by `[redacted]`. */
  text(s: string): string;
  /**
   * A new JSON-like value with every string, object keys included, redacted. Only own enumerable keys are
   * copied, each as an own data property (`__proto__` included), so nothing is inherited or lost.
   */
  value<T>(v: T): T;
}

/** The credentials the server may hold: an API token, or a Global API key with its account email. */
export type SecretCredentials = { token: string } | { email: string; key: string };

/** The strings a redactor must hide for these credentials; `email:key` covers the Basic-style pair. */
export function secretsOf(credentials: SecretCredentials | undefined): string[] {
  if (!credentials) return [];
  if ("token" in credentials) return [credentials.token];
  return [credentials.key, credentials.email, `${credentials.email}:${credentials.key}`];
}

export function redactorFor(credentials?: SecretCredentials): Redactor {
  return createRedactor(secretsOf(credentials));
}

export function createRedactor(secrets: readonly string[]): Redactor {
  // Whitespace inside a secret is matched loosely, so only its other characters make it distinctive.
  const unique = new Set(
    secrets.filter((s) => typeof s === "string" && s.replace(WHITESPACE, "").length >= MIN_SECRET_LENGTH),
  );
  const forms = [...unique].map(secretForms);
  const plain = forms.flatMap((f) => f.plain);
  const unescaped = forms.flatMap((f) => f.unescaped);
  const text = (s: string): string => (plain.length === 0 ? s : cut(s, plain, unescaped));
  return { text, value: <T>(v: T): T => redactValue(v, text, new Set()) as T };
}

function cut(s: string, plain: readonly SecretPattern[], unescaped: readonly SecretPattern[]): string {
  const spans: Array<[number, number]> = [];
  find(squeezed(s, WHITESPACE), plain, s, spans);
  // Escaped whitespace needs a backslash; without one that second view would be the first one again.
  if (s.includes("\\")) find(squeezed(s, WHITESPACE_OR_ESCAPED), unescaped, s, spans);
  if (spans.length === 0) return s;
  spans.sort((a, b) => a[0] - b[0]);
  let out = "";
  let copied = 0;
  for (let index = 0; index < spans.length; ) {
    const [start, firstEnd] = spans[index] as [number, number];
    let end = firstEnd;
    for (index++; index < spans.length && (spans[index] as [number, number])[0] <= end; index++) {
      end = Math.max(end, (spans[index] as [number, number])[1]);
    }
    out += s.slice(copied, start) + REDACTED;
    copied = end;
  }
  return out + s.slice(copied);
}

/** The text with some characters taken out, and where each remaining character stood in the original. */
interface View {
  text: string;
  original(index: number): number;
}

function squeezed(s: string, gaps: RegExp): View {
  const text = s.replace(gaps, "");
  if (text.length === s.length) return { text: s, original: (index) => index };
  // Most texts hold no secret: where each character came from is worked out only for a text that does.
  let segments: { starts: number[]; origins: number[] } | undefined;
  return {
    text,
    original(index) {
      segments ??= segmentsOf(s, gaps);
      const { starts, origins } = segments;
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if ((starts[middle] as number) <= index) low = middle;
        else high = middle - 1;
      }
      return (origins[low] as number) + index - (starts[low] as number);
    },
  };
}

/** The runs of `s` kept between gaps: where each starts in the squeezed text and in `s`. */
function segmentsOf(s: string, gaps: RegExp): { starts: number[]; origins: number[] } {
  const starts: number[] = [];
  const origins: number[] = [];
  let length = 0;
  let copied = 0;
  const keep = (upTo: number) => {
    if (upTo <= copied) return;
    starts.push(length);
    origins.push(copied);
    length += upTo - copied;
  };
  gaps.lastIndex = 0;
  for (let m = gaps.exec(s); m !== null; m = gaps.exec(s)) {
    keep(m.index);
    copied = m.index + m[0].length;
  }
  keep(s.length);
  return { starts, origins };
}

function find(
  view: View,
  patterns: readonly SecretPattern[],
  s: string,
  spans: Array<[number, number]>,
): void {
  for (const { regex, widen, before, after } of patterns) {
    regex.lastIndex = 0;
    for (let m = regex.exec(view.text); m !== null; m = regex.exec(view.text)) {
      let from = view.original(m.index);
      let to = view.original(m.index + m[0].length - 1) + 1;
      if (widen) {
        if (BASE64_CHAR.test(s.charAt(from - 1))) from--;
        if (BASE64_CHAR.test(s.charAt(to))) to++;
        while (s.charAt(to) === "=") to++;
      }
      if (before && s.charAt(from - 1).toLowerCase() === before.toLowerCase()) from--;
      // Up to 3 levels of JSON escaping double each backslash 3 times.
      for (let left = (after ?? 0) * 8; left > 0 && s.charAt(to) === "\\"; left--) to++;
      spans.push([from, to]);
      // Restart just past this match's start, so overlapping occurrences are found as well.
      regex.lastIndex = m.index + 1;
    }
  }
}

const BASE64_CHAR = /[A-Za-z0-9+/_-]/;

function redactValue(value: unknown, text: (s: string) => string, path: Set<object>): unknown {
  if (typeof value === "string") return text(value);
  if (value === null || typeof value !== "object") return value;
  // JSON-like values have no cycles; a cycle is cut rather than followed forever.
  if (path.has(value)) return REDACTED;
  path.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, text, path));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      let name = text(key);
      // Two keys that both redact to the same name must not overwrite each other.
      for (let n = 2; Object.hasOwn(out, name); n++) name = `${text(key)}#${n}`;
      Object.defineProperty(out, name, {
        value: redactValue((value as Record<string, unknown>)[key], text, path),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  } finally {
    path.delete(value);
  }
}
