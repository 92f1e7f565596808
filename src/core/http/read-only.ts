// Whether a request asks to be read-only. Only an absent header or an explicit off word (false, 0, no, off)
// leaves access as the route and the server's settings give it; anything else narrows, since a value this
// server does not understand (empty, repeated, a list, a typo) must never be read as "write access".
import { parseBoolean } from "../../config/boolean.js";
import type { Inbound } from "./inbound.js";

export const READ_ONLY_HEADER = "x-mcp-readonly";

export function headerNarrowsToReadOnly(request: Inbound): boolean {
  const value = request.header(READ_ONLY_HEADER);
  return value !== null && parseBoolean(value) !== false;
}
