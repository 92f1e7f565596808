// How much one sandbox holds. A hosted sandbox serves everyone who tries it from one isolate's memory, so what
// they add must not grow without end. Beyond a cap the oldest state goes first, added state before seeded
// state: an order always succeeds, and what survives is what was touched last.

export interface SandboxLimits {
  /** Most zones kept. The seed has two and no route adds one: it bounds zones a host adds through `zones`. */
  zones: number;
  /**
   * Most certificate packs kept in one zone, seeded ones included. Through the API a zone's ACM quota binds
   * first (five advanced packs in the demo zone); this bounds what anything else adds.
   */
  packsPerZone: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { zones: 50, packsPerZone: 100 };

export function limitsFrom(given: Partial<SandboxLimits> = {}): SandboxLimits {
  const limits = { ...DEFAULT_LIMITS, ...given };
  for (const [field, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`limits.${field} must be a whole number from 1 (got ${String(value)})`);
    }
  }
  return limits;
}

/**
 * Drops entries of `map` until at most `keepAtMost` remain: oldest first (a Map iterates in insertion order),
 * those not in `seeded` before those in it, and never `keep`.
 */
export function makeRoom<T extends object>(
  map: Map<string, T>,
  keepAtMost: number,
  seeded: WeakSet<object>,
  keep?: T,
): void {
  for (const dropSeeded of [false, true]) {
    for (const [key, value] of map) {
      if (map.size <= keepAtMost) return;
      if (value !== keep && seeded.has(value) === dropSeeded) map.delete(key);
    }
  }
}
