// Keeps this process under Cloudflare's per-user budget (1,200 requests per 5 minutes by default). Going over
// blocks every call of the user's account, dashboard included, for five minutes, so waiting here is cheaper.

import { abortableSleep } from "../util/sleep.js";

export interface RateBudget {
  requests: number;
  windowMs: number;
}

export class RateLimiter {
  private readonly sent: number[] = [];
  private blockedUntil = 0;

  constructor(
    private readonly budget: RateBudget,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  ) {}

  /** Resolves when one more request fits the budget; says how long it waits, when it waits. */
  async acquire(
    signal: AbortSignal | undefined,
    onWait?: (ms: number, reason: string) => void,
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
