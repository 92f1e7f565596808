// The one grammar for a switch, wherever it is given: a CLI variable, a Worker var, a request header.

const TRUE = ["true", "1", "yes", "on"];
const FALSE = ["false", "0", "no", "off"];

/** The switch `text` spells, trimmed and in any case; `undefined` when it spells none. */
export function parseBoolean(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (TRUE.includes(word)) return true;
  if (FALSE.includes(word)) return false;
  return undefined;
}

/** What to write instead of a value that is not a switch, for error messages. */
export const BOOLEAN_FIX = "use true or false (also 1/0, yes/no, on/off)";
