// Where spent approvals are remembered until they expire, so that each acts once. Kept per credential: no
// caller can push another's spent approval out, however many approvals it spends. When a caller's share is
// full, that caller is refused new approvals until old ones expire; nothing unexpired is ever forgotten.
// In memory for one process here; on the Worker a Durable Object per credential keeps them for every isolate.

export type SpendOutcome = "spent" | "used" | "full";

export interface SpentNonceStore {
  /**
   * Marks `nonce` spent for `credential` until `expiresAt`: "spent" the first time, "used" after, "full" when
   * the credential may spend no more now (nothing is recorded then). Atomic: of two concurrent calls for one
   * nonce, one answers "spent" at most.
   */
  spend(credential: string, nonce: string, expiresAt: number, now: number): Promise<SpendOutcome>;
  /** Whether `nonce` is spent and not yet expired, without spending it. */
  isSpent(credential: string, nonce: string, now: number): Promise<boolean>;
  /** Whether `credential` could spend one more now: checked before issuing, so no plan is offered in vain. */
  hasRoom(credential: string, now: number): Promise<boolean>;
}

export interface SpentNonceLimits {
  /** Most unexpired spent approvals of one credential: default 1,000 (one every 0.6 s for the 10-minute TTL). */
  perCredential?: number;
  /** Most unexpired spent approvals of all credentials together: default 100,000 (about 10 MB). */
  total?: number;
}

export const SPENT_PER_CREDENTIAL = 1000;
export const SPENT_TOTAL = 100_000;

/** The nonces of one credential, with their expiries, and what a store of one credential decides. */
export class NonceLedger {
  private readonly expiries = new Map<string, number>();

  get size(): number {
    return this.expiries.size;
  }

  has(nonce: string, now: number): boolean {
    const exp = this.expiries.get(nonce);
    return exp !== undefined && exp > now;
  }

  /** Records the nonce; whether it is a new entry (an expired one not yet swept is replaced). */
  add(nonce: string, expiresAt: number): boolean {
    const fresh = !this.expiries.has(nonce);
    this.expiries.set(nonce, expiresAt);
    return fresh;
  }

  /** Forgets what expired; returns how many went. */
  sweep(now: number): number {
    let gone = 0;
    for (const [nonce, exp] of this.expiries) {
      if (exp <= now) {
        this.expiries.delete(nonce);
        gone++;
      }
    }
    return gone;
  }
}

export function memorySpentNonces(limits: SpentNonceLimits = {}): SpentNonceStore {
  const perCredential = limits.perCredential ?? SPENT_PER_CREDENTIAL;
  const total = limits.total ?? SPENT_TOTAL;
  for (const [name, value] of [
    ["perCredential", perCredential],
    ["total", total],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`spent nonces: ${name} must be a positive whole number (got ${String(value)})`);
    }
  }
  const ledgers = new Map<string, NonceLedger>();
  let count = 0;
  let nextSweep = 0;

  const sweepAll = (now: number) => {
    // At most once a second: a sweep walks every entry.
    if (now < nextSweep) return;
    nextSweep = now + 1000;
    for (const [credential, ledger] of ledgers) {
      count -= ledger.sweep(now);
      if (ledger.size === 0) ledgers.delete(credential);
    }
  };
  const roomFor = (credential: string, now: number) => {
    const ledger = ledgers.get(credential);
    if (ledger && ledger.size >= perCredential) count -= ledger.sweep(now);
    if (count >= total) {
      nextSweep = 0;
      sweepAll(now);
    }
    return (ledgers.get(credential)?.size ?? 0) < perCredential && count < total;
  };

  return {
    async spend(credential, nonce, expiresAt, now) {
      sweepAll(now);
      if (ledgers.get(credential)?.has(nonce, now)) return "used";
      if (!roomFor(credential, now)) return "full";
      let ledger = ledgers.get(credential);
      if (!ledger) {
        ledger = new NonceLedger();
        ledgers.set(credential, ledger);
      }
      if (ledger.add(nonce, expiresAt)) count++;
      return "spent";
    },
    async isSpent(credential, nonce, now) {
      return ledgers.get(credential)?.has(nonce, now) ?? false;
    },
    async hasRoom(credential, now) {
      return roomFor(credential, now);
    },
  };
}
