import { z } from "zod/v4";
import type { ReadEndpoint } from "../client/endpoints.js";
import { CloudflareApiError } from "../client/errors.js";
import { UsageError } from "../lib/failures.js";
import { ContinuationRefused } from "../triage/continuation.js";
import { type TriageState, triage } from "../triage/findings.js";
import { fleetText } from "../triage/fleet.js";
import { listAllPacks } from "./certificate-packs.js";
import { hostname, zoneId } from "./fields.js";
import { defineTool, type ToolContext } from "./spec.js";
import { triageFleet } from "./triage-fleet.js";

const accountId = z.string().regex(/^[0-9a-f]{32}$/, {
  error: "must be an account id: 32 lowercase hex characters (the dashboard URL shows it)",
});
const namePart = z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, {
  error: "must be part of a zone name: letters, digits, dots and dashes",
});

/** Requests in flight at once: quick, and gentle on the user's rate budget. */
const CONCURRENCY = 3;

/**
 * Runs tasks, `limit` at a time. After the first failure it starts nothing new and waits for the tasks in
 * flight to settle before failing, so that no request outlives the call that made it.
 */
async function inPool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < tasks.length) {
      const index = next++;
      try {
        results[index] = await (tasks[index] as () => Promise<T>)();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

export async function gather(
  ctx: ToolContext,
  zone: string,
): Promise<Omit<TriageState, "now" | "horizonDays" | "hostFilter">> {
  const unavailable: string[] = [];
  let done = 0;
  const step = async (what: string) => ctx.progress(++done, 5, `read ${what}`);
  // A secondary part that fails leaves a note; the pack list is the one part triage cannot do without.
  const optional = async <T>(what: string, endpoint: ReadEndpoint): Promise<T | undefined> => {
    try {
      const { result } = await ctx.read<T>(endpoint, { zone_id: zone });
      return result;
    } catch (error) {
      if (ctx.signal.aborted || !(error instanceof CloudflareApiError)) throw error;
      unavailable.push(`${what} (HTTP ${error.status}${error.errors[0] ? ` ${error.errors[0].code}` : ""})`);
      return undefined;
    } finally {
      await step(what);
    }
  };
  const [packs, verifications, universal, automatic, quota] = await inPool<unknown>(
    [
      async () => {
        const all = await listAllPacks(ctx, zone, { status: "all" });
        await step("certificate packs");
        return all;
      },
      () => optional("verification details", "getVerification"),
      () => optional("Universal SSL settings", "getUniversalSettings"),
      () => optional("Automatic SSL/TLS mode", "getAutomaticMode"),
      () => optional("certificate pack quota", "getCertificatePackQuota"),
    ],
    CONCURRENCY,
  );
  const list = packs as Awaited<ReturnType<typeof listAllPacks>>;
  return {
    zoneId: zone,
    packs: list.packs,
    packsTruncated: list.stoppedBecause,
    verifications: Array.isArray(verifications) ? verifications : undefined,
    universal: universal as TriageState["universal"],
    automatic: automatic as TriageState["automatic"],
    quota: quota as TriageState["quota"],
    unavailable,
  };
}

export const triageTools = [
  defineTool({
    name: "triage_certificates",
    title: "Triage certificates",
    description:
      "Start here for 'what is wrong with my certificates?': reads packs, validation, Universal SSL, Automatic SSL/TLS and quota, and returns findings by severity, each with the records to publish or the tool call to make. Without zone_id: every zone, ranked.",
    kind: "read",
    idempotent: true,
    // The fleet's first read; one zone reads its packs and settings (see gather).
    endpoint: "listZones",
    effect: "none",
    permission: "SSL and Certificates: Read",
    dashboard: true,
    input: z.strictObject({
      zone_id: zoneId.optional().describe("Omit for every zone"),
      horizon_days: z.int().min(1).max(365).optional().describe("Expiry window, default 30"),
      hosts: z.array(hostname).min(1).max(50).optional().describe("Only these hosts"),
      account_id: accountId.optional().describe("Fleet: this account's zones"),
      name_contains: namePart.optional().describe("Fleet: names containing this"),
      continue: z.string().max(4096).optional().describe("From a partial fleet answer"),
    }),
    output: z.looseObject({
      summary: z.string(),
      healthy: z.boolean(),
      findings: z.array(
        z.looseObject({
          severity: z.string(),
          code: z.string(),
          summary: z.string(),
          next_action: z.looseObject({}),
        }),
      ),
    }),
    text: fleetText,
    // A fleet takes seconds to minutes: a task where the client can follow one.
    asTask: (args) =>
      args.zone_id === undefined && !args.hosts ? { maxRunMs: 60 * 60_000, pollIntervalMs: 2000 } : undefined,
    handler: async (args, ctx) => {
      if (args.zone_id === undefined) {
        if (args.hosts)
          throw new UsageError(
            "hosts: needs zone_id (hosts belong to one zone); add zone_id or remove hosts",
          );
        try {
          return await triageFleet(args, ctx);
        } catch (error) {
          throw error instanceof ContinuationRefused ? new UsageError(error.message) : error;
        }
      }
      for (const field of ["account_id", "name_contains", "continue"] as const) {
        if (args[field] !== undefined)
          throw new UsageError(
            `${field}: only for a fleet triage; remove it, or remove zone_id to triage every zone`,
          );
      }
      const state = await gather(ctx, args.zone_id);
      const report = triage({
        ...state,
        now: ctx.now(),
        horizonDays: args.horizon_days ?? 30,
        hostFilter: args.hosts,
      });
      return { ...report };
    },
  }),
];
