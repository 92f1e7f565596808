// What one request to the Cloudflare API is, and what its answer is, as the client takes and gives them.
import type { ResultInfo } from "./envelope.js";
import type { ApiMessage } from "./errors.js";

export type Credentials = { token: string } | { email: string; key: string };

/**
 * What a request can do on Cloudflare's side, stated by the tool that sends it. `none`: it changes nothing,
 * so a failed attempt is retried and a failure never "may have been applied". `changes`: it may take effect
 * even when the answer is lost, so it is sent once and never again on its own.
 */
export type Effect = "none" | "changes";

export interface ApiRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path below the base URL, already expanded and encoded, starting with `/`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  effect: Effect;
  signal?: AbortSignal;
  /** Told before every wait (rate budget, 429, back-off), so the caller can show progress. */
  onWait?: (ms: number, reason: string) => void;
  /**
   * Fail at once (RateBudgetExhausted, or the 429) where the rate budget or a 429 would make the call wait:
   * for work that stops and hands back a continuation rather than sleep out a rate window.
   */
  noRateWait?: boolean;
}

export interface ApiResponse<T = unknown> {
  status: number;
  /** Characters of the answer's body, for callers that bound what they keep across pages. */
  bytes: number;
  result: T;
  resultInfo?: ResultInfo;
  messages: ApiMessage[];
}
