// The forms one secret can take, as regexes: the secret in any letter case, each character other than the
// token alphabet possibly percent- or HTML-escaped; its hex; and its base64 or base64url at any byte offset.
// Whitespace and JSON escapes are not in the patterns: the text is searched in views where those are already
// taken out (see views.ts), so the patterns stay small and quick to compile, and a redactor per request is
// cheap.

export interface SecretPattern {
  regex: RegExp;
  /** Base64: one more character each side is cut too, since those carry a few bits of the secret. */
  widen?: boolean;
}

export function secretForms(secret: string): SecretPattern[] {
  const bytes = new TextEncoder().encode(secret);
  return [
    { regex: new RegExp(`(?:${textualPattern(secret)}|${hexPattern(bytes)})`, "gi") },
    { regex: new RegExp(base64Pattern(bytes), "g"), widen: true },
  ];
}

// Whitespace inside the secret itself: gone from the view, or still there as `+`, a percent or HTML escape.
const ENCODED_SPACE = String.raw`(?:\+|%20|%0[9adAD]|&nbsp;|&#0*(?:9|10|13|32);|&#x0*(?:9|a|d|20);)*`;

/** Character by character, each in any of its escaped forms. Case-insensitive by the regex flag. */
function textualPattern(secret: string): string {
  // A run of whitespace or of backslashes is one unit.
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
  const forms = [String.raw`\\`, "%5c", "&#0*92;|&#x0*5c;"].map((form) => `(?:${form}){${count}}`);
  return `(?:${forms.join("|")})`;
}

const TOKEN_ALPHABET = /^[A-Za-z0-9_-]$/;
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
  const forms = [escapeRegExp(char), percentForm(char)];
  // The regex flag folds simple cases; a few characters change length when upper-cased (ß to SS).
  for (const folded of [char.toUpperCase(), char.toLowerCase()]) {
    if (folded.length !== char.length) forms.push(escapeRegExp(folded));
  }
  const name = HTML_NAMES[char];
  if (name) forms.push(name);
  const codePoint = char.codePointAt(0) ?? 0;
  forms.push(`&#0*${codePoint};`, `&#x0*${codePoint.toString(16)};`);
  return `(?:${forms.join("|")})`;
}

function percentForm(char: string): string {
  return [...new TextEncoder().encode(char)].map((byte) => `%${hex2(byte)}`).join("");
}

/** Hex of the secret's bytes (whitespace between bytes is gone from the view already). */
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

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}
