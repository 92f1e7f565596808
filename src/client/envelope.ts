// Cloudflare's v4 envelope, and what to say about an answer that is not one.
import type { ApiMessage } from "./errors.js";

export interface ResultInfo {
  page?: number;
  per_page?: number;
  count?: number;
  total_count?: number;
  total_pages?: number;
}

export interface Envelope {
  success?: unknown;
  errors: ApiMessage[];
  messages: ApiMessage[];
  result?: unknown;
  result_info?: ResultInfo;
}

/** The most API messages kept from one answer; a hostile answer may carry 100,000. */
const MAX_MESSAGES = 50;

export function parseEnvelope(text: string): Envelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, "success"))
    return undefined;
  const raw = value as Record<string, unknown>;
  return {
    success: raw.success,
    errors: messages(raw.errors),
    messages: messages(raw.messages),
    result: raw.result,
    ...(raw.result_info && typeof raw.result_info === "object"
      ? { result_info: raw.result_info as ResultInfo }
      : {}),
  };
}

function messages(value: unknown): ApiMessage[] {
  if (!Array.isArray(value)) return [];
  const kept = value
    .slice(0, MAX_MESSAGES)
    .filter((m): m is Record<string, unknown> => m !== null && typeof m === "object")
    .map((m) => ({ code: Number(m.code) || 0, message: String(m.message ?? "") }));
  if (value.length > MAX_MESSAGES) {
    kept.push({ code: 0, message: `(${value.length - MAX_MESSAGES} more left out)` });
  }
  return kept;
}

/**
 * A short account of an answer that is not the envelope: what it is, never its markup, at most 200
 * characters of its text.
 */
export function describeBody(text: string, status: number): string {
  if (text.trim().length === 0) return "an empty answer where JSON was expected";
  if (/^\s*</.test(text)) {
    const title = /<title[^>]*>([^<]{0,200})/i.exec(text)?.[1]?.replace(/\s+/g, " ").trim();
    const source =
      status >= 500 || status === 403 || status === 429 ? "Cloudflare's edge" : "a server in between";
    return `an HTML page from ${source} where JSON was expected${title ? `: ${clip(title)}` : ""}`;
  }
  return `an answer that is not Cloudflare's JSON envelope: ${clip(text.replace(/\s+/g, " ").trim())}`;
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Milliseconds to wait from `retry-after` (seconds or a date), else from `Ratelimit`'s `t=`. */
export function retryAfterMs(
  retryAfter: string | undefined,
  ratelimit: string | undefined,
  now: number,
): number | undefined {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = ratelimit ? /(?:^|;)\s*t=(\d+)/.exec(ratelimit)?.[1] : undefined;
  return reset === undefined ? undefined : Number(reset) * 1000;
}
