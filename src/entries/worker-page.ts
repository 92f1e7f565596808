// The Worker's landing page: what a person opening the deployment's URL in a browser needs — what this is,
// the sandbox to try with a config for each client, how to connect with a token or by signing in, and what
// the server will and will not do. Styled inline; its CSP allows only its own style and script, by hash.
import { NAME, VERSION } from "../version.js";
import { PAGE_SCRIPT, PAGE_STYLE, pagePolicy } from "./worker-page-assets.js";

export interface PageFacts {
  sandbox: boolean;
  readOnly: boolean;
  /** Whether approvals are signed with the deployment's APPROVAL_KEY rather than a key of each instance. */
  sharedApprovals: boolean;
  /** Whether chat apps can sign in (OAUTH_ENABLED); unless so, the page does not speak of it. */
  signIn?: boolean;
  /** A setting that stops the MCP endpoints from serving, said plainly (no secret is ever in it). */
  problem?: string;
}

const DOCS = "https://github.com/cloudflare-ssl-mcp/cloudflare-ssl-mcp#readme";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One client's config: a label, the text to copy, and a button that copies it. */
function snippet(id: string, label: string, text: string): string {
  return `<div class="snippet"><div class="snippet-head"><p>${label}</p><button type="button" class="copy" data-copy="${id}" aria-label="Copy: ${escapeHtml(label)}">Copy</button></div><pre><code id="${id}">${escapeHtml(text)}</code></pre></div>`;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);
/** A client config's reference to a variable or input, written out literally: `${name}`. */
const placeholder = (name: string) => `\${${name}}`;

/** A config for each client, for the endpoint at `url`; `token` adds the Authorization header. */
function clientConfigs(prefix: string, name: string, url: string, token: boolean): string {
  const header = token ? { Authorization: `Bearer ${placeholder("env:CLOUDFLARE_API_TOKEN")}` } : undefined;
  const clients: [string, string, string][] = [
    [
      "Claude Code",
      "Run in a terminal:",
      `claude mcp add --transport http ${name} ${url}${token ? ' --header "Authorization: Bearer $CLOUDFLARE_API_TOKEN"' : ""}`,
    ],
    [
      "Claude Desktop",
      "In claude_desktop_config.json (Settings → Developer → Edit Config):",
      json({
        mcpServers: {
          [name]: {
            command: "npx",
            // mcp-remote's own advice: the header's value from the environment, since some launchers split
            // arguments at spaces.
            args: [
              "-y",
              "mcp-remote",
              url,
              ...(token ? ["--header", `Authorization:${placeholder("AUTH_HEADER")}`] : []),
            ],
            ...(token ? { env: { AUTH_HEADER: "Bearer your-token" } } : {}),
          },
        },
      }),
    ],
    [
      "VS Code",
      "In .vscode/mcp.json:",
      json({
        ...(token
          ? {
              inputs: [
                {
                  type: "promptString",
                  id: "cloudflare-token",
                  description: "Cloudflare API token",
                  password: true,
                },
              ],
            }
          : {}),
        servers: {
          [name]: {
            type: "http",
            url,
            ...(token
              ? { headers: { Authorization: `Bearer ${placeholder("input:cloudflare-token")}` } }
              : {}),
          },
        },
      }),
    ],
    [
      "Cursor",
      "In ~/.cursor/mcp.json:",
      json({ mcpServers: { [name]: { url, ...(header ? { headers: header } : {}) } } }),
    ],
  ];
  return clients
    .map(
      ([client, where, text], i) =>
        `<details${i === 0 ? " open" : ""}><summary>${client}</summary>${snippet(`${prefix}-${i}`, where, text)}</details>`,
    )
    .join("\n");
}

