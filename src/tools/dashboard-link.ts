// The address of the certificate dashboard (an MCP App, extension io.modelcontextprotocol/ui) and the link a
// tool definition carries to it. Hosts that render apps open the view beside the tool's result; others
// ignore `_meta` and see the same text and structured result as before.

export const DASHBOARD_URI = "ui://cloudflare-ssl/dashboard.html";
export const MCP_APP_MIME_TYPE = "text/html;profile=mcp-app";
export const MCP_APPS_EXTENSION = "io.modelcontextprotocol/ui";

/** `_meta` of a tool whose result the dashboard shows: the current key and the flat key older hosts read. */
export const DASHBOARD_TOOL_META = {
  ui: { resourceUri: DASHBOARD_URI },
  "ui/resourceUri": DASHBOARD_URI,
} as const;
