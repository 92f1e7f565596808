// The seam between the client and the runtime's HTTP stack: undici's keep-alive pool on Node, `fetch` on
// Workers. A sender moves one request and hands back the raw answer; retries, deadlines, the envelope and
// error mapping live above it, once, in the client.

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborted when the call's deadline passes or the caller cancels: the sender stops at once, body included. */
  signal: AbortSignal;
}

export interface IncomingAnswer {
  status: number;
  header(name: string): string | undefined;
  /** The body as it arrives; the client reads it with a size cap and may stop early. */
  body: AsyncIterable<Uint8Array>;
  /** Releases the connection when the body is not read to the end. */
  discard(): void;
}

export type Send = (request: OutgoingRequest) => Promise<IncomingAnswer>;

/**
 * How a send failed, as far as the sender can tell. `unreached`: no byte of the request left this machine
 * (refused, unresolved, connect timeout), so it cannot have taken effect; `broken`: anything later.
 */
export class SendFailure extends Error {
  override name = "SendFailure";
  constructor(
    readonly kind: "unreached" | "broken",
    readonly code: string,
  ) {
    super(code);
  }
}
