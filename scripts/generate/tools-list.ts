// The tools/list payload the server serves (src/tools/listing.generated.json), and its snapshot with the
// token cost of each tool (test/snapshots/tools-list.json), whose diff shows what a change costs a model.
import { type ToolDefinition, toolDefinition } from "../../src/tools/definition.js";
import { TOOLS } from "../../src/tools/registry.js";

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export const listingDefinitions = (): ToolDefinition[] => TOOLS.map(toolDefinition);

export const renderListing = (): string => json(listingDefinitions());

/** What clients put in the model's context for a tool. */
export const modelVisible = (t: ToolDefinition) => ({
  name: t.name,
  title: t.title,
  description: t.description,
  inputSchema: t.inputSchema,
});

export async function renderToolsListSnapshot(): Promise<string> {
  // Loaded here only: the tokenizer's tables are large, and the build's listing check does not need them.
  const { encode } = await import("gpt-tokenizer/encoding/o200k_base");
  const tokens = (value: unknown) => encode(JSON.stringify(value)).length;
  const definitions = listingDefinitions();
  const readOnly = TOOLS.filter((t) => t.kind === "read").map(toolDefinition);
  const figures = {
    total: {
      modelVisible: tokens(definitions.map(modelVisible)),
      wholeList: tokens({ tools: definitions }),
      readOnlyModelVisible: tokens(readOnly.map(modelVisible)),
      readOnlyWholeList: tokens({ tools: readOnly }),
    },
    perTool: Object.fromEntries(
      definitions.map((d) => [d.name, { modelVisible: tokens(modelVisible(d)), whole: tokens(d) }]),
    ),
  };
  return json({ figures, tools: definitions });
}

/** manifest.json with its tool list taken from the registry; everything else is kept as written. */
export function renderManifest(current: string): string {
  const manifest = JSON.parse(current) as Record<string, unknown>;
  return json({ ...manifest, tools: TOOLS.map((t) => ({ name: t.name, description: t.description })) });
}