function body(origin: string, facts: PageFacts): string {
  const problem = facts.problem
    ? `<p class="problem" role="alert"><strong>This deployment is misconfigured and does not serve MCP requests:</strong> ${escapeHtml(facts.problem)}</p>`
    : "";
  const sandbox = facts.sandbox
    ? `<h2 id="try">Try it on the sandbox</h2>
<p>The sandbox is a make-believe Cloudflare account with zones and certificates that need care: no account, no token, nothing reaches Cloudflare. Its state lives in one Worker instance and may be reset at any time.</p>
${clientConfigs("sandbox", "cloudflare-ssl-sandbox", `${origin}/sandbox/mcp`, false)}
<details><summary>A chat app (custom connector)</summary><div class="snippet"><p>Add a custom connector (in Claude: Settings → Connectors → Add custom connector) with this URL; it needs no sign-in.</p>${snippet("sandbox-chat", "Connector URL:", `${origin}/sandbox/mcp`)}</div></details>
<p class="muted">Then ask, for example: “Triage the certificates of example.com.” Hosts that show MCP Apps open a certificate dashboard beside the answer.</p>`
    : "";
  const signIn = facts.signIn
    ? `<h3>From a chat app: sign in</h3>
<p>Add a custom connector with the URL <code>${origin}/mcp</code> and choose Connect. This deployment's consent page asks for your Cloudflare API token once; the app receives an access token of its own and never holds yours, and the deployment keeps it only inside that connection's grant, encrypted. Choose <em>Read only</em> there to allow reads only.</p>`
    : `<p class="muted">Chat apps that can only sign in (custom connectors) need this deployment's sign-in turned on by its operator; see the docs.</p>`;
  const approvals = facts.sharedApprovals
    ? ""
    : "<p>Approvals of destructive actions are signed with a key of each Worker instance: an approval obtained from one instance can fail on another, and the tool then returns a fresh plan to approve.</p>";
  return `<main>
<header><h1>${NAME} <span class="version">${escapeHtml(VERSION)}</span></h1>
<p class="lede">An MCP server that lets AI assistants look after the SSL/TLS certificates of your Cloudflare zones: certificate packs, Advanced Certificate Manager orders, validation, Universal SSL, Automatic SSL/TLS, analysis and custom certificate priority. It reads your zone, says what is wrong and what to publish, and changes nothing destructive without your approval.</p></header>
${problem}
${sandbox}
<h2 id="connect">Connect to your zones</h2>
<p>Send your own Cloudflare API token on every request as <code>Authorization: Bearer &lt;token&gt;</code> (permissions: <em>Zone · SSL and Certificates · Read</em>, plus <em>Edit</em> to make changes, and <em>Zone · Zone · Read</em>). It is used for that request's calls to Cloudflare only and is never stored. A token restricted to client IP addresses does not work here: Workers do not call out from fixed addresses.</p>
${clientConfigs("token", "cloudflare-ssl", `${origin}/mcp`, true)}
${signIn}
<h3>Endpoints (Streamable HTTP)</h3>
<table><tbody>
<tr><td><code>POST ${origin}/mcp</code></td><td>${facts.readOnly ? "read tools only (this deployment is read-only)" : "every tool your token allows"}.</td></tr>
<tr><td><code>POST ${origin}/mcp/readonly</code></td><td>read tools only (the header <code>X-MCP-Readonly: true</code> does the same on <code>/mcp</code>).</td></tr>
${facts.sandbox ? `<tr><td><code>POST ${origin}/sandbox/mcp</code></td><td>the sandbox: made-up zones, no token.</td></tr>` : ""}
</tbody></table>
<h2 id="promises">What it will and will not do</h2>
<div class="grid">
<div class="card"><h3>It will</h3><ul class="will">
<li>Read packs, validation, Universal SSL and quota, and triage them by severity with the records to publish.</li>
<li>Order packs, restart validation and change the validation method when asked.</li>
<li>Show the plan of a destructive change (deleting a pack, turning Universal SSL off, re-prioritising certificates) and act only once you approve that plan.</li>
</ul></div>
<div class="card"><h3>It will not</h3><ul class="wont">
<li>Delete or disable anything without an approval bound to that plan and to the zone as it was read.</li>
<li>Send a change twice on its own: a request that may have taken effect is never retried.</li>
<li>Widen access: the read-only endpoint and header only narrow what a token may do.</li>
<li>Store your token, log it, or call anything but the Cloudflare API.</li>
</ul></div>
</div>
${approvals}
<footer><a href="${DOCS}">Documentation</a> · ${NAME} ${escapeHtml(VERSION)} · MIT licence</footer>
</main>`;
}

export async function landingPage(request: Request, facts: PageFacts): Promise<Response> {
  const origin = escapeHtml(new URL(request.url).origin);
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${NAME}: Cloudflare SSL/TLS for AI assistants</title><style>${PAGE_STYLE}</style></head>
<body>
${body(origin, facts)}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
  return new Response(request.method === "HEAD" ? null : html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": await pagePolicy(),
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    },
  });
}
