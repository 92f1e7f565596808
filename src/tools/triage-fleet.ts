// Triage of every zone the token can read: lists the zones (every page, sorted by name), triages them at
// most MAX_IN_FLIGHT requests at a time, and stops rather than wait out a rate window, handing back a
// continuation that resumes after the last zone it started.
import { CloudflareApiError, TransportError } from "../client/errors.js";
import { RateBudgetExhausted } from "../client/rate-limit.js";
import {
  decodeContinuation,
  encodeContinuation,
  type FleetProgress,
  RETRY_ID_CHARS,
} from "../triage/continuation.js";
import { triage } from "../triage/findings.js";
import { fleetReport, type NotTriaged, type ZoneOutcome } from "../triage/fleet.js";
import type { ToolContext } from "./spec.js";
import { gather } from "./triage.js";

/** Requests to the API in flight at once, across every zone of the fleet. */
export const MAX_IN_FLIGHT = 8;
/** Zones triaged side by side: each reads up to three parts at once, within MAX_IN_FLIGHT. */
const ZONES_AT_ONCE = 4;
const ZONES_PER_PAGE = 50;
/** 10,000 zones: past that the listing stops and says so. */
const MAX_ZONE_PAGES = 200;
/** Names of untriaged zones the answer lists; the rest are counted. */
const NAMED = 5;

export interface FleetArgs {
  account_id?: string;
  name_contains?: string;
  horizon_days?: number;
  continue?: string;
}

interface ListedZone {
  id: string;
  name: string;
}

/** The rate budget, a Ratelimit header or a 429 would have made a read wait: stop and hand back the rest. */
class RateStop extends Error {
  override name = "RateStop";
}

export async function triageFleet(args: FleetArgs, ctx: ToolContext): Promise<Record<string, unknown>> {
  const progressIn = args.continue
    ? await decodeContinuation(args.continue, ctx.credentialId, { ...args })
    : { retry: [], earlier: { triaged: 0, healthy: 0, unreadable: 0, counts: {} } };
  const read = limitedReads(ctx);
  let zones: Awaited<ReturnType<typeof listZones>>;
  let stopReason: string | undefined;
  try {
    zones = await listZones(read, args);
  } catch (error) {
    if (!(error instanceof RateStop)) throw error;
    return answer(
      [],
      0,
      false,
      { count: 0, zones: [], reason: error.message },
      progressIn,
      progressIn,
      ctx,
      args,
    );
  }
  const todo = zones.filter(
    (z) =>
      !progressIn.after ||
      after(z, progressIn.after) ||
      progressIn.retry.includes(z.id.slice(0, RETRY_ID_CHARS)),
  );

  const outcomes: ZoneOutcome[] = [];
  const stopped: ListedZone[] = [];
  let next = 0;
  let lastStarted: ListedZone | undefined;
  const worker = async () => {
    while (!stopReason && next < todo.length && !ctx.signal.aborted) {
      const zone = todo[next++] as ListedZone;
      if (!lastStarted || after(zone, lastStarted)) lastStarted = zone;
      try {
        const state = await gather(read, zone.id);
        outcomes.push({
          ...zone,
          report: triage({
            ...state,
            zoneName: zone.name,
            now: ctx.now(),
            horizonDays: args.horizon_days ?? 30,
          }),
        });
      } catch (error) {
        if (error instanceof RateStop) {
          stopReason ??= error.message;
          stopped.push(zone);
        } else if (ctx.signal.aborted) {
          throw error;
        } else {
          outcomes.push({ ...zone, error: describeFailure(error) });
        }
      }
      await ctx.progress(outcomes.length, todo.length, `triaged ${outcomes.length} of ${todo.length} zones`);
    }
  };
  await Promise.all(Array.from({ length: ZONES_AT_ONCE }, worker));
  if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error("cancelled");

  if (!stopReason)
    return answer(outcomes, zones.length, zones.capped === true, undefined, undefined, progressIn, ctx, args);
  const notStarted = todo.slice(next);
  const left = [...stopped, ...notStarted];
  const notTriaged: NotTriaged = {
    count: left.length,
    zones: [
      ...left.slice(0, NAMED).map((z) => z.name),
      ...(left.length > NAMED ? [`…and ${left.length - NAMED} more`] : []),
    ],
    reason: stopReason,
  };
  const resume: FleetProgress = {
    ...(lastStarted ? { after: lastStarted } : progressIn.after ? { after: progressIn.after } : {}),
    retry: stopped.map((z) => z.id.slice(0, RETRY_ID_CHARS)),
    earlier: progressIn.earlier,
  };
  return answer(outcomes, zones.length, zones.capped === true, notTriaged, resume, progressIn, ctx, args);
}

