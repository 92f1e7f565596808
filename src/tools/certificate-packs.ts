import { z } from "zod/v4";
import { UsageError } from "../lib/failures.js";
import { PlanText, quoteApiText } from "../lib/text.js";
import type { RawPack } from "../triage/state.js";
import { certificatePackId, confirm, hostname, validityDays, zoneId } from "./fields.js";
import { asRecord, certificatePack, packSummary } from "./outputs.js";
import { listAllPacks, MAX_LISTED, pageInfo, summarizePack } from "./pack-pages.js";
import { MIN_POLL_MS, TASK_WAIT_MS, waitForPack } from "./pack-wait.js";
import { defineTool } from "./spec.js";

export type { RawPack } from "../triage/state.js";
export { listAllPacks } from "./pack-pages.js";

const LIST_INPUT = z.strictObject({
  zone_id: zoneId,
  status: z.enum(["all"]).optional().describe("all: every status and type; omit: active packs only"),
  deploy: z.enum(["staging", "production"]).optional(),
  page: z.int().min(1).optional(),
  per_page: z.int().min(5, { error: "must be 5 to 50" }).max(50, { error: "must be 5 to 50" }).optional(),
  all_pages: z.boolean().optional().describe("Follow every page (capped); returns totals"),
});
/** What a 404 means for a tool that takes a pack id. */
export const PACK_NOT_FOUND =
  "not found: check zone_id, and the pack id with list_certificate_packs (status: all).";
