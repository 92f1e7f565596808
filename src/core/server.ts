// Builds an MCP server for one caller: its tools, prompts and instructions, bound to that caller's client,
// redactor and approvals. No I/O here: entries own env, argv, stdio and sockets, and build one of these per
// connection (stdio) or per request (HTTP).
import { ProtocolError, ProtocolErrorCode, type Server } from "@modelcontextprotocol/server";
import type { CloudflareClient } from "../client/cloudflare.js";
import { TOOL_DEFINITIONS } from "../tools/listing.js";
import type { ToolSpec } from "../tools/spec.js";
import { NAME, VERSION } from "../version.js";
import type { ApprovalSigner } from "./approval.js";
import { instructionsFor } from "./instructions.js";
import { PerRequestServer } from "./per-request-server.js";
import { PROMPTS, renderPrompt } from "./prompts.js";
import type { Redactor } from "./redact.js";
import { runTool } from "./runner.js";
import { zodSchemaValidator } from "./schema-validator.js";

export interface ServerConfig {
  readOnly: boolean;
  elicitationOnly: boolean;
  sandbox: boolean;
}

/** Everything that belongs to one caller; nothing here is shared with another caller's server. */
export interface CallerScope {
  client: CloudflareClient;
  redactor: Redactor;
  /** A one-way digest of the caller's credential, to which approvals are bound. */
  credentialId: string;
}

export interface ServerDeps extends CallerScope {
  config: ServerConfig;
  approvals: ApprovalSigner;
  /** The clock tools read; the system clock unless a test pins it. */
  now?: () => number;
}

/** How long a client may reuse tools/list on 2026-07-28. */
export const TOOLS_LIST_TTL_MS = 3_600_000;

let registry: Promise<Map<string, ToolSpec>> | undefined;
/**
 * The tool specs (and the zod schemas they build) load with the first call: listing the tools needs only the
 * generated listing, so a client's first answer does not wait for them (see BENCHMARKS.md).
 */
function specs(): Promise<Map<string, ToolSpec>> {
  registry ??= import("../tools/registry.js").then(({ TOOLS }) => new Map(TOOLS.map((s) => [s.name, s])));
  return registry;
}

/** What a server offers depends on the configuration only: worked out once per configuration, not per request. */
interface Offer {
  listing: typeof TOOL_DEFINITIONS;
  listed: ReadonlySet<string>;
  instructions: string;
}

const offers = new Map<string, Offer>();

function offerFor(config: ServerConfig): Offer {
  const key = `${config.readOnly}/${config.sandbox}`;
  let offer = offers.get(key);
  if (!offer) {
    const listing = TOOL_DEFINITIONS.filter((d) => !config.readOnly || d.annotations.readOnlyHint);
    offer = { listing, listed: new Set(listing.map((d) => d.name)), instructions: instructionsFor(config) };
    offers.set(key, offer);
  }
  return offer;
}

export function createServer(deps: ServerDeps): Server {
  const { config } = deps;
  const { listing, listed, instructions } = offerFor(config);
  const server = new PerRequestServer(
    { name: NAME, version: VERSION, title: "Cloudflare SSL/TLS" },
    {
      capabilities: { tools: {}, prompts: {} },
      instructions,
      jsonSchemaValidator: zodSchemaValidator,
      // The list changes only with this server's configuration (a restart or redeploy) and the caller's
      // read-only scope, which differs between callers of one URL: cacheable, but by the caller alone.
      cacheHints: { "tools/list": { ttlMs: TOOLS_LIST_TTL_MS, cacheScope: "private" } },
    },
  );
  const runnerDeps = {
    ...deps,
    server,
    elicitationOnly: config.elicitationOnly,
    sandbox: config.sandbox,
    now: deps.now ?? Date.now,
  };

  server.setRequestHandler("tools/list", () => ({ tools: listing }));
  server.setRequestHandler("tools/call", (request, ctx) => {
    if (!listed.has(request.params.name)) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown tool ${request.params.name}${config.readOnly ? " (the server runs read-only: only read tools exist)" : ""}`,
      );
    }
    return specs().then((all) =>
      runTool(all.get(request.params.name) as ToolSpec, request.params.arguments, ctx, runnerDeps),
    );
  });
  server.setRequestHandler("prompts/list", () => ({
    prompts: PROMPTS.map(({ render: _, ...prompt }) => prompt),
  }));
  server.setRequestHandler("prompts/get", (request) => {
    const spec = PROMPTS.find((p) => p.name === request.params.name);
    if (!spec)
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt ${request.params.name}`);
    const args = request.params.arguments ?? {};
    const missing = (spec.arguments ?? [])
      .filter((a) => a.required && !args[a.name]?.trim())
      .map((a) => a.name);
    if (missing.length)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Prompt ${spec.name} needs: ${missing.join(", ")}`,
      );
    return renderPrompt(spec, args);
  });
  return server;
}
