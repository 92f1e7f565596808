// What the server says about itself before any tool runs: its identity, capabilities, instructions, tools,
// prompts and how long a client may keep each list, for one configuration. The SDK server (core/server.ts) and
// the stdio front that answers a session's opening without the SDK (entries/front.ts) both read it here, so the
// two cannot say different things.
import { MCP_APPS_EXTENSION } from "../tools/dashboard-link.js";
import { TOOL_DEFINITIONS } from "../tools/listing.js";
import { NAME, VERSION } from "../version.js";
import { instructionsFor } from "./instructions.js";
import { PROMPTS } from "./prompts.js";
import { TASKS_EXTENSION } from "./tasks.js";

export interface AdvertisedOptions {
  readOnly: boolean;
  sandbox: boolean;
  /** Whether long calls may run as tasks (a task store is at hand): the tasks extension is declared. */
  tasks?: boolean;
}

/** How long a client may reuse tools/list on 2026-07-28. */
export const TOOLS_LIST_TTL_MS = 3_600_000;

/** What depends on the configuration alone: worked out once per configuration, not per request. */
interface Fixed {
  serverInfo: { name: string; version: string; title: string };
  instructions: string;
  tools: typeof TOOL_DEFINITIONS;
  toolNames: ReadonlySet<string>;
  prompts: { name: string }[];
}

const fixedParts = new Map<string, Fixed>();

function fixedFor(options: AdvertisedOptions): Fixed {
  const key = `${options.readOnly}/${options.sandbox}`;
  let fixed = fixedParts.get(key);
  if (!fixed) {
    const tools = TOOL_DEFINITIONS.filter((d) => !options.readOnly || d.annotations.readOnlyHint);
    fixed = {
      serverInfo: { name: NAME, version: VERSION, title: "Cloudflare SSL/TLS" },
      instructions: instructionsFor(options),
      tools,
      toolNames: new Set(tools.map((d) => d.name)),
      prompts: PROMPTS.map(({ render: _, ...prompt }) => prompt),
    };
    fixedParts.set(key, fixed);
  }
  return fixed;
}

/** The capabilities and cache hints are built afresh per call: the SDK keeps the objects it is given. */
export function advertised(options: AdvertisedOptions) {
  const extensions: Record<string, Record<string, unknown>> = { [MCP_APPS_EXTENSION]: {} };
  if (options.tasks) extensions[TASKS_EXTENSION] = {};
  return {
    ...fixedFor(options),
    capabilities: { tools: {}, prompts: {}, resources: {}, extensions } as Record<
      string,
      Record<string, unknown>
    >,
    // The list changes only with this server's configuration (a restart or redeploy) and the caller's read-only
    // scope, which differs between callers of one URL: cacheable, but by the caller alone.
    cacheHints: { "tools/list": { ttlMs: TOOLS_LIST_TTL_MS, cacheScope: "private" as const } } as Record<
      string,
      { ttlMs: number; cacheScope: "private" | "public" }
    >,
  };
}

export type Advertised = ReturnType<typeof advertised>;