export const certificatePackTools = [
  defineTool({
    name: "list_certificate_packs",
    title: "List certificate packs",
    description:
      "List a zone's certificate packs (summaries). Active only unless status is all; all also shows pending, failed and custom-certificate packs. Use get_certificate_pack for records and certificates.",
    kind: "read",
    idempotent: true,
    endpoint: "listCertificatePacks",
    effect: "none",
    permission: "SSL and Certificates: Read",
    dashboard: true,
    input: LIST_INPUT,
    hints: { tooLarge: "narrow the request (smaller per_page, or one pack with get_certificate_pack)." },
    output: z.looseObject({
      packs: z.array(packSummary),
      total_count: z.number().optional(),
      pages_read: z.number().optional(),
      by_status: z.record(z.string(), z.number()).optional(),
      omitted: z.string().optional(),
      stopped_because: z.string().optional(),
    }),
    request: ({ status, deploy, page, per_page }) => ({ query: { status, deploy, page, per_page } }),
    shape: (response) => ({
      packs: (Array.isArray(response.result) ? (response.result as RawPack[]) : []).map(summarizePack),
      ...asRecord(pageInfo(response.resultInfo)),
    }),
    handler: async (args, ctx) => {
      if (!args.all_pages) return undefined;
      if (args.page !== undefined || args.per_page !== undefined) {
        throw new UsageError("all_pages reads every page itself: leave out page and per_page, or all_pages.");
      }
      const all = await listAllPacks(ctx, args.zone_id, { status: args.status, deploy: args.deploy });
      const countBy = (key: "status" | "type") =>
        Object.fromEntries(
          [
            ...all.packs.reduce((m, p) => m.set(p[key], (m.get(p[key]) ?? 0) + 1), new Map<string, number>()),
          ].sort((a, b) => b[1] - a[1]),
        );
      const omitted = Math.max(0, all.packs.length - MAX_LISTED);
      return asRecord({
        packs: all.packs.slice(0, MAX_LISTED).map(summarizePack),
        total_count: all.totalCount ?? all.packs.length,
        read: all.packs.length,
        by_status: countBy("status"),
        by_type: countBy("type"),
        pages_read: all.pages,
        omitted: omitted
          ? `${omitted} more packs were read and counted but not listed; use page and per_page (50) from page ${Math.floor(MAX_LISTED / 50) + 1}, or get_certificate_pack, for them`
          : undefined,
        stopped_because: all.stoppedBecause,
      });
    },
  }),
  defineTool({
    name: "get_certificate_pack",
    title: "Get certificate pack",
    description:
      "One certificate pack in full: status, hosts, certificates with expiry, validation records to publish and validation errors.",
    kind: "read",
    idempotent: true,
    endpoint: "getCertificatePack",
    effect: "none",
    permission: "SSL and Certificates: Read",
    input: z.strictObject({
      zone_id: zoneId,
      certificate_pack_id: certificatePackId,
      wait: z.boolean().optional().describe("Wait until active or failed"),
    }),
    hints: { notFound: PACK_NOT_FOUND },
    output: certificatePack,
    request: () => ({}),
    handler: (args, ctx) => (args.wait ? waitForPack(args, ctx) : Promise.resolve(undefined)),
    asTask: (args) => (args.wait ? { maxRunMs: TASK_WAIT_MS, pollIntervalMs: MIN_POLL_MS } : undefined),
  }),
  defineTool({
    name: "order_certificate_pack",
    title: "Order advanced certificate pack",
    description:
      "Order an Advanced Certificate Manager pack. Needs ACM and free quota (get_certificate_pack_quota); each call orders a new pack. Returns the validation records to publish; follow with get_certificate_pack.",
    kind: "write",
    idempotent: false,
    endpoint: "orderCertificatePack",
    effect: "changes",
    permission: "SSL and Certificates: Edit",
    input: z
      .strictObject({
        zone_id: zoneId,
        hosts: z
          .array(hostname)
          .min(1, { error: "needs at least one hostname, the zone apex" })
          .max(50, { error: "takes at most 50 hostnames" })
          .refine((hosts) => new Set(hosts).size === hosts.length, { error: "must not repeat a hostname" })
          .describe("1-50 hostnames, must include the zone apex"),
        validation_method: z.enum(["txt", "http", "email"]).describe("http is not possible for wildcards"),
        validity_days: validityDays,
        certificate_authority: z
          .enum(["google", "lets_encrypt", "ssl_com"])
          .describe("lets_encrypt: 90 days only; google: 14, 30 or 90"),
        cloudflare_branding: z.boolean().optional(),
      })
      .superRefine((args, issues) => {
        if (args.validation_method === "http" && args.hosts.some((h) => h.startsWith("*."))) {
          issues.addIssue({
            code: "custom",
            path: ["validation_method"],
            message: "http validation cannot prove a wildcard host: use txt (or drop the wildcard)",
          });
        }
        if (args.certificate_authority === "lets_encrypt" && args.validity_days !== 90) {
          issues.addIssue({
            code: "custom",
            path: ["validity_days"],
            message: "Let's Encrypt issues 90-day certificates only: use 90",
          });
        }
        if (args.certificate_authority === "google" && args.validity_days === 365) {
          issues.addIssue({
            code: "custom",
            path: ["validity_days"],
            message: "Google Trust Services issues 14, 30 or 90 days: use one of those, or ssl_com for 365",
          });
        }
      }),
    output: certificatePack,
    request: (args) => ({
      body: {
        type: "advanced",
        hosts: args.hosts,
        validation_method: args.validation_method,
        validity_days: args.validity_days,
        certificate_authority: args.certificate_authority,
        ...(args.cloudflare_branding === undefined ? {} : { cloudflare_branding: args.cloudflare_branding }),
      },
    }),
    hints: {
      ambiguous:
        "Call list_certificate_packs with status all and look for a new pack with these hosts before ordering again: a second order is a second pack.",
    },
  }),
  defineTool({
    name: "restart_certificate_pack_validation",
    title: "Restart pack validation",
    description:
      "Restart validation of a pack in validation_timed_out, after fixing its DNS or HTTP records. With cloudflare_branding, changes the branding instead.",
    kind: "write",
    idempotent: false,
    endpoint: "editCertificatePack",
    effect: "changes",
    permission: "SSL and Certificates: Edit",
    input: z.strictObject({
      zone_id: zoneId,
      certificate_pack_id: certificatePackId,
      cloudflare_branding: z
        .boolean()
        .optional()
        .describe("Set to change branding; omit to restart validation"),
    }),
    output: certificatePack,
    // An empty object is what asks for a restart; the API requires a body.
    request: ({ cloudflare_branding }) => ({
      body: cloudflare_branding === undefined ? {} : { cloudflare_branding },
    }),
    hints: {
      ambiguous: "Check the pack's status with get_certificate_pack before calling again.",
      notFound: PACK_NOT_FOUND,
    },
  }),
  defineTool({
    name: "delete_certificate_pack",
    title: "Delete advanced certificate pack",
    description:
      "Delete an advanced pack; its hosts lose it at once. Needs approval: the user is asked, or the first call returns a plan and its confirm value. Universal packs go by disabling Universal SSL.",
    kind: "destructive",
    idempotent: true,
    endpoint: "deleteCertificatePack",
    effect: "changes",
    permission: "SSL and Certificates: Edit",
    input: z.strictObject({ zone_id: zoneId, certificate_pack_id: certificatePackId, confirm }),
    hints: { notFound: PACK_NOT_FOUND },
    output: z.looseObject({ id: z.string().optional() }),
    confirm: async (args, ctx) => {
      const { result: pack } = await ctx.read<RawPack>("getCertificatePack", {
        zone_id: args.zone_id,
        certificate_pack_id: args.certificate_pack_id,
      });
      if (pack.type !== "advanced") {
        throw new UsageError(
          `certificate_pack_id: pack ${quoteApiText(pack.id)} is a ${quoteApiText(pack.type)} pack and only advanced packs can be deleted.${pack.type === "universal" ? " Universal certificates go away by disabling Universal SSL (update_universal_ssl_settings)." : ""}`,
        );
      }
      const state = {
        id: pack.id,
        status: pack.status,
        hosts: pack.hosts,
        certificate_authority: pack.certificate_authority,
      };
      const plan = new PlanText()
        .say(
          `Delete advanced certificate pack ${quoteApiText(pack.id, 80)}: Cloudflare stops serving it at once, and any of its hosts not covered by another active certificate loses HTTPS.`,
        )
        .list("It covers ", pack.hosts ?? [], (h) => quoteApiText(h, 260), {
          share: 3000,
          noun: "hosts",
          after: ".",
        })
        .say(
          `It has status ${quoteApiText(pack.status, 60)}, CA ${pack.certificate_authority ? quoteApiText(pack.certificate_authority, 60) : "unknown"}. Its quota slot is freed. This cannot be undone; a new pack must be ordered and validated again.`,
        );
      return { state, text: plan.toString(), omitted: plan.omitted };
    },
  }),
  defineTool({
    name: "get_certificate_pack_quota",
    title: "Get certificate pack quota",
    description:
      "Advanced certificate packs allocated and used on the zone: check before order_certificate_pack.",
    kind: "read",
    idempotent: true,
    endpoint: "getCertificatePackQuota",
    effect: "none",
    permission: "SSL and Certificates: Read",
    input: z.strictObject({ zone_id: zoneId }),
    output: z.looseObject({
      advanced: z.looseObject({ allocated: z.number().optional(), used: z.number().optional() }).optional(),
      available: z.number().optional(),
    }),
    shape: (response) => {
      const result = asRecord(response.result) as { advanced?: { allocated?: number; used?: number } };
      const { allocated, used } = result.advanced ?? {};
      return asRecord({
        ...result,
        available: allocated !== undefined ? allocated - (used ?? 0) : undefined,
      });
    },
  }),
];
