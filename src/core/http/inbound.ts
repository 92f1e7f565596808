// A request as the pipeline reads it: method, URL, single headers, a body read only on demand, and the
// signal of the client leaving. A web Request is one (the Worker); a runtime without one at hand (node:http)
// gives its own, so that nothing is built for a request the pipeline refuses, and the only web Request a
// call costs is the one MCP is handed: headers, no body, and the deadline's signal when MCP reads it.

/** The body's bytes as they arrive; `cancel` discards the rest without tearing the connection down. */
export interface BodyReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}

export interface Inbound {
  readonly method: string;
  /** This server's origin, then the request target's path and query. */
  readonly url: string;
  /** Aborted when the client leaves. */
  readonly signal: AbortSignal;
  /** A header's value (lower-case name), repeated values joined by ", " as Headers does; null when absent. */
  header(name: string): string | null;
  /** The body's reader, taken once; null when the request has none. */
  body(): BodyReader | null;
  /**
   * The request MCP is given: this one's URL and headers, no body, ended by `signal` when one is given (a
   * Request that follows a signal costs a controller and listeners of its own: none is given where unread).
   */
  forMcp(signal?: AbortSignal): Request;
}

export function inboundOf(request: Request): Inbound {
  return {
    method: request.method,
    url: request.url,
    signal: request.signal,
    header: (name) => request.headers.get(name),
    body: () => request.body?.getReader() ?? null,
    forMcp: (signal) =>
      new Request(request.url, { method: "POST", headers: request.headers, ...(signal && { signal }) }),
  };
}
