// The only code that speaks to the Cloudflare API: base URL, auth, one deadline per call, bounded retries,
// the v4 envelope and typed errors. Bytes move through a sender (undici on Node, fetch on Workers).
import { abortableSleep, MAX_TIMER_MS } from "../lib/sleep.js";
import type { ApiRequest, ApiResponse, Credentials } from "./api.js";
import { describeBody, parseEnvelope, retryAfterMs } from "./envelope.js";
import {
  CloudflareApiError,
  MissingCredentialsError,
  TransportError,
  type TransportFailure,
} from "./errors.js";
import { type RateBudget, RateBudgetExhausted, type RateGate, RateLimiter } from "./rate-limit.js";
import { type IncomingAnswer, type Send, SendFailure } from "./sender.js";

export type { ApiRequest, ApiResponse, Credentials, Effect } from "./api.js";
export type { ResultInfo } from "./envelope.js";

export interface ClientOptions {
  baseUrl: string;
  credentials?: Credentials;
  send: Send;
  /** Each attempt's limit, connect to the last byte of the body. */
  timeoutMs: number;
  userAgent: string;
  /** Attempts per call, counting the first. */
  maxAttempts?: number;
  /** The longest the client waits in all for 429s and back-off within one call. */
  maxRetryWaitMs?: number;
  /** Waits before each retry (the last repeats); tests shorten them. */
  backoffMs?: number[];
  /** Larger answers are refused rather than read. */
  maxBodyBytes?: number;
  /** The caller's budget; or `rateBudget` for a limiter of this client's own. */
  limiter?: RateGate;
  rateBudget?: RateBudget | null;
  /** Told of every answer (for debug logs): never given headers or bodies, which may hold secrets. */
  onRequest?: (method: string, path: string, status: number, ms: number) => void;
  /** Hides this client's secrets in an answer's text before any of it is cut for an error message. */
  redact?: (text: string) => string;
}

const DEFAULT_BACKOFF_MS = [200, 800, 2000];

/** Why an attempt's controller was aborted. */
const TIMED_OUT = Symbol("timed out");

export class CloudflareClient {
  private readonly base: URL;
  private readonly limiter: RateGate | undefined;
  private readonly maxAttempts: number;
  private readonly maxRetryWaitMs: number;
  private readonly maxBodyBytes: number;

  constructor(private readonly options: ClientOptions) {
    this.base = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
    this.limiter = options.limiter ?? (options.rateBudget ? new RateLimiter(options.rateBudget) : undefined);
    this.maxAttempts = options.maxAttempts ?? 4;
    this.maxRetryWaitMs = Math.min(options.maxRetryWaitMs ?? 60_000, MAX_TIMER_MS);
    this.maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  }

  async request<T = unknown>(req: ApiRequest): Promise<ApiResponse<T>> {
    const credentials = this.options.credentials;
    if (!credentials) throw new MissingCredentialsError();
    const url = this.urlFor(req);
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": this.options.userAgent,
      ...("token" in credentials
        ? { authorization: `Bearer ${credentials.token}` }
        : { "x-auth-email": credentials.email, "x-auth-key": credentials.key }),
    };
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    if (body !== undefined) headers["content-type"] = "application/json";
    const repeatable = req.effect === "none";
    let waitedMs = 0;
    const cancelled = () => this.failure("cancelled", req, !repeatable, "the call was cancelled");
    // Every wait of the call comes out of one allowance: it can end sooner, never later.
    const wait = async (ms: number, reason: string) => {
      waitedMs += ms;
      req.onWait?.(ms, reason);
      await abortableSleep(ms, req.signal).catch(() => {
        throw cancelled();
      });
    };
    const affordable = (ms: number) => waitedMs + ms <= this.maxRetryWaitMs;

