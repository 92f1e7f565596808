// The tools/list payload, generated from the registry (`npm run generate`) so that no schema is converted at
// start-up; a test fails when it is stale.
import listing from "./listing.generated.json" with { type: "json" };
import type { ToolDefinition } from "./definition.js";

export const TOOL_DEFINITIONS = listing as ToolDefinition[];
