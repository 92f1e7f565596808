// The only code that speaks HTTP: base URL, auth, one keep-alive pool, timeouts, bounded retries, the v4
// envelope and typed errors.
import type { Agent } from "undici";
import { abortableSleep } from "../util/sleep.js";
import { type ApiMessage, CloudflareApiError, MissingCredentialsError, TransportError } from "./errors.js";
import { type RateBudget, RateLimiter } from "./rate-limit.js";

export type Credentials = { token: string } | { email: string; key: string };

export interface ResultInfo {
  page?: number;
  per_page?: number;
  count?: number;
  total_count?: number;
  total_pages?: number;
}

export interface ApiRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path below the base URL, already expanded and encoded, starting with `/`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Told before every wait (rate budget, 429), so the caller can show progress. */
  onWait?: (ms: number, reason: string) => void;
}

export interface ApiResponse<T = unknown> {
  status: number;
  result: T;
  resultInfo?: ResultInfo;
  messages: ApiMessage[];
}

export interface ClientOptions {
  baseUrl: string;
  credentials?: Credentials;
  timeoutMs: number;
  userAgent: string;
  /** Attempts per call, counting the first. */
  maxAttempts?: number;
  /** The longest the client waits in all for 429s and back-off within one call. */
  maxRetryWaitMs?: number;
  /** Waits before each retry of a failed GET (the last repeats); tests shorten them. */
  backoffMs?: number[];
  /** Larger answers are refused rather than read. */
  maxBodyBytes?: number;
  rateBudget?: RateBudget | null;
  /** Connection pool settings; tests shorten the keep-alive. */
  keepAliveTimeoutMs?: number;
  /** Told of every answer (for debug logs): never given headers or bodies, which may hold secrets. */
  onRequest?: (method: string, path: string, status: number, ms: number) => void;
}

const DEFAULT_BACKOFF_MS = [200, 800, 2000];

/**
 * undici is half of the bundle and is not needed to start or to list tools: it is loaded with the first
 * request, which keeps the IDE's wait for the server short (see BENCHMARKS.md).
 */
let undici: Promise<typeof import("undici")> | undefined;
const loadUndici = () => {
  undici ??= import("undici");
  return undici;
};

export class CloudflareClient {
  private agent: Agent | undefined;
  private readonly limiter: RateLimiter | undefined;
  private readonly base: URL;
  private readonly maxAttempts: number;
  private readonly maxRetryWaitMs: number;
  private readonly maxBodyBytes: number;

  constructor(private readonly options: ClientOptions) {
    this.base = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
    this.limiter = options.rateBudget ? new RateLimiter(options.rateBudget) : undefined;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 60_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  }

  /** Lets requests in flight finish, then closes the pool. */
  async close(): Promise<void> {
    await this.agent?.close();
  }

  /** Aborts requests in flight and closes the pool (the client has gone). */
  async destroy(): Promise<void> {
    await this.agent?.destroy();
  }

