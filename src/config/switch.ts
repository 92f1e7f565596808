// The one grammar of an on/off value, shared by the settings table's booleans (flags' variables, Worker vars
// that take it) and the X-MCP-Readonly request header: trimmed, any case.
const ON = ["1", "true", "yes", "on"];
const OFF = ["0", "false", "no", "off"];

/** true or false for a recognised word, undefined for anything else (empty included). */
export function readSwitch(raw: string): boolean | undefined {
  const value = raw.trim().toLowerCase();
  if (ON.includes(value)) return true;
  if (OFF.includes(value)) return false;
  return undefined;
}
