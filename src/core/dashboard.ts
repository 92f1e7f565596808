// Serves the certificate dashboard, an MCP App (extension io.modelcontextprotocol/ui): one ui:// resource,
// listed and read like any other. Its HTML is built from src/view by the build and imported here, so it
// travels inside the bundle on Node and on Workers alike; it loads with the first read, not at start-up.
import { ProtocolError, ProtocolErrorCode, type Server } from "@modelcontextprotocol/server";
import { DASHBOARD_URI, MCP_APP_MIME_TYPE } from "../tools/dashboard-link.js";

/** The view loads nothing from any origin and opens no connection: the host's CSP may allow no domain. */
const RESOURCE_META = {
  ui: {
    csp: { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] },
    permissions: { clipboardWrite: {} },
    prefersBorder: true,
  },
};

const RESOURCE = {
  uri: DASHBOARD_URI,
  name: "certificate-dashboard",
  title: "Certificate dashboard",
  description: "A zone's certificate packs, expiry timeline, findings and validation records, with actions.",
  mimeType: MCP_APP_MIME_TYPE,
  _meta: RESOURCE_META,
};

export function serveDashboard(server: Server): void {
  server.setRequestHandler("resources/list", () => ({ resources: [RESOURCE] }));
  server.setRequestHandler("resources/read", async (request) => {
    if (request.params.uri !== DASHBOARD_URI) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown resource ${request.params.uri}: resources/list names the one this server has`,
      );
    }
    const { default: dashboard } = await import("../view/generated-page.json", {
      with: { type: "json" },
    });
    return {
      contents: [
        { uri: DASHBOARD_URI, mimeType: MCP_APP_MIME_TYPE, text: dashboard.html, _meta: RESOURCE_META },
      ],
    };
  });
}
