// The tools/list payload, generated from the registry (`npm run generate`) so that no schema is converted at
// start-up; a test fails when it is stale.

import type { ToolDefinition } from "./definition.js";
import listing from "./listing.generated.json" with { type: "json" };

export const TOOL_DEFINITIONS = listing as ToolDefinition[];
