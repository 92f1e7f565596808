// The Cloudflare Workers entry: the only Worker code that reads the environment. It answers the landing page
// itself and hands the MCP paths to the apps it is built with, so the HTTP rules live in one place for Node
// and Workers alike.
import { withOAuth } from "../oauth/worker.js";
import { NAME, VERSION } from "../version.js";

/** The Worker's vars (wrangler.jsonc). */
export interface WorkerEnv {
  /** Overrides the Cloudflare API base; only tests and local runs against a fake set it. */
  CLOUDFLARE_BASE_URL?: string;
  /** "false" turns off POST /sandbox/mcp. */
  SANDBOX_ENABLED?: string;
}

/** What serves MCP requests: the shape of the HTTP app in src/core. */
export interface McpApp {
  fetch(request: Request): Promise<Response>;
}

/** Builds the app for each family of paths, once per isolate (env does not change within one). */
export interface WorkerApps {
  /** POST /mcp and /mcp/readonly: the caller's own Cloudflare token on every request. */
  api(env: WorkerEnv): McpApp;
  /** POST /sandbox/mcp: the built-in sandbox, no token. */
  sandbox(env: WorkerEnv): McpApp;
}

const API_PATHS = new Set(["/mcp", "/mcp/readonly"]);
const SANDBOX_PATH = "/sandbox/mcp";

export function sandboxEnabled(env: WorkerEnv): boolean {
  return env.SANDBOX_ENABLED !== "false";
}

export function createWorker(apps: WorkerApps) {
  let api: McpApp | undefined;
  let sandbox: McpApp | undefined;
  return {
    async fetch(request: Request, env: WorkerEnv): Promise<Response> {
      const { pathname } = new URL(request.url);
      if (pathname === "/") {
        if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed("GET, HEAD");
        return landingPage(request, env);
      }
      if (API_PATHS.has(pathname)) {
        api ??= apps.api(env);
        return api.fetch(request);
      }
      if (pathname === SANDBOX_PATH && sandboxEnabled(env)) {
        sandbox ??= apps.sandbox(env);
        return sandbox.fetch(request);
      }
      return new Response(`Not found. The MCP endpoints are listed at /.\n`, {
        status: 404,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    },
  };
}

function methodNotAllowed(allow: string): Response {
  return new Response("Method not allowed.\n", {
    status: 405,
    headers: { allow, "content-type": "text/plain; charset=utf-8" },
  });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function landingPage(request: Request, env: WorkerEnv): Response {
  const origin = escapeHtml(new URL(request.url).origin);
  const sandbox = sandboxEnabled(env)
    ? `<li><code>POST ${origin}${SANDBOX_PATH}</code>: a sandbox with made-up zones and certificates; no token, nothing reaches Cloudflare. Its state lives in one Worker instance and may be dropped at any time.</li>`
    : "";
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${NAME}</title></head>
<body>
<h1>${NAME} ${escapeHtml(VERSION)}</h1>
<p>An MCP server for the SSL/TLS certificates of your Cloudflare zones: certificate packs, Advanced Certificate Manager orders, validation, Universal SSL, Automatic SSL/TLS, analysis and custom certificate priority.</p>
<h2>Endpoints (Streamable HTTP)</h2>
<ul>
<li><code>POST ${origin}/mcp</code>: every tool your token allows.</li>
<li><code>POST ${origin}/mcp/readonly</code>: read tools only (the header <code>X-MCP-Readonly: true</code> does the same on <code>/mcp</code>).</li>
${sandbox}
</ul>
<h2>Connect</h2>
<p>Send your own Cloudflare API token on every request as <code>Authorization: Bearer &lt;token&gt;</code>. It is used for that request's calls to Cloudflare only and is never stored. A token restricted to client IP addresses does not work here: Workers do not call out from fixed addresses.</p>
<pre>claude mcp add --transport http cloudflare-ssl ${origin}/mcp --header "Authorization: Bearer $CLOUDFLARE_API_TOKEN"</pre>
<p>Any MCP client that speaks Streamable HTTP and can send a header works the same way: the URL above and the <code>Authorization</code> header.</p>
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

/** Until the shared HTTP app is wired in, the MCP paths say so rather than pretend. */
const notWiredYet: McpApp = {
  fetch: async () =>
    new Response("Not implemented yet: this Worker does not serve MCP requests.\n", {
      status: 501,
      headers: { "content-type": "text/plain; charset=utf-8" },
    }),
};

// OAuth sign-in for chat apps wraps the whole Worker; it does nothing unless OAUTH_ENABLED is "true".
export default withOAuth(createWorker({ api: () => notWiredYet, sandbox: () => notWiredYet }));
