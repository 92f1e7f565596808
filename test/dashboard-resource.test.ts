// The certificate dashboard as MCP serves it: one ui:// resource, self-contained and within budget, linked
// from the two tools whose results it shows; and a client without the MCP Apps extension sees the same tools
// and the same results as before, but for the link in `_meta`.
import { readFileSync } from "node:fs";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { buildDashboardHtml } from "../scripts/build-view.mjs";
import { DASHBOARD_URI, MCP_APP_MIME_TYPE, MCP_APPS_EXTENSION } from "../src/tools/dashboard-link.js";
import { toolDefinition } from "../src/tools/definition.js";
import { TOOLS } from "../src/tools/registry.js";
import { type Harness, PACK, startHarness, ZONE } from "./helpers/harness.js";

const APPS = { [MCP_APPS_EXTENSION]: { mimeTypes: [MCP_APP_MIME_TYPE] } };
const LINKED = ["triage_certificates", "list_certificate_packs"];

let open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.map((h) => h.close()));
  open = [];
});
async function harness(withApps: boolean) {
  const h = await startHarness(withApps ? { extensions: APPS } : {});
  open.push(h);
  return h;
}

async function readDashboard(h: Harness) {
  const { resources } = await h.mcp.listResources();
  const { contents } = await h.mcp.readResource({ uri: DASHBOARD_URI });
  return {
    resources,
    content: contents[0] as {
      uri: string;
      mimeType: string;
      text: string;
      _meta: { ui: { csp: Record<string, unknown> } };
    },
  };
}

describe("the dashboard resource", () => {
  it("is listed and read as one MCP App document, whose CSP allows no domain", async () => {
    const h = await harness(true);
    expect(h.mcp.getServerCapabilities()?.resources).toBeDefined();
    expect(
      (h.mcp.getServerCapabilities() as { extensions?: Record<string, unknown> })?.extensions?.[
        MCP_APPS_EXTENSION
      ],
    ).toEqual({});
    const { resources, content } = await readDashboard(h);
    expect(resources).toEqual([expect.objectContaining({ uri: DASHBOARD_URI, mimeType: MCP_APP_MIME_TYPE })]);
    expect(content).toMatchObject({ uri: DASHBOARD_URI, mimeType: "text/html;profile=mcp-app" });
    expect(content.text.startsWith("<!doctype html>")).toBe(true);
    const csp = content._meta.ui.csp;
    for (const list of ["connectDomains", "resourceDomains", "frameDomains", "baseUriDomains"]) {
      expect(csp[list], list).toEqual([]);
    }
  });

  it("is at most 150 KB and names no outside origin: no remote script, style, font, image or frame", async () => {
    const { content } = await readDashboard(await harness(true));
    expect(new TextEncoder().encode(content.text).length).toBeLessThanOrEqual(150 * 1024);
    expect(content.text).not.toMatch(/https?:\/\//);
    expect(content.text).not.toMatch(/\bsrc\s*=|\bhref\s*=|@import|url\(|<iframe|<link\b/i);
    // No eval and no dialogs: the host's CSP forbids the one, the sandbox blocks the others.
    expect(content.text).not.toMatch(/\beval\(|new Function\(|\balert\(|\bconfirm\(|\.innerHTML\b/);
  });

  it("answers an unknown resource with an error that names the one it has", async () => {
    const h = await harness(true);
    await expect(h.mcp.readResource({ uri: "ui://cloudflare-ssl/other.html" })).rejects.toThrow(
      /Unknown resource ui:\/\/cloudflare-ssl\/other\.html: resources\/list/,
    );
  });

  it("is the build of src/view as it is now (npm run build renews src/view/generated-page.json)", async () => {
    const generated = JSON.parse(
      readFileSync(new URL("../src/view/generated-page.json", import.meta.url), "utf8"),
    );
    expect(generated.html).toBe(await buildDashboardHtml());
  });
});

describe("the tools the dashboard shows", () => {
  it("link to it under _meta.ui.resourceUri and the older ui/resourceUri key; no other tool does", async () => {
    const h = await harness(true);
    for (const tool of h.tools) {
      if (LINKED.includes(tool.name)) {
        expect(tool._meta, tool.name).toEqual({
          ui: { resourceUri: DASHBOARD_URI },
          "ui/resourceUri": DASHBOARD_URI,
        });
      } else {
        expect(tool._meta, tool.name).toBeUndefined();
      }
    }
  });

  it("list and answer a client without the extension exactly as one with it, and as before but for the link", async () => {
    const plain = await harness(false);
    const apps = await harness(true);
    expect(JSON.stringify(plain.tools)).toBe(JSON.stringify(apps.tools));
    const before = TOOLS.map((spec) => toolDefinition({ ...spec, dashboard: undefined }));
    expect(JSON.stringify(plain.tools.map(({ _meta, ...rest }) => rest))).toBe(JSON.stringify(before));
    for (const [name, args] of [
      ["triage_certificates", { zone_id: ZONE }],
      ["list_certificate_packs", { zone_id: ZONE, status: "all" }],
      ["delete_certificate_pack", { zone_id: ZONE, certificate_pack_id: PACK.expiring }],
    ] as const) {
      const a = await plain.call(name, args);
      const b = await apps.call(name, args);
      if (name === "delete_certificate_pack") {
        // Each plan's confirm value carries a nonce and its own expiry; the plan itself is the same.
        const plan = (r: CallToolResult) =>
          (r.structuredContent as { approval: { plan: string } }).approval.plan;
        expect(plan(a)).toBe(plan(b));
      } else {
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }
      expect(a._meta).toBeUndefined();
    }
  });
});
