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
    /** The wait is this server's, not Cloudflare's: going on sooner harms no account. */
    readonly serverFull = false,
  ) {
    super(`${reason}: the next request fits in ${Math.ceil(waitMs / 1000)} s`);
  }
}

/** What the client needs of a budget: a turn before each request, and a look at each answer's header. */
export interface RateGate {
  acquire(
    signal: AbortSignal | undefined,
    onWait?: (ms: number, reason: string) => void,
    maxWaitMs?: number,
  ): Promise<void>;
  observe(header: string | undefined): void;
}

export class RateLimiter implements RateGate {
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

  /**
   * When this budget holds nothing any more (no send in the window, no block), so forgetting it erases
   * nothing; a time not past means it still matters.
   */
  idleAt(): number {
    const lastSent = this.sent[this.sent.length - 1];
    return Math.max(this.blockedUntil, lastSent === undefined ? 0 : lastSent + this.budget.windowMs);
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
 * map. A limiter is made only when a request is about to be sent, so callers that never reach the API
 * (listing tools, refused calls, bad tokens) take no room. Only an idle limiter (nothing sent in its window,
 * no block) is forgotten to make room: a budget in use is never erased by other callers, and when every
 * kept budget is in use a new caller is refused until one falls idle.
 */
export class RateBudgets {
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(
    private readonly budget: RateBudget | null,
    private readonly maxCallers = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The gate of this credential's budget; it takes a place in the table on its first request only. */
  for(credentialHash: string): RateGate | undefined {
    if (!this.budget) return undefined;
    const claim = () => this.claim(credentialHash);
    return {
      acquire: async (signal, onWait, maxWaitMs) => claim().acquire(signal, onWait, maxWaitMs),
      observe: (header) => this.limiters.get(credentialHash)?.observe(header),
    };
  }

  /** How many budgets are kept now (for tests and benchmarks). */
  get size(): number {
    return this.limiters.size;
  }

  private claim(credentialHash: string): RateLimiter {
    const budget = this.budget as RateBudget;
    let limiter = this.limiters.get(credentialHash);
    if (limiter) {
      // Most recently used last: the first entries are the likeliest to be idle.
      this.limiters.delete(credentialHash);
    } else {
      if (this.limiters.size >= this.maxCallers) this.makeRoom();
      limiter = new RateLimiter(budget, this.now);
    }
    this.limiters.set(credentialHash, limiter);
    return limiter;
  }

  private makeRoom(): void {
    const now = this.now();
    let soonest = Number.POSITIVE_INFINITY;
    for (const [hash, limiter] of this.limiters) {
      const idleAt = limiter.idleAt();
      if (idleAt <= now) {
        this.limiters.delete(hash);
        return;
      }
      soonest = Math.min(soonest, idleAt);
    }
    throw new RateBudgetExhausted(
      soonest - now,
      `this server keeps the rate budgets of ${this.maxCallers} callers and all of them are in use`,
      true,
    );
  }
}
