import { z } from "zod/v4";
import { apiInteger, PlanText, quoteApiText } from "../lib/text.js";
import { listAllPacks } from "./certificate-packs.js";
import { confirm, customCertificateId, zoneId } from "./fields.js";
import { asRecord } from "./outputs.js";
import { defineTool } from "./spec.js";

export const customCertificateTools = [
  defineTool({
    name: "prioritize_custom_certificates",
    title: "Re-prioritize custom certificates",
    description:
      "Set which uploaded custom certificates win where hosts overlap (legacy_custom always beats sni_custom). Ids: certificates of custom packs in list_certificate_packs with status all. Needs approval; Business or Enterprise plan.",
    kind: "destructive",
    idempotent: true,
    endpoint: "prioritizeCustomCertificates",
    effect: "changes",
    permission: "SSL and Certificates: Edit",
    input: z.strictObject({
      zone_id: zoneId,
      certificates: z
        .array(
          z.strictObject({
            id: customCertificateId,
            priority: z.int().min(0).describe("Higher wins ties"),
          }),
        )
        .min(1, { error: "needs at least one {id, priority}" })
        .max(100)
        .refine((list) => new Set(list.map((c) => c.id)).size === list.length, {
          error: "certificates must not name the same id twice",
        }),
      confirm,
    }),
    output: z.looseObject({
      certificates: z.array(z.looseObject({ id: z.string(), priority: z.number().optional() })),
    }),
    request: ({ certificates }) => ({ body: { certificates } }),
    shape: (response) => ({
      certificates: (Array.isArray(response.result) ? response.result : []).map(asRecord),
    }),
    confirm: async (args, ctx) => {
      const { packs } = await listAllPacks(ctx, args.zone_id, { status: "all" });
      const known = new Map(
        packs
          .filter((p) => p.type === "sni_custom" || p.type === "legacy_custom")
          .flatMap((p) => (p.certificates ?? []).map((c) => [c.id, { ...c, type: p.type }] as const)),
      );
      const plan = new PlanText().say(
        `Re-prioritize custom certificates on zone ${args.zone_id}, changing which certificate visitors get where hosts overlap:`,
      );
      plan.list(
        "",
        args.certificates,
        ({ id, priority }) => {
          const cert = known.get(id);
          if (!cert) {
            return `${id}: priority -> ${priority} (not found among the zone's custom certificates; Cloudflare will likely reject it)`;
          }
          const hosts = plan.itemsWithin(cert.hosts ?? [], (h) => quoteApiText(h, 260), {
            share: 240,
            noun: "hosts",
          });
          return `${id} (${quoteApiText(cert.type, 40)}, ${hosts}): priority ${apiInteger(cert.priority, "?")} -> ${priority}`;
        },
        { share: 3200, separator: "; ", noun: "certificates", after: "." },
      );
      return {
        text: plan.toString(),
        omitted: plan.omitted,
        state: [...known.entries()].map(([id, c]) => ({
          id,
          type: c.type,
          priority: c.priority,
          hosts: c.hosts,
        })),
      };
    },
    hints: {
      ambiguous:
        "List the custom packs (list_certificate_packs, status all) to see the priorities now in force.",
    },
  }),
];
