// What every rule reads of the state, worked out once: the packs in scope, those serving, the hosts to cover.
import { apexOf, coverageOf, covers } from "./hosts.js";
import { DAY, expiryOf, isGone, isServing } from "./packs.js";
import type { RawPack, TriageState } from "./state.js";

export interface TriageView {
  readonly state: TriageState;
  readonly zoneId: string;
  readonly now: number;
  /** The end of the expiry window. */
  readonly horizon: number;
  /** Whether a host is one the caller asked about (every host is, when they named none). */
  relevant(host: string): boolean;
  /** Packs that still count and touch a relevant host. */
  readonly packs: RawPack[];
  /** Of those, the ones serving a certificate that has not expired. */
  readonly serving: RawPack[];
  /** Every relevant host of those packs, and the hosts asked about. */
  readonly hosts: string[];
  /** Whether a serving pack covers a host. */
  servingCovers(host: string): boolean;
  /** The zone apex: the zone's name where known, else from every pack the API listed. */
  readonly apex: string | undefined;
}

export function viewOf(state: TriageState): TriageView {
  const { now, hostFilter: filter } = state;
  const relevant = (host: string) =>
    !filter || filter.some((f) => f === host || covers(host, f) || covers(f, host));
  const packs = state.packs.filter((p) => !isGone(p) && (!filter || (p.hosts ?? []).some(relevant)));
  const serving = packs.filter((p) => isServing(p) && (expiryOf(p) ?? Number.POSITIVE_INFINITY) > now);
  return {
    state,
    zoneId: state.zoneId,
    now,
    horizon: now + state.horizonDays * DAY,
    relevant,
    packs,
    serving,
    hosts: [...new Set([...packs.flatMap((p) => p.hosts ?? []), ...(filter ?? [])])].filter(relevant),
    servingCovers: coverageOf(serving),
    apex: state.zoneName ?? apexOf(state.packs.flatMap((p) => p.hosts ?? [])),
  };
}
