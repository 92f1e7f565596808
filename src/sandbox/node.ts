// The sandbox behind node:http on loopback, for `--sandbox`: the server's client reaches it over a real
// socket, as it reaches the API. The only file of the sandbox that needs Node.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Sandbox } from "./handler.js";

export interface SandboxServer {
  /** Base URL to give the client, with the base path. */
  url: string;
  close(): Promise<void>;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// Framing belongs to the socket the request came on, not to the Request built from it.
const FRAMING = new Set(["connection", "content-length", "host", "keep-alive", "transfer-encoding"]);

/** The web Request for a Node request whose body has been read; `url` may be rewritten by the caller. */
export function requestFrom(req: IncomingMessage, body: string, url?: URL): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || FRAMING.has(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const method = req.method ?? "GET";
  return new Request(url ?? new URL(req.url ?? "/", "http://127.0.0.1"), {
    method,
    headers,
    ...(method === "GET" || method === "HEAD" ? {} : { body }),
  });
}

export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const text = await response.text();
  res.writeHead(response.status, {
    ...Object.fromEntries(response.headers),
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export async function startSandboxServer(
  sandbox: Sandbox,
  options: { host?: string; port?: number } = {},
): Promise<SandboxServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => sandbox.handle(requestFrom(req, body)))
      .then((response) => writeResponse(res, response))
      .catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${sandbox.basePath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
