import { z } from "zod/v4";
import type { ReadEndpoint } from "../client/endpoints.js";
import { CloudflareApiError } from "../client/errors.js";
import { type TriageState, triage } from "../triage/findings.js";
import { listAllPacks } from "./certificate-packs.js";
import { hostname, zoneId } from "./fields.js";
import { defineTool, type ToolContext } from "./spec.js";

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

async function gather(
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
      "Start here for 'what is wrong with my certificates?': reads packs, validation, Universal SSL, Automatic SSL/TLS and quota, and returns findings by severity, each with the records to publish or the tool call to make.",
    kind: "read",
    idempotent: true,
    endpoint: "listCertificatePacks",
    effect: "none",
    permission: "SSL and Certificates: Read",
    input: z.strictObject({
      zone_id: zoneId,
      horizon_days: z.int().min(1).max(365).optional().describe("Expiry window, default 30"),
      hosts: z.array(hostname).min(1).max(50).optional().describe("Only these hosts"),
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
    handler: async (args, ctx) => {
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
