// The Worker's landing page: what a person opening the deployment's URL in a browser needs to connect.
import { NAME, VERSION } from "../version.js";

export interface PageFacts {
  sandbox: boolean;
  readOnly: boolean;
  /** Whether approvals are signed with the deployment's APPROVAL_KEY rather than a key of each instance. */
  sharedApprovals: boolean;
  /** A setting that stops the MCP endpoints from serving, said plainly (no secret is ever in it). */
  problem?: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function landingPage(request: Request, facts: PageFacts): Response {
  const origin = escapeHtml(new URL(request.url).origin);
  const problem = facts.problem
    ? `<p><strong>This deployment is misconfigured and does not serve MCP requests:</strong> ${escapeHtml(facts.problem)}</p>`
    : "";
  const all = facts.readOnly
    ? "read tools only (this deployment is read-only)"
    : "every tool your token allows";
  const sandbox = facts.sandbox
    ? `<li><code>POST ${origin}/sandbox/mcp</code>: a sandbox with made-up zones and certificates; no token, nothing reaches Cloudflare. Its state lives in one Worker instance and may be dropped at any time.</li>`
    : "";
  const approvals = facts.sharedApprovals
    ? ""
    : "<p>Approvals of destructive actions are signed with a key of each Worker instance: an approval obtained from one instance can fail on another, and the tool then returns a fresh plan to approve.</p>";
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${NAME}</title></head>
<body>
<h1>${NAME} ${escapeHtml(VERSION)}</h1>
${problem}
<p>An MCP server for the SSL/TLS certificates of your Cloudflare zones: certificate packs, Advanced Certificate Manager orders, validation, Universal SSL, Automatic SSL/TLS, analysis and custom certificate priority.</p>
<h2>Endpoints (Streamable HTTP)</h2>
<ul>
<li><code>POST ${origin}/mcp</code>: ${all}.</li>
<li><code>POST ${origin}/mcp/readonly</code>: read tools only (the header <code>X-MCP-Readonly: true</code> does the same on <code>/mcp</code>).</li>
${sandbox}
</ul>
<h2>Connect</h2>
<p>Send your own Cloudflare API token on every request as <code>Authorization: Bearer &lt;token&gt;</code>. It is used for that request's calls to Cloudflare only and is never stored. A token restricted to client IP addresses does not work here: Workers do not call out from fixed addresses.</p>
<pre>claude mcp add --transport http cloudflare-ssl ${origin}/mcp --header "Authorization: Bearer $CLOUDFLARE_API_TOKEN"</pre>
<p>Any MCP client that speaks Streamable HTTP and can send a header works the same way: the URL above and the <code>Authorization</code> header.</p>
${approvals}
</body>
</html>
`;
  return new Response(request.method === "HEAD" ? null : html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    },
  });
}
