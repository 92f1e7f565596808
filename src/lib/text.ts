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

/** An API value that should be an integer: the integer itself, anything else quoted (and short). */
export function apiInteger(value: unknown, absent = "unset"): string {
  if (value === undefined || value === null) return absent;
  return Number.isSafeInteger(value) ? String(value) : quoteApiText(value, 40);
}

/** The most characters of a plan's text: what the user approves must be read in full, by them and by a model. */
export const PLAN_TEXT_MAX = 4096;

/**
 * The text of a plan, bounded however large the zone: sentences in the order given (the consequence first),
 * lists cut to their share with "and N more", and the whole capped at `PLAN_TEXT_MAX`. Items past a list's
 * share are counted, never formatted, so ten thousand packs cost no more text than ten.
 */
export class PlanText {
  private readonly parts: string[] = [];
  /** Items the lists left out. */
  omitted = 0;

  constructor(private readonly max = PLAN_TEXT_MAX) {}

  say(sentence: string): this {
    this.parts.push(sentence);
    return this;
  }

  /**
   * `before`, then the items formatted and joined with `separator` while they fit in `share` characters, then
   * "and N more" and `after`.
   */
  list<T>(
    before: string,
    items: Iterable<T>,
    format: (item: T) => string,
    options: { share: number; after?: string; separator?: string; noun?: string },
  ): this {
    this.parts.push(`${before}${this.itemsWithin(items, format, options)}${options.after ?? ""}`);
    return this;
  }

  /** A bounded list alone, for a sentence written around it; what it leaves out counts toward `omitted`. */
  itemsWithin<T>(
    items: Iterable<T>,
    format: (item: T) => string,
    options: { share: number; separator?: string; noun?: string },
  ): string {
    const separator = options.separator ?? ", ";
    let text = "";
    let left = 0;
    // An API may answer a list with anything: a lone value is one item, nothing is none.
    const all: Iterable<T> =
      Array.isArray(items) || items instanceof Set ? items : items == null ? [] : [items as T];
    for (const item of all) {
      if (left > 0) {
        left++;
        continue;
      }
      const piece = format(item);
      const next = text ? `${text}${separator}${piece}` : piece;
      // The first item always shows (each piece is bounded by its own quoting); later ones only while they fit.
      if (next.length > options.share && text) left = 1;
      else text = next;
    }
    this.omitted += left;
    return left ? `${text} and ${left} more${options.noun ? ` ${options.noun}` : ""}` : text;
  }

  toString(): string {
    return capPlanText(this.parts.join(" "), this.max);
  }
}

/** A plan's text within its cap, whoever wrote it: the last line of defence for the approval prompt. */
export function capPlanText(text: string, max = PLAN_TEXT_MAX): string {
  return text.length > max ? `${text.slice(0, max - 24)}… (plan cut to its cap)` : text;
}
