// Builds an MCP server for one caller: its tools, prompts and instructions, bound to that caller's client,
// redactor and approvals. No I/O here: entries own env, argv, stdio and sockets, and build one of these per
// connection (stdio) or per request (HTTP).
import {
  type CallToolResult,
  type InputRequiredResult,
  ProtocolError,
  ProtocolErrorCode,
  type Server,
} from "@modelcontextprotocol/server";
import type { CloudflareClient } from "../client/cloudflare.js";
import { abortableSleep } from "../lib/sleep.js";
import type { ToolSpec } from "../tools/spec.js";
import { advertised } from "./advertised.js";
import type { ApprovalSigner } from "./approval.js";
import { serveDashboard } from "./dashboard.js";
import { PerRequestServer } from "./per-request-server.js";
import { PROMPTS, renderPrompt } from "./prompts.js";
import type { Redactor } from "./redact.js";
import { runTool } from "./runner.js";
import { zodSchemaValidator } from "./schema-validator.js";
import { declaresTasks, serveTasks, startTask, taskFor } from "./task-calls.js";
import type { TaskStore } from "./tasks.js";

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
  /** How tools wait between polls; a real timer unless a test moves its clock instead. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Where long calls run as tasks, for clients that declare the tasks extension; none: always inline. */
  tasks?: TaskStore;
}

let registry: Promise<Map<string, ToolSpec>> | undefined;
/**
 * The tool specs (and the zod schemas they build) load with the first call: listing the tools needs only the
 * generated listing, so a client's first answer does not wait for them (see BENCHMARKS.md).
 */
function specs(): Promise<Map<string, ToolSpec>> {
  registry ??= import("../tools/registry.js").then(({ TOOLS }) => new Map(TOOLS.map((s) => [s.name, s])));
  return registry;
}

export function createServer(deps: ServerDeps): Server {
  const { config } = deps;
  const face = advertised({ ...config, tasks: deps.tasks !== undefined });
  const listed = face.toolNames;
  const server = new PerRequestServer(face.serverInfo, {
    capabilities: face.capabilities,
    instructions: face.instructions,
    jsonSchemaValidator: zodSchemaValidator,
    cacheHints: face.cacheHints,
  });
  const runnerDeps = {
    ...deps,
    server,
    elicitationOnly: config.elicitationOnly,
    sandbox: config.sandbox,
    now: deps.now ?? Date.now,
    sleep: deps.sleep ?? abortableSleep,
  };
  if (deps.tasks) serveTasks(server, deps.tasks, deps.credentialId);

  server.setRequestHandler("tools/list", () => ({ tools: face.tools }));
  server.setRequestHandler("tools/call", (request, ctx) => {
    if (!listed.has(request.params.name)) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown tool ${request.params.name}${config.readOnly ? " (the server runs read-only: only read tools exist)" : ""}`,
      );
    }
    return specs().then((all) => {
      const spec = all.get(request.params.name) as ToolSpec;
      const task = deps.tasks && declaresTasks(ctx) ? taskFor(spec, request.params.arguments) : undefined;
      if (!deps.tasks || !task) return runTool(spec, request.params.arguments, ctx, runnerDeps);
      // A task's handle, in place of the result: the SDK passes a tools/call resultType through as given.
      const call = { tool: spec.name, args: request.params.arguments ?? {} };
      return startTask(deps.tasks, deps.credentialId, ctx, task, call, (taskCtx) =>
        runTool(spec, request.params.arguments, taskCtx, runnerDeps, true),
      ) as unknown as Promise<CallToolResult | InputRequiredResult>;
    });
  });
  server.setRequestHandler("prompts/list", () => ({ prompts: face.prompts }));
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
  serveDashboard(server);
  return server;
}
