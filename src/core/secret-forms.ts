// The forms one secret can take in text, as regexes: the secret in any letter case, each character possibly
// percent-, JSON- or HTML-escaped; its hex; and its base64 or base64url at any byte offset. The patterns hold
// no gaps: whitespace is taken out of the text before they run (see redact.ts), which keeps them small and
// quick to compile, so a redactor per request costs next to nothing.

/** Whitespace that may have been inserted into a secret (line wrapping, also the invisible kinds in HTML). */
export const WHITESPACE = /[\s\u00ad\u200b-\u200d\u2060]+/g;
/** The same, plus whitespace written as JSON escapes, up to 3 levels deep (`\n`, `\\n`, `\\\\n`). */
export const WHITESPACE_OR_ESCAPED = /(?:[\s\u00ad\u200b-\u200d\u2060]|\\{1,8}[nrtf])+/g;

export interface SecretPattern {
  regex: RegExp;
  /** Base64: one more character each side is cut too, since those carry a few bits of the secret. */
  widen?: boolean;
  /** A first character this pattern leaves out, to be cut as well where it stands just before the match. */
  before?: string;
  /** Trailing backslashes this pattern leaves out, to be cut as well where they follow the match. */
  after?: number;
}

/**
 * The patterns for one secret. `plain` runs on text with whitespace removed; `unescaped` on text with escaped
 * whitespace removed as well. In the latter, removing `\n` can swallow the secret's first character when a
 * backslash precedes it (or its last backslashes when `n` follows), so one pattern leaves those out.
 */
export function secretForms(secret: string): { plain: SecretPattern[]; unescaped: SecretPattern[] } {
  const bytes = new TextEncoder().encode(secret);
  const hex = hexPattern(bytes);
  const base64 = { regex: new RegExp(base64Pattern(bytes), "g"), widen: true };
  const plain = [{ regex: new RegExp(`(?:${textualPattern(secret)}|${hex})`, "gi") }, base64];

  const squeezed = secret.replace(WHITESPACE_OR_ESCAPED, "");
  const unescaped: SecretPattern[] = [
    squeezed === secret.replace(WHITESPACE, "")
      ? (plain[0] as SecretPattern)
      : { regex: new RegExp(`(?:${textualPattern(squeezed)}|${hex})`, "gi") },
    base64,
  ];
  const before = /^[nrtf]/i.test(squeezed) ? squeezed.charAt(0) : "";
  const after = /\\+$/.exec(squeezed)?.[0].length ?? 0;
  const inner = squeezed.slice(before.length, squeezed.length - after);
  if ((before || after) && inner.length >= 4) {
    unescaped.push({ regex: new RegExp(textualPattern(inner), "gi"), before, after });
  }
  return { plain, unescaped };
}

// Whitespace inside the secret itself: gone from the text, or still there as `+`, a percent or JSON escape.
const ENCODED_SPACE = String.raw`(?:\+|%20|%0[9adAD]|&nbsp;|\\{1,8}[nrtf])*`;

/** Character by character, each in any of its escaped forms. Case-insensitive by the regex flag. */
function textualPattern(secret: string): string {
  // A run of backslashes is one unit: its JSON-escaped forms double per level as a whole.
  const units = secret.trim().match(/\\+|\s+|[\s\S]/gu) ?? [];
  return units
    .map((unit) =>
      /^\s/.test(unit)
        ? ENCODED_SPACE
        : unit.startsWith("\\")
          ? backslashForms(unit.length)
          : charForms(unit),
    )
    .join("");
}

function backslashForms(count: number): string {
  const escaped = [8, 4, 2, 1].map((level) => String.raw`\\{${count * level}}`);
  const encoded = [`%5c`, `&#0*92;|&#x0*5c;`, String.raw`\\{1,8}u005c`].map(
    (form) => `(?:${form}){${count}}`,
  );
  return `(?:${[...escaped, ...encoded].join("|")})`;
}

const TOKEN_ALPHABET = /^[A-Za-z0-9_-]$/;
const SHORT_JSON_ESCAPES: Record<string, string> = { "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t" };
const HTML_NAMES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

function charForms(char: string): string {
  // Encoders leave the token alphabet alone; a plain character also keeps the pattern cheap to compile.
  if (TOKEN_ALPHABET.test(char)) return char;
  const forms = [char === '"' ? String.raw`\\{0,7}"` : escapeRegExp(char), percentForm(char)];
  // The regex flag folds simple cases; a few characters change length when upper-cased (ß to SS).
  for (const folded of [char.toUpperCase(), char.toLowerCase()]) {
    if (folded.length !== char.length) forms.push(escapeRegExp(folded));
  }
  const codeUnits = Array.from({ length: char.length }, (_, i) => hex4(char.charCodeAt(i)));
  forms.push(codeUnits.map((unit) => String.raw`\\{1,8}u${unit}`).join(""));
  const short = SHORT_JSON_ESCAPES[char];
  if (short) forms.push(String.raw`\\{1,8}${short}`);
  if (char === "/") forms.push(String.raw`\\{1,8}/`);
  const name = HTML_NAMES[char];
  if (name) forms.push(name);
  const codePoint = char.codePointAt(0) ?? 0;
  forms.push(`&#0*${codePoint};`, `&#x0*${codePoint.toString(16)};`);
  return `(?:${forms.join("|")})`;
}

function percentForm(char: string): string {
  return [...new TextEncoder().encode(char)].map((byte) => `%${hex2(byte)}`).join("");
}

/** Hex of the secret's bytes (whitespace between bytes is gone already). */
function hexPattern(bytes: Uint8Array): string {
  return [...bytes].map(hex2).join("");
}

/**
 * Base64 or base64url of the secret at any byte offset. For each of the 3 alignments, only the characters that
 * the secret's bits alone decide are matched: those are the same whatever bytes surround it.
 */
function base64Pattern(bytes: Uint8Array): string {
  const cores = [0, 1, 2].map((shift) => {
    const padded = new Uint8Array(shift + bytes.length);
    padded.set(bytes, shift);
    let binary = "";
    for (const byte of padded) binary += String.fromCharCode(byte);
    const core = btoa(binary).slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + bytes.length)) / 6));
    return [...core].map(base64CharForms).join("");
  });
  return `(?:${cores.join("|")})`;
}

/** Standard and URL alphabets at once; a character class rather than alternatives keeps compiling cheap. */
function base64CharForms(char: string): string {
  if (char === "+") return "[-+]";
  if (char === "/") return "[/_]";
  return char;
}

function hex2(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}

function hex4(unit: number): string {
  return unit.toString(16).padStart(4, "0");
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}
