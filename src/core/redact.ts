// Secrets must never leave the process. A secret can come back from Cloudflare, or from a proxy in between, in
// many disguises (see secret-forms.ts): upper-cased, wrapped across the lines of an HTML page, escaped, as hex,
// or inside base64 (an echoed `Authorization: Bearer …` or Basic `email:key`, at any byte offset). The text is
// searched in several views (see views.ts): without whitespace, and with JSON escapes decoded level by level;
// every match in any view, overlapping ones included, is cut from the original text.

import { type SecretPattern, secretForms } from "./secret-forms.js";
import { jsonDecoded, plainView, type View, withoutWhitespace } from "./views.js";

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
    secrets.filter(
      (s) => typeof s === "string" && withoutWhitespace(plainView(s)).text.length >= MIN_SECRET_LENGTH,
    ),
  );
  const patterns = [...unique].flatMap(secretForms);
  const text = (s: string): string => (patterns.length === 0 ? s : cut(s, patterns));
  return { text, value: <T>(v: T): T => redactValue(v, text, new Set()) as T };
}

/** Levels of JSON quoting looked through: a message quoted in an error quoted in a log line. */
const JSON_LEVELS = 3;

function cut(s: string, patterns: readonly SecretPattern[]): string {
  const spans: Array<[number, number]> = [];
  let view: View | undefined = plainView(s);
  for (let level = 0; view && level <= JSON_LEVELS; level++) {
    find(withoutWhitespace(view), patterns, s, spans);
    view = view.text.includes("\\") ? jsonDecoded(view) : undefined;
  }
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

function find(
  view: View,
  patterns: readonly SecretPattern[],
  s: string,
  spans: Array<[number, number]>,
): void {
  for (const { regex, widen } of patterns) {
    regex.lastIndex = 0;
    for (let m = regex.exec(view.text); m !== null; m = regex.exec(view.text)) {
      let from = view.start(m.index);
      let to = view.end(m.index + m[0].length - 1);
      if (widen) {
        if (BASE64_CHAR.test(s.charAt(from - 1))) from--;
        if (BASE64_CHAR.test(s.charAt(to))) to++;
        while (s.charAt(to) === "=") to++;
      }
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