async function answer(
  outcomes: ZoneOutcome[],
  listed: number,
  capped: boolean,
  notTriaged: NotTriaged | undefined,
  resume: FleetProgress | undefined,
  progressIn: FleetProgress,
  ctx: ToolContext,
  args: FleetArgs,
): Promise<Record<string, unknown>> {
  const report = fleetReport(outcomes, listed, notTriaged, progressIn.earlier, capped);
  if (!resume || !notTriaged) return report;
  const totals = report.totals as { triaged: number; healthy: number; unreadable: number };
  const carried: FleetProgress = {
    ...resume,
    earlier: {
      triaged: totals.triaged,
      healthy: totals.healthy,
      unreadable: totals.unreadable,
      counts: report.counts as FleetProgress["earlier"]["counts"],
    },
  };
  return { ...report, continue: await encodeContinuation(carried, ctx.credentialId, { ...args }) };
}

/** Name order, then id: the same order whichever page or instance the zones came from. */
function after(zone: ListedZone, mark: ListedZone): boolean {
  return zone.name > mark.name || (zone.name === mark.name && zone.id > mark.id);
}

/**
 * The context the zones are read through: never more than MAX_IN_FLIGHT requests at once, no progress per
 * page, and a read that would wait for the rate budget or after a 429 stops the fleet instead.
 */
function limitedReads(ctx: ToolContext): ToolContext {
  let inFlight = 0;
  const queue: (() => void)[] = [];
  const slot = async () => {
    if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => queue.push(resolve));
    inFlight += 1;
  };
  const release = () => {
    inFlight -= 1;
    queue.shift()?.();
  };
  return {
    ...ctx,
    progress: async () => {},
    read: async (route, params, query) => {
      await slot();
      try {
        return await ctx.read(route, params, query, { noRateWait: true });
      } catch (error) {
        if (error instanceof RateBudgetExhausted)
          throw new RateStop(`${error.reason}; it allows more in ${Math.ceil(error.waitMs / 1000)} s`);
        // Workers cap the subrequests of one request: past the cap every fetch fails, so stop and go on later.
        if (error instanceof TransportError && /too many subrequests/i.test(error.message)) {
          throw new RateStop("the platform's limit of API requests per call (Workers subrequests)");
        }
        if (error instanceof CloudflareApiError && error.status === 429) {
          throw new RateStop(
            `Cloudflare rate limit (HTTP 429)${error.retryAfterSeconds !== undefined ? `; retry after ${error.retryAfterSeconds} s` : ""}`,
          );
        }
        throw error;
      } finally {
        release();
      }
    },
  };
}

/** The zones, sorted; `capped` when the listing stopped at MAX_ZONE_PAGES with more to come. */
async function listZones(ctx: ToolContext, args: FleetArgs): Promise<ListedZone[] & { capped?: boolean }> {
  const zones = new Map<string, ListedZone>();
  let capped = false;
  for (let page = 1; ; page++) {
    if (page > MAX_ZONE_PAGES) {
      capped = true;
      break;
    }
    const { result, resultInfo } = await ctx.read<ListedZone[]>(
      "listZones",
      {},
      {
        page,
        per_page: ZONES_PER_PAGE,
        order: "name",
        direction: "asc",
        ...(args.account_id ? { "account.id": args.account_id } : {}),
        ...(args.name_contains ? { name: `contains:${args.name_contains}` } : {}),
      },
    );
    const items = Array.isArray(result) ? result : [];
    const before = zones.size;
    for (const z of items) if (typeof z?.id === "string") zones.set(z.id, { id: z.id, name: String(z.name) });
    // An empty, short or repeated page is the last.
    if (items.length < ZONES_PER_PAGE || zones.size === before) break;
    if (resultInfo?.total_pages !== undefined && page >= resultInfo.total_pages) break;
  }
  const sorted = [...zones.values()].sort((a, b) => (after(a, b) ? 1 : after(b, a) ? -1 : 0));
  return Object.assign(sorted, { capped });
}

/** Why a zone could not be read, in the server's words: the status and numeric code, or the failure kind. */
function describeFailure(error: unknown): string {
  if (error instanceof CloudflareApiError)
    return `HTTP ${error.status}${error.errors[0] ? ` ${error.errors[0].code}` : ""}`;
  if (error instanceof TransportError) return `${error.failure}: ${error.message}`;
  return "an unexpected answer";
}
