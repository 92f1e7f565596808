import { z } from "zod";
import { quoteApiList, quoteApiText } from "../lib/text.js";
import { listAllPacks, type RawPack } from "./certificate-packs.js";
import { confirm, zoneId } from "./fields.js";
import { defineTool } from "./spec.js";

const universalOutput = z.looseObject({ enabled: z.boolean().optional() });

function hostsOf(packs: RawPack[]): Set<string> {
  return new Set(packs.flatMap((p) => p.hosts ?? []));
}

export const universalSslTools = [
  defineTool({
    name: "get_universal_ssl_settings",
    title: "Get Universal SSL settings",
    description: "Whether Universal SSL (the free certificate Cloudflare issues for the zone) is enabled.",
    kind: "read",
    idempotent: true,
    endpoint: "getUniversalSettings",
    effect: "none",
    permission: "SSL and Certificates: Read",
    input: z.strictObject({ zone_id: zoneId }),
    output: universalOutput,
  }),
  defineTool({
    name: "update_universal_ssl_settings",
    title: "Enable or disable Universal SSL",
    description:
      "enabled: true orders a new Universal certificate. enabled: false removes it from the edge and can cut HTTPS for hosts with no other certificate; it needs approval (the user is asked, or the first call returns a plan and its confirm value).",
    // Destructive when it disables; the hint must warn for the worst case.
    kind: "destructive",
    idempotent: true,
    endpoint: "editUniversalSettings",
    effect: "changes",
    permission: "SSL and Certificates: Edit",
    input: z.strictObject({ zone_id: zoneId, enabled: z.boolean(), confirm }),
    output: universalOutput,
    request: ({ enabled }) => ({ body: { enabled } }),
    confirm: async (args, ctx) => {
      if (args.enabled) return undefined;
      const { result: current } = await ctx.read<{ enabled?: boolean }>("getUniversalSettings", {
        zone_id: args.zone_id,
      });
      if (current.enabled === false) return undefined;
      const { packs } = await listAllPacks(ctx, args.zone_id, {});
      const universal = packs.filter((p) => p.type === "universal");
      const others = packs.filter((p) => p.type !== "universal");
      const covered = hostsOf(others);
      const exposed = [...hostsOf(universal)].filter((h) => !covered.has(h));
      const text = [
        `Disable Universal SSL on zone ${args.zone_id}.`,
        `Cloudflare removes the Universal certificate${universal.length === 1 ? "" : "s"} (${quoteApiList([...hostsOf(universal)]) || "none active"}) from the edge and orders no new one.`,
        others.length
          ? `Other active certificates stay: ${others.map((p) => `${quoteApiText(p.type)} ${quoteApiText(p.id)} (${quoteApiList(p.hosts ?? [])})`).join("; ")}.`
          : "No other active certificate exists on the zone.",
        exposed.length
          ? `Left with no certificate: ${quoteApiList(exposed)}. With HSTS, Always Use HTTPS or HTTPS redirects on, visitors cannot reach them.`
          : "Every Universal host is covered by another active certificate.",
        "Re-enabling later orders a new Universal certificate, which takes time to issue.",
      ].join(" ");
      const state = packs.map((p) => ({ id: p.id, type: p.type, status: p.status, hosts: p.hosts }));
      return { text, state: { enabled: current.enabled, packs: state } };
    },
    hints: { ambiguous: "Read the setting with get_universal_ssl_settings before calling again." },
  }),
];
