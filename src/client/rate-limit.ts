// Keeps each caller under Cloudflare's per-user budget (1,200 requests per 5 minutes by default). Going over
// blocks every call of the user's account, dashboard included, for five minutes, so waiting here is cheaper.
// Budgets belong to a credential: a server shared by many users keeps one per credential, never one for all.
import { abortableSleep } from "../lib/sleep.js";

export interface RateBudget {
  requests: number;
  windowMs: number;
}

/** A wait the limiter would need that the call cannot afford: it fails now, saying when to retry. */
export class RateBudgetExhausted extends Error {
  override name = "RateBudgetExhausted";
  constructor(
    readonly waitMs: number,
    readonly reason: string,
  ) {
    super(`${reason}: the next request fits in ${Math.ceil(waitMs / 1000)} s`);
  }
}

export class RateLimiter {
  private readonly sent: number[] = [];
  private blockedUntil = 0;

  constructor(
    private readonly budget: RateBudget,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  ) {}

  /**
   * Resolves when one more request fits the budget; says how long it waits, when it waits. A wait longer
   * than `maxWaitMs` (what is left of the call's deadline) is refused at once rather than slept through.
   */
  async acquire(
    signal: AbortSignal | undefined,
    onWait?: (ms: number, reason: string) => void,
    maxWaitMs = Number.POSITIVE_INFINITY,
  ): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.sent.length > 0 && (this.sent[0] as number) <= now - this.budget.windowMs)
        this.sent.shift();
      let waitMs = 0;
      let reason = "";
      if (this.blockedUntil > now) {
        waitMs = this.blockedUntil - now;
        reason = "Cloudflare's Ratelimit header says the budget is spent";
      } else if (this.sent.length >= this.budget.requests) {
        waitMs = (this.sent[0] as number) + this.budget.windowMs - now;
        reason = `keeping under ${this.budget.requests} requests per ${this.budget.windowMs / 1000} s`;
      }
      if (waitMs <= 0) {
        this.sent.push(now);
        return;
      }
      if (waitMs > maxWaitMs) throw new RateBudgetExhausted(waitMs, reason);
      onWait?.(waitMs, reason);
      await this.sleep(waitMs, signal);
    }
  }

  /** Reads `Ratelimit: "default";r=<remaining>;t=<seconds to reset>`: with nothing remaining, wait for the reset. */
  observe(header: string | undefined): void {
    if (!header) return;
    const remaining = /(?:^|;)\s*r=(\d+)/.exec(header)?.[1];
    const reset = /(?:^|;)\s*t=(\d+)/.exec(header)?.[1];
    if (remaining === "0" && reset !== undefined) {
      this.blockedUntil = Math.max(this.blockedUntil, this.now() + Number(reset) * 1000);
    }
  }
}

/**
 * One limiter per credential, found by the credential's hash (never the credential itself), in a bounded
 * map: the least recently used budget goes first when a shared server has seen more callers than it keeps.
 */
export class RateBudgets {
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(
    private readonly budget: RateBudget | null,
    private readonly maxCallers = 1000,
  ) {}

  for(credentialHash: string): RateLimiter | undefined {
    if (!this.budget) return undefined;
    let limiter = this.limiters.get(credentialHash);
    if (limiter) {
      this.limiters.delete(credentialHash);
    } else {
      limiter = new RateLimiter(this.budget);
      if (this.limiters.size >= this.maxCallers) {
        const oldest = this.limiters.keys().next().value;
        if (oldest !== undefined) this.limiters.delete(oldest);
      }
    }
    this.limiters.set(credentialHash, limiter);
    return limiter;
  }
}