    for (let attempt = 1; ; attempt++) {
      const canRetry = attempt < this.maxAttempts;
      try {
        await this.limiter?.acquire(
          req.signal,
          req.onWait,
          req.noRateWait ? 0 : this.maxRetryWaitMs - waitedMs,
        );
      } catch (error) {
        if (error instanceof RateBudgetExhausted) throw error;
        throw cancelled();
      }
      const outcome = await this.attempt(req, url, headers, body);
      if (outcome.kind === "failed") {
        if (outcome.failure === "cancelled") throw cancelled();
        if (outcome.failure === "too_large")
          throw this.failure("too_large", req, !repeatable, outcome.detail);
        const harmless = repeatable || outcome.unreached;
        const backoff = this.backoff(attempt);
        if (harmless && canRetry && affordable(backoff)) {
          await wait(
            backoff,
            `retrying after ${outcome.failure === "timeout" ? "a timeout" : "a connection failure"}`,
          );
          continue;
        }
        throw this.failure(outcome.failure, req, !harmless, outcome.detail);
      }

      const { status, text, retryAfter } = outcome;
      if (status === 429) {
        // Cloudflare did not process a rate-limited request, so any request may be sent again.
        const ms = retryAfter ?? this.backoff(attempt);
        if (canRetry && affordable(ms) && !req.noRateWait) {
          await wait(ms, "Cloudflare rate limit (HTTP 429)");
          continue;
        }
        throw new CloudflareApiError(
          429,
          parseEnvelope(text)?.errors ?? [],
          req.method,
          req.path,
          retryAfter === undefined ? undefined : Math.ceil(retryAfter / 1000),
        );
      }
      if (status >= 300 && status < 400) {
        throw this.failure(
          "redirected",
          req,
          !repeatable,
          `Cloudflare answered a redirect (HTTP ${status}), which the API never does`,
          status,
        );
      }
      const envelope = parseEnvelope(text);
      if ((status >= 500 || !envelope) && repeatable && canRetry && affordable(this.backoff(attempt))) {
        await wait(
          this.backoff(attempt),
          envelope ? `retrying after HTTP ${status}` : "retrying after an unreadable answer",
        );
        continue;
      }
      if (!envelope) {
        // A 4xx page (a proxy's refusal) means not processed; a 2xx or 5xx with a broken body may have been.
        const rejected = status >= 400 && status < 500;
        throw this.failure(
          "invalid_body",
          req,
          !repeatable && !rejected,
          describeBody(this.options.redact?.(text) ?? text, status),
          status,
        );
      }
      if (envelope.success !== true || status >= 400) {
        throw new CloudflareApiError(status, envelope.errors, req.method, req.path);
      }
      return {
        status,
        bytes: text.length,
        result: envelope.result as T,
        ...(envelope.result_info ? { resultInfo: envelope.result_info } : {}),
        messages: envelope.messages,
      };
    }
  }

  /**
   * One attempt under its own deadline: a referenced timer and a controller, cleared in `finally`, covering
   * connect, headers and every byte of the body, so neither a trickled body nor a lost timer can stretch it.
   */
  private async attempt(
    req: ApiRequest,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<
    | { kind: "answered"; status: number; text: string; retryAfter: number | undefined }
    | { kind: "failed"; failure: TransportFailure; detail: string; unreached: boolean }
  > {
    if (req.signal?.aborted) return { kind: "failed", failure: "cancelled", detail: "", unreached: true };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMED_OUT), this.options.timeoutMs);
    const onCancel = () => controller.abort(req.signal?.reason);
    req.signal?.addEventListener("abort", onCancel, { once: true });
    const started = performance.now();
    let answer: IncomingAnswer | undefined;
    try {
      answer = await this.options.send({ method: req.method, url, headers, body, signal: controller.signal });
      const text = await this.readCapped(answer);
      if (text === undefined) {
        return {
          kind: "failed",
          failure: "too_large",
          detail: `the answer is larger than ${this.maxBodyBytes} bytes and was not read`,
          unreached: false,
        };
      }
      this.limiter?.observe(answer.header("ratelimit"));
      this.options.onRequest?.(req.method, req.path, answer.status, Math.round(performance.now() - started));
      return {
        kind: "answered",
        status: answer.status,
        text,
        retryAfter: retryAfterMs(answer.header("retry-after"), answer.header("ratelimit"), Date.now()),
      };
    } catch (error) {
      answer?.discard();
      if (req.signal?.aborted) return { kind: "failed", failure: "cancelled", detail: "", unreached: false };
      if (controller.signal.reason === TIMED_OUT) {
        return {
          kind: "failed",
          failure: "timeout",
          detail: `no answer within ${this.options.timeoutMs} ms`,
          unreached: false,
        };
      }
      const unreached = error instanceof SendFailure && error.kind === "unreached";
      const code = error instanceof SendFailure ? error.code : String((error as Error)?.message ?? error);
      return { kind: "failed", failure: "network", detail: `connection failed (${code})`, unreached };
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener("abort", onCancel);
    }
  }

  /** The body as text, or `undefined` when it is over the cap (the rest is not read). */
  private async readCapped(answer: IncomingAnswer): Promise<string | undefined> {
    const decoder = new TextDecoder();
    let size = 0;
    let text = "";
    for await (const chunk of answer.body) {
      size += chunk.byteLength;
      if (size > this.maxBodyBytes) {
        answer.discard();
        return undefined;
      }
      text += decoder.decode(chunk, { stream: true });
    }
    return text + decoder.decode();
  }

  private urlFor(req: ApiRequest): string {
    const url = new URL(req.path.replace(/^\//, ""), this.base);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.href;
  }

  private backoff(attempt: number): number {
    const schedule = this.options.backoffMs ?? DEFAULT_BACKOFF_MS;
    return schedule[Math.min(attempt - 1, schedule.length - 1)] as number;
  }

  private failure(
    failure: TransportFailure,
    req: ApiRequest,
    mayHaveTakenEffect: boolean,
    detail: string,
    status?: number,
  ): TransportError {
    return new TransportError(failure, req.method, req.path, mayHaveTakenEffect, detail, status);
  }
}
