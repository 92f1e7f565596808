// The certificate dashboard on Workers: the same ui:// resource as on Node, from the Worker's bundle, for
// clients of both protocol eras, and the tools' links to it.
import { env } from "cloudflare:workers";
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from "@modelcontextprotocol/client";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { createWorker } from "../../src/entries/worker.js";
import { DASHBOARD_URI, MCP_APP_MIME_TYPE, MCP_APPS_EXTENSION } from "../../src/tools/dashboard-link.js";
import dashboard from "../../src/view/generated-page.json" with { type: "json" };
import { MODERN, ORIGIN, workerFetch } from "./mcp-clients.js";

const capabilities = { extensions: { [MCP_APPS_EXTENSION]: { mimeTypes: [MCP_APP_MIME_TYPE] } } };

async function connect(era: "2025" | "2026-07-28") {
  const url = new URL(`${ORIGIN}/sandbox/mcp`);
  const fetch = workerFetch(createWorker(), env);
  if (era === "2025") {
    const client = new LegacyClient({ name: "legacy", version: "1.0.0" }, { capabilities } as never);
    await client.connect(new LegacyTransport(url, { fetch }));
    return client;
  }
  const client = new ModernClient({ name: "modern", version: "1.0.0" }, {
    capabilities,
    versionNegotiation: { mode: { pin: MODERN } },
  } as never);
  await client.connect(new ModernTransport(url, { fetch }));
  return client as unknown as LegacyClient;
}

describe.each(["2025", "2026-07-28"] as const)("the dashboard on the Worker (%s era)", (era) => {
  it("is listed and read from the bundle, and triage links to it", async () => {
    const client = await connect(era);
    try {
      const { resources } = await client.listResources();
      expect(resources.map((r) => [r.uri, r.mimeType])).toEqual([[DASHBOARD_URI, MCP_APP_MIME_TYPE]]);
      const { contents } = await client.readResource({ uri: DASHBOARD_URI });
      expect((contents[0] as { text: string }).text).toBe(dashboard.html);
      const { tools } = await client.listTools();
      const triage = tools.find((t) => t.name === "triage_certificates");
      expect(triage?._meta).toEqual({ ui: { resourceUri: DASHBOARD_URI }, "ui/resourceUri": DASHBOARD_URI });
    } finally {
      await client.close();
    }
  });
});
