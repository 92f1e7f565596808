// The text as a secret might be hidden in it: with inserted whitespace taken out (a wrapped line of an HTML
// page, a reflowed base64 block), and with JSON string escapes decoded, level by level (a text quoted once or
// more on its way out). Patterns for secrets run on these views instead of carrying every variation
// themselves, which keeps them small and quick to compile; each match is mapped back to the original.

const WHITESPACE = /[\s\u00ad\u200b-\u200d\u2060]+/g;
const JSON_ESCAPE = /\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])/g;
const JSON_SIMPLE: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** A text derived from an original, and where each of its characters came from. */
export interface View {
  text: string;
  /** Where the character at `index` of `text` begins in the original. */
  start(index: number): number;
  /** Where the character at `index` of `text` ends in the original. */
  end(index: number): number;
}

export function plainView(s: string): View {
  return { text: s, start: (index) => index, end: (index) => index + 1 };
}

export function withoutWhitespace(view: View): View {
  const text = view.text.replace(WHITESPACE, "");
  if (text.length === view.text.length) return view;
  // Most texts hold no secret: where each character came from is worked out only for a text that does.
  return derived(view, text, () => {
    const pieces = new Pieces();
    let copied = 0;
    for (const m of view.text.matchAll(WHITESPACE)) {
      pieces.copy(copied, m.index);
      copied = m.index + m[0].length;
    }
    pieces.copy(copied, view.text.length);
    return pieces;
  });
}

/** The view with one level of JSON string escapes decoded; `undefined` when it holds none. */
export function jsonDecoded(view: View): View | undefined {
  let decodedAny = false;
  const text = view.text.replace(JSON_ESCAPE, (sequence) => {
    decodedAny = true;
    const code = sequence.charAt(1);
    return code === "u"
      ? String.fromCharCode(Number.parseInt(sequence.slice(2), 16))
      : (JSON_SIMPLE[code] ?? code);
  });
  if (!decodedAny) return undefined;
  return derived(view, text, () => {
    const pieces = new Pieces();
    let copied = 0;
    for (const m of view.text.matchAll(JSON_ESCAPE)) {
      pieces.copy(copied, m.index);
      copied = m.index + m[0].length;
      pieces.escape(m.index, copied);
    }
    pieces.copy(copied, view.text.length);
    return pieces;
  });
}

/**
 * How a derived text was made from its parent's, in order: copied runs (one character for one) and escapes
 * (one character for several).
 */
class Pieces {
  readonly starts: number[] = [];
  readonly from: number[] = [];
  readonly to: number[] = [];
  readonly copied: boolean[] = [];
  private length = 0;

  copy(from: number, to: number): void {
    if (to > from) this.add(from, to, true, to - from);
  }

  escape(from: number, to: number): void {
    this.add(from, to, false, 1);
  }

  /** The parent's span for the character at `index`. */
  spanOf(index: number): [number, number] {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] as number) <= index) low = middle;
      else high = middle - 1;
    }
    const from = this.from[low] as number;
    if (!this.copied[low]) return [from, this.to[low] as number];
    const at = from + index - (this.starts[low] as number);
    return [at, at + 1];
  }

  private add(from: number, to: number, copied: boolean, produced: number): void {
    this.starts.push(this.length);
    this.from.push(from);
    this.to.push(to);
    this.copied.push(copied);
    this.length += produced;
  }
}

function derived(parent: View, text: string, piecesOf: () => Pieces): View {
  let pieces: Pieces | undefined;
  const spanOf = (index: number) => {
    pieces ??= piecesOf();
    return pieces.spanOf(index);
  };
  return {
    text,
    start: (index) => parent.start(spanOf(index)[0]),
    end: (index) => parent.end(spanOf(index)[1] - 1),
  };
}
