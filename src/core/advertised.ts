// What the server says about itself before any tool runs: its identity, capabilities, instructions, tools and
// prompts for one configuration. The SDK server (core/server.ts) and the stdio front that answers a session's
// opening without the SDK (entries/front.ts) both read it here, so the two cannot say different things.
import { TOOL_DEFINITIONS } from "../tools/listing.js";
import { NAME, VERSION } from "../version.js";
import { instructionsFor } from "./instructions.js";
import { PROMPTS } from "./prompts.js";

export interface AdvertisedOptions {
  readOnly: boolean;
  sandbox: boolean;
}

/** Built afresh per call: the SDK keeps the capabilities object it is given, and a caller must not share one. */
export function advertised(options: AdvertisedOptions) {
  return {
    serverInfo: { name: NAME, version: VERSION, title: "Cloudflare SSL/TLS" },
    capabilities: { tools: {}, prompts: {} } as Record<string, Record<string, unknown>>,
    instructions: instructionsFor(options),
    tools: TOOL_DEFINITIONS.filter((d) => !options.readOnly || d.annotations.readOnlyHint),
    prompts: PROMPTS.map(({ render: _, ...prompt }) => prompt),
  };
}

export type Advertised = ReturnType<typeof advertised>;