  private async pool(): Promise<{ agent: Agent; request: typeof import("undici")["request"] }> {
    const { Agent, request } = await loadUndici();
    this.agent ??= new Agent({
      keepAliveTimeout: this.options.keepAliveTimeoutMs ?? 30_000,
      connections: 16,
      connect: { timeout: Math.min(this.options.timeoutMs, 10_000) },
    });
    return { agent: this.agent, request };
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
    let body: string | undefined;
    if (req.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(req.body);
    }
    // Only a GET is safe to send again after a failure that Cloudflare may have acted on.
    const safeToRepeat = req.method === "GET";
    let waitedMs = 0;

    for (let attempt = 1; ; attempt++) {
      const canRetry = attempt < this.maxAttempts;
      const wait = async (ms: number, reason: string) => {
        waitedMs += ms;
        req.onWait?.(ms, reason);
        await abortableSleep(ms, req.signal).catch(() => {
          throw this.cancelled(req, false);
        });
      };
      try {
        await this.limiter?.acquire(req.signal, req.onWait);
      } catch {
        throw this.cancelled(req, false);
      }

      let status: number;
      let text: string;
      let retryAfterMs: number | undefined;
      const started = performance.now();
      try {
        const signal = req.signal
          ? AbortSignal.any([req.signal, AbortSignal.timeout(this.options.timeoutMs)])
          : AbortSignal.timeout(this.options.timeoutMs);
        const { agent, request } = await this.pool();
        const res = await request(url, {
          method: req.method,
          headers,
          body,
          signal,
          dispatcher: agent,
          headersTimeout: this.options.timeoutMs,
          bodyTimeout: this.options.timeoutMs,
        });
        status = res.statusCode;
        const ratelimit = header(res.headers, "ratelimit");
        this.limiter?.observe(ratelimit);
        retryAfterMs = retryAfter(header(res.headers, "retry-after"), ratelimit);
        text = await this.readCapped(res.body, req);
        this.options.onRequest?.(req.method, req.path, status, Math.round(performance.now() - started));
      } catch (error) {
        if (error instanceof TransportError && error.failure === "too_large") throw error;
        if (req.signal?.aborted) throw this.cancelled(req, !safeToRepeat);
        const failure = isTimeout(error) ? "timeout" : "network";
        const neverConnected = isConnectFailure(error);
        if ((safeToRepeat || neverConnected) && canRetry && this.fits(waitedMs, this.backoff(attempt))) {
          await wait(
            this.backoff(attempt),
            `retrying after ${failure === "timeout" ? "a timeout" : "a connection failure"}`,
          );
          continue;
        }
        throw new TransportError(
          failure,
          req.method,
          req.path,
          !safeToRepeat && !neverConnected,
          failure === "timeout"
            ? `no answer within ${this.options.timeoutMs} ms`
            : `connection failed (${errorCode(error)})`,
        );
      }

      if (status === 429) {
        // Cloudflare did not process a rate-limited request, so any method may be sent again.
        const ms = retryAfterMs ?? this.backoff(attempt);
        if (canRetry && this.fits(waitedMs, ms)) {
          await wait(ms, "Cloudflare rate limit (HTTP 429)");
          continue;
        }
        const envelope = parseEnvelope(text);
        throw new CloudflareApiError(
          429,
          envelope?.errors ?? [],
          req.method,
          req.path,
          retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
        );
      }

      const envelope = parseEnvelope(text);
      if (status >= 500 || !envelope) {
        if (safeToRepeat && canRetry && this.fits(waitedMs, this.backoff(attempt))) {
          await wait(
            this.backoff(attempt),
            envelope ? `retrying after HTTP ${status}` : "retrying after an unreadable answer",
          );
          continue;
        }
      }
      if (!envelope) {
        // A 4xx page (a proxy's refusal) means not processed; a 2xx or 5xx with a broken body may have been.
        const rejected = status >= 400 && status < 500;
        throw new TransportError(
          "invalid_body",
          req.method,
          req.path,
          !safeToRepeat && !rejected,
          describeBody(text),
          status,
        );
      }
      if (envelope.success !== true || status >= 400) {
        throw new CloudflareApiError(status, envelope.errors ?? [], req.method, req.path);
      }
      return {
        status,
        result: envelope.result as T,
        ...(envelope.result_info ? { resultInfo: envelope.result_info } : {}),
        messages: envelope.messages ?? [],
      };
    }
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

  private fits(waitedMs: number, nextMs: number): boolean {
    return waitedMs + nextMs <= this.maxRetryWaitMs;
  }

  private cancelled(req: ApiRequest, mayHaveTakenEffect: boolean): TransportError {
    return new TransportError(
      "cancelled",
      req.method,
      req.path,
      mayHaveTakenEffect,
      "the call was cancelled",
    );
  }

  private async readCapped(
    body: AsyncIterable<Buffer> & { destroy(): void },
    req: ApiRequest,
  ): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > this.maxBodyBytes) {
        body.destroy();
        throw new TransportError(
          "too_large",
          req.method,
          req.path,
          req.method !== "GET",
          `the answer is larger than ${this.maxBodyBytes} bytes and was not read`,
        );
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
  }
}

interface Envelope {
  success?: unknown;
  errors?: ApiMessage[];
  messages?: ApiMessage[];
  result?: unknown;
  result_info?: ResultInfo;
}

function parseEnvelope(text: string): Envelope | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value) || !("success" in value))
      return undefined;
    const envelope = value as Envelope;
    return {
      ...envelope,
      errors: messages(envelope.errors),
      messages: messages(envelope.messages),
    };
  } catch {
    return undefined;
  }
}

function messages(value: unknown): ApiMessage[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((m): m is Record<string, unknown> => m !== null && typeof m === "object")
    .map((m) => ({ code: Number(m.code) || 0, message: String(m.message ?? "") }));
}

function describeBody(text: string): string {
  if (text.length === 0) return "an empty answer where JSON was expected";
  const snippet = text.replace(/\s+/g, " ").slice(0, 120);
  return /^\s*</.test(text)
    ? `an HTML page where JSON was expected (${snippet}…)`
    : `an answer that is not Cloudflare's JSON envelope (${snippet}${text.length > 120 ? "…" : ""})`;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Milliseconds to wait from `retry-after` (seconds or a date), else from `Ratelimit`'s `t=`. */
function retryAfter(retryAfterHeader: string | undefined, ratelimit: string | undefined): number | undefined {
  if (retryAfterHeader) {
    const seconds = Number(retryAfterHeader);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfterHeader);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  const reset = ratelimit ? /(?:^|;)\s*t=(\d+)/.exec(ratelimit)?.[1] : undefined;
  return reset === undefined ? undefined : Number(reset) * 1000;
}

function errorCode(error: unknown): string {
  const e = error as { code?: string; cause?: { code?: string }; message?: string };
  return e?.code ?? e?.cause?.code ?? e?.message ?? "unknown error";
}

function isTimeout(error: unknown): boolean {
  const code = errorCode(error);
  const name = (error as { name?: string })?.name;
  return (
    name === "TimeoutError" ||
    code === "UND_ERR_HEADERS_TIMEOUT" ||
    code === "UND_ERR_BODY_TIMEOUT" ||
    code === "UND_ERR_CONNECT_TIMEOUT"
  );
}

/** A request that never reached a server cannot have taken effect. */
function isConnectFailure(error: unknown): boolean {
  return ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"].includes(errorCode(error));
}
