// Text that came from the API is data, never prose: wherever the server writes it into its own sentences
// (plans, approval prompts, findings, errors), it goes in quoted, on one line, and bounded.

/** The most characters of one API string placed in server-written text. */
export const API_TEXT_MAX = 300;

/**
 * One API value as a quoted, single-line literal: control characters (newlines included) and quotes are
 * escaped, so the value cannot start a line of its own or close its quotes; past `max` characters it is cut
 * and says how much was left out.
 */
export function quoteApiText(value: unknown, max = API_TEXT_MAX): string {
  const text = typeof value === "string" ? value : value === undefined ? "" : String(value);
  const cut = text.length > max ? text.slice(0, max) : text;
  const escaped = JSON.stringify(cut)
    .slice(1, -1)
    .replace(/[\u007f-\u009f\u2028\u2029]/g, escapeCodePoint);
  return `"${escaped}"${text.length > max ? `…(+${text.length - max} chars)` : ""}`;
}

/** Several API values, each quoted, joined for a sentence. */
export function quoteApiList(values: readonly unknown[], max = API_TEXT_MAX): string {
  return values.map((v) => quoteApiText(v, max)).join(", ");
}

function escapeCodePoint(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
