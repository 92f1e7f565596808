// Builds an MCP server from a config and a client. No I/O here: the entry point owns env, argv and stdio.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { CloudflareClient } from "./client/cloudflare.js";
import { instructionsFor } from "./instructions.js";
import { PROMPTS, renderPrompt } from "./prompts.js";
import { runTool } from "./runner.js";
import { zodSchemaValidator } from "./schema-validator.js";
import { toolsFor } from "./tools/registry.js";
import { annotationsFor, type ToolSpec } from "./tools/spec.js";
import { NAME, VERSION } from "./version.js";

export interface ServerConfig {
  readOnly: boolean;
  elicitationOnly: boolean;
  sandbox: boolean;
}

export interface ServerDeps {
  config: ServerConfig;
  client: CloudflareClient;
  redact: (text: string) => string;
  /** The clock tools read; the system clock unless a test pins it. */
  now?: () => number;
}

export function createServer({ config, client, redact, now = Date.now }: ServerDeps): Server {
  const tools = toolsFor(config);
  const byName = new Map(tools.map((spec) => [spec.name, spec]));
  const server = new Server(
    { name: NAME, version: VERSION, title: "Cloudflare SSL/TLS" },
    {
      capabilities: { tools: {}, prompts: {} },
      instructions: instructionsFor(config),
      jsonSchemaValidator: zodSchemaValidator,
    },
  );

  // Converted once, on first use: a server that is never asked for its list never pays for it.
  let listing: Tool[] | undefined;
  server.setRequestHandler(ListToolsRequestSchema, () => {
    listing ??= tools.map(toolDefinition);
    return { tools: listing };
  });
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    const spec = byName.get(request.params.name);
    if (!spec) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown tool ${request.params.name}${config.readOnly ? " (the server runs read-only: only read tools exist)" : ""}`,
      );
    }
    return runTool(spec, request.params.arguments, extra, {
      client,
      server,
      redact,
      elicitationOnly: config.elicitationOnly,
      sandbox: config.sandbox,
      now,
    });
  });
  server.setRequestHandler(ListPromptsRequestSchema, () => ({
    prompts: PROMPTS.map(({ render: _, ...prompt }) => prompt),
  }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => {
    const spec = PROMPTS.find((p) => p.name === request.params.name);
    if (!spec) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt ${request.params.name}`);
    const args = request.params.arguments ?? {};
    const missing = (spec.arguments ?? [])
      .filter((a) => a.required && !args[a.name]?.trim())
      .map((a) => a.name);
    if (missing.length)
      throw new McpError(ErrorCode.InvalidParams, `Prompt ${spec.name} needs: ${missing.join(", ")}`);
    return renderPrompt(spec, args);
  });
  return server;
}

export function toolDefinition(spec: ToolSpec): Tool {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: jsonSchema(spec.input, "input") as Tool["inputSchema"],
    outputSchema: jsonSchema(spec.output, "output") as Tool["outputSchema"],
    annotations: annotationsFor(spec),
  };
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
