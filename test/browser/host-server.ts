// A loopback web server for the host page: the page, its bundled AppBridge, and the view under the CSP the
// MCP Apps spec tells hosts to build from the resource's declared domains. It records every request it
// serves, so a test can tell that the view fetched nothing.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";

export interface DeclaredCsp {
  connectDomains?: string[];
  resourceDomains?: string[];
  frameDomains?: string[];
  baseUriDomains?: string[];
}

/** The view's CSP: nothing but inline code and data: images, plus only the domains the resource declares. */
export function viewCsp(declared: DeclaredCsp): string {
  const list = (domains: string[] | undefined, none = "'none'") => domains?.join(" ") || none;
  const resources = (declared.resourceDomains ?? []).join(" ");
  return [
    "default-src 'none'",
    `script-src 'unsafe-inline' ${resources}`.trim(),
    `style-src 'unsafe-inline' ${resources}`.trim(),
    `img-src data: ${resources}`.trim(),
    `font-src data: ${resources}`.trim(),
    `connect-src ${list(declared.connectDomains)}`,
    `frame-src ${list(declared.frameDomains)}`,
    `base-uri ${list(declared.baseUriDomains)}`,
    "object-src 'none'",
    "form-action 'none'",
  ].join("; ");
}

const HOST_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Test host</title>
<style>body{margin:0;background:#888}iframe{display:block;width:100%;border:0;height:400px}</style></head>
<body><script type="module" src="/host.js"></script></body></html>`;

let hostScript: Promise<string> | undefined;
function bundleHost(): Promise<string> {
  hostScript ??= build({
    entryPoints: [new URL("../browser/host-page.mjs", import.meta.url).pathname],
    bundle: true,
    write: false,
    platform: "browser",
    format: "esm",
    target: "es2022",
    logLevel: "silent",
  }).then((r) => r.outputFiles[0]?.text ?? "");
  return hostScript;
}

export async function startHostServer(view: { html: string; csp: DeclaredCsp }) {
  const script = await bundleHost();
  const served: string[] = [];
  const server: Server = createServer((request, response) => {
    served.push(request.url ?? "");
    if (request.url === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(HOST_PAGE);
    } else if (request.url === "/host.js") {
      response.writeHead(200, { "content-type": "text/javascript" }).end(script);
    } else if (request.url === "/view") {
      response
        .writeHead(200, {
          "content-type": "text/html; charset=utf-8",
          "content-security-policy": viewCsp(view.csp),
        })
        .end(view.html);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
