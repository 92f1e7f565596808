// A spec as MCP lists it: name, description, JSON Schemas and the four hints. Computed when the listing is
// generated (src/tools/listing.generated.json), not at start-up; tests compare the two.
import { z } from "zod/v4";
import { DASHBOARD_TOOL_META } from "./dashboard-link.js";
import { annotationsFor, type ToolSpec } from "./spec.js";

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: "object"; [key: string]: unknown };
  outputSchema: { type: "object"; [key: string]: unknown };
  annotations: ReturnType<typeof annotationsFor>;
  _meta?: typeof DASHBOARD_TOOL_META;
}

export function toolDefinition(spec: ToolSpec): ToolDefinition {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: jsonSchema(spec.input, "input") as ToolDefinition["inputSchema"],
    outputSchema: jsonSchema(outputOf(spec), "output") as ToolDefinition["outputSchema"],
    annotations: annotationsFor(spec),
    ...(spec.dashboard ? { _meta: DASHBOARD_TOOL_META } : {}),
  };
}

/** What a tool that needs approval answers before it acts: the plan, and the value that approves it. */
export const approvalOutput = z.strictObject({
  confirm: z.string().describe("Pass as confirm to act, once the user approved the plan"),
  expires_at: z.string(),
  plan: z.string().describe("Show this to the user"),
  left_out: z
    .int()
    .optional()
    .describe('How many hosts, packs or certificates the plan names only as "and N more"'),
  reason: z.string().optional(),
});

/** A tool that needs approval may answer with the plan instead of the result, so its result fields are optional. */
export function outputOf(spec: ToolSpec): z.ZodObject {
  return spec.confirm ? spec.output.partial().extend({ approval: approvalOutput.optional() }) : spec.output;
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: "draft-7", io, unrepresentable: "any" });
  return prune(rest) as Record<string, unknown>;
}

/** `additionalProperties: {}` is JSON Schema's default; dropping it saves a model tokens and changes nothing. */
function prune(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prune);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (
      key === "additionalProperties" &&
      value !== null &&
      typeof value === "object" &&
      Object.keys(value).length === 0
    )
      continue;
    out[key] = prune(value);
  }
  return out;
}
