// Waiting for a certificate pack after an order, a validation restart or a method change: until it is active
// or has failed. As a task it may wait up to a day; inline it stays inside one request's deadline. It asks
// the API at most once per MIN_POLL_MS for the pack, backing off to MAX_POLL_MS, and reports each status.
import { asRecord } from "./outputs.js";
import type { ToolContext } from "./spec.js";

/** Inline, the wait ends well inside the HTTP request deadline (120 s at the default --timeout-ms). */
export const INLINE_WAIT_MS = 90_000;
export const TASK_WAIT_MS = 24 * 60 * 60 * 1000;
export const MIN_POLL_MS = 30_000;
const MAX_POLL_MS = 10 * 60 * 1000;
/** Statuses a pack does not leave on its own: the wait is over, and it failed. */
const FAILED = /_timed_out$|^(expired|deleted|inactive)$/;

export interface PackRef {
  zone_id: string;
  certificate_pack_id: string;
}

export async function waitForPack(ref: PackRef, ctx: ToolContext): Promise<Record<string, unknown>> {
  const limit = ctx.waitLimitMs ?? (ctx.inTask ? TASK_WAIT_MS : INLINE_WAIT_MS);
  const started = ctx.now();
  const statuses: { status: string; seen_at: string }[] = [];
  for (let interval = MIN_POLL_MS; ; interval = Math.min(interval * 2, MAX_POLL_MS)) {
    const { result } = await ctx.read("getCertificatePack", {
      zone_id: ref.zone_id,
      certificate_pack_id: ref.certificate_pack_id,
    });
    const pack = asRecord(result);
    const status = String(pack.status);
    if (statuses.at(-1)?.status !== status) {
      statuses.push({ status, seen_at: new Date(ctx.now()).toISOString() });
      await ctx.progress(statuses.length, undefined, `pack status: ${status}`);
    }
    const outcome = status === "active" ? "active" : FAILED.test(status) ? "failed" : undefined;
    const waited = ctx.now() - started;
    if (outcome || waited + interval > limit) {
      return {
        ...pack,
        wait: {
          outcome: outcome ?? "still_pending",
          waited_s: Math.round(waited / 1000),
          statuses,
          ...(outcome
            ? {}
            : {
                next: ctx.inTask
                  ? "Still not issued after a day: check the validation records with get_ssl_verification."
                  : "Not final yet: call again with wait: true (a client with the tasks extension can wait up to a day).",
              }),
        },
      };
    }
    await ctx.sleep(interval);
  }
}
