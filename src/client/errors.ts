// Typed failures of the Cloudflare client. They carry facts; src/core/present.ts turns them into tool results.

export interface ApiMessage {
  code: number;
  message: string;
}

/** Cloudflare answered, and the answer is a failure (`success: false`, a 4xx or 5xx status). */
export class CloudflareApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiMessage[],
    readonly method: string,
    readonly path: string,
    /** Seconds Cloudflare asked us to wait (429), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(
      `Cloudflare answered HTTP ${status}${errors.length ? `: ${errors.map((e) => `${e.code} ${e.message}`).join("; ")}` : ""}`,
    );
    this.name = "CloudflareApiError";
  }

  hasCode(...codes: number[]): boolean {
    return this.errors.some((e) => codes.includes(e.code));
  }
}

export type TransportFailure =
  | "timeout" // no complete answer within the per-request timeout
  | "network" // connection refused, reset or dropped
  | "invalid_body" // an answer that is not the JSON envelope (an HTML error page, truncated JSON)
  | "too_large" // an answer over the size we read
  | "redirected" // a 3xx, which the API never answers: not followed, and not a success
  | "cancelled"; // the MCP client cancelled the call

/** No usable answer. `mayHaveTakenEffect` says whether Cloudflare could have acted on the request anyway. */
export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    readonly method: string,
    readonly path: string,
    readonly mayHaveTakenEffect: boolean,
    detail: string,
    readonly status?: number,
  ) {
    super(detail);
    this.name = "TransportError";
  }
}

export class MissingCredentialsError extends Error {
  constructor() {
    super("No Cloudflare credentials are configured");
    this.name = "MissingCredentialsError";
  }
}
