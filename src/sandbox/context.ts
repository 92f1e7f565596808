// What every route works on: the zones, the clock, the caps, and the lookups that turn an id into state.
import { ApiFailure, fail } from "./failure.js";
import { makeRoom, type SandboxLimits } from "./limits.js";
import { advance, type Pack, type Zone } from "./state.js";

export interface SandboxContext {
  zones: Map<string, Zone>;
  now: () => number;
  /** Time each lifecycle step takes for packs that move. */
  stepMs: number;
  limits: SandboxLimits;
  /** The zones and packs the sandbox started with, dropped only after everything added later. */
  seeded: WeakSet<object>;
  /** A fresh number for each pack the sandbox creates, so ids never repeat. */
  nextSerial: () => number;
}

export function zoneFor(ctx: SandboxContext, id: string): Zone {
  if (!/^[0-9a-f]{32}$/.test(id)) {
    throw new ApiFailure(400, [
      { code: 7003, message: `Could not route to /zones/${id}, perhaps your object identifier is invalid?` },
      { code: 7000, message: "No route for that URI" },
    ]);
  }
  const zone = ctx.zones.get(id);
  if (!zone) throw fail(404, 1001, "Invalid zone identifier");
  return zone;
}

/** The zone's packs, each moved to where its lifecycle is now. */
export function packsOf(ctx: SandboxContext, zone: Zone): Pack[] {
  return [...zone.packs.values()].map((p) => advance(zone, p, ctx.now(), ctx.stepMs));
}

export function packFor(ctx: SandboxContext, zone: Zone, id: string): Pack {
  const pack = zone.packs.get(id);
  if (!pack) throw fail(404, 1404, "Certificate pack not found");
  return advance(zone, pack, ctx.now(), ctx.stepMs);
}

/** Stores a new pack, first making room under the caps (see limits.ts); the zone written to always stays. */
export function addPack(ctx: SandboxContext, zone: Zone, pack: Pack): void {
  makeRoom(ctx.zones, ctx.limits.zones, ctx.seeded, zone);
  makeRoom(zone.packs, ctx.limits.packsPerZone - 1, ctx.seeded);
  zone.packs.set(pack.id, pack);
}
