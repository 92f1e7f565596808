// node:http to the app and back, without a web Request until MCP needs one. The request's URL is this
// server's own origin and the path of the request target: the Host header is passed on as a header to be
// checked, never used to build the URL (a Host of `127.0.0.1:8787/mcp?` must not turn /mcp/readonly into
// /mcp). The body is handed over unread, so the app can refuse a request (busy, no token) before a byte of
// it is taken in.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BodyReader, Inbound } from "../core/http-app.js";

export function inboundFromNode(req: IncomingMessage, origin: string, signal: AbortSignal): Inbound {
  const method = req.method ?? "GET";
  const url = `${origin}${targetOf(req.url ?? "/")}`;
  return {
    method,
    url,
    signal,
    // Repeated values joined, as a web Request's headers give them: two Authorization headers are one
    // malformed value, never the first of them.
    header: (name) => req.headersDistinct[name]?.join(", ") ?? null,
    body: () => (method === "GET" || method === "HEAD" ? null : bodyOf(req)),
    forMcp: (deadline) => {
      const headers = new Headers();
      const raw = req.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
      return new Request(url, { method, headers, ...(deadline && { signal: deadline }) });
    },
  };
}

/** A plain origin-form target (`/mcp`, `/mcp/readonly?x=1`) is used as it is; anything else is resolved. */
const PLAIN_TARGET = /^\/(?![/\\])[^\\#]*$/;

/** The path and query of a request target, never its host: `//evil/mcp` is a path here, not an authority. */
export function targetOf(url: string): string {
  if (PLAIN_TARGET.test(url)) return url;
  const target = new URL(url, "http://target.invalid");
  return `${target.pathname}${target.search}`;
}

/**
 * The body, read only as fast as the app asks. Cancelling (the app refused the request midway) discards the
 * rest instead of tearing down the connection: the answer still gets out, and an answer marked
 * `connection: close` ends the connection after it.
 */
function bodyOf(req: IncomingMessage): BodyReader {
  return {
    read: () =>
      new Promise((resolve, reject) => {
        if (req.readableEnded) {
          resolve({ done: true });
          return;
        }
        const settle = () => {
          req.off("readable", pull);
          req.off("end", ended);
          req.off("error", failed);
          req.off("close", closed);
        };
        const pull = () => {
          const chunk: Buffer | null = req.read();
          if (chunk === null) return;
          settle();
          resolve({ done: false, value: chunk });
        };
        const ended = () => {
          settle();
          resolve({ done: true });
        };
        const failed = (error: Error) => {
          settle();
          reject(error);
        };
        const closed = () => {
          settle();
          if (req.complete) resolve({ done: true });
          else reject(new Error("the client closed the connection before the body ended"));
        };
        req.on("readable", pull);
        req.once("end", ended);
        req.once("error", failed);
        req.once("close", closed);
        pull();
      }),
    cancel: async () => {
      req.resume();
    },
  };
}

/** Writes the answer: a JSON one whole, in one write with its length; a stream with backpressure until the client leaves. */
export async function sendWebResponse(
  res: ServerResponse,
  response: Response,
  gone: AbortSignal,
): Promise<void> {
  const headers: Record<string, string | number> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  if (headers.connection === "close") res.shouldKeepAlive = false;
  if (response.body === null) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  if (!String(headers["content-type"] ?? "").includes("text/event-stream")) {
    // Already whole in memory: the text with its length goes out in one write, with no chunked framing. As a
    // string, Node joins it to the head and writes both in one write; a buffer would go out beside the head
    // in a gathered write, which costs more per answer.
    let whole: string;
    try {
      whole = await response.text();
    } catch {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("Internal server error.\n");
      return;
    }
    headers["content-length"] = Buffer.byteLength(whole);
    res.writeHead(response.status, headers);
    res.end(whole);
    return;
  }
  res.writeHead(response.status, headers);
  try {
    for await (const chunk of response.body) {
      if (gone.aborted) break;
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          res.once("drain", resolve);
          gone.addEventListener("abort", () => resolve(), { once: true });
        });
      }
    }
  } catch {
    // The stream failed midway: the client sees the answer end early.
  }
  res.end();
}
