import { z } from "zod/v4";
import { PlanText, quoteApiText } from "../lib/text.js";
import { listAllPacks, type RawPack } from "./certificate-packs.js";
import { confirm, zoneId } from "./fields.js";
import { defineTool } from "./spec.js";

const universalOutput = z.looseObject({ enabled: z.boolean().optional() });

function hostsOf(packs: RawPack[]): Set<string> {
  return new Set(packs.flatMap((p) => p.hosts ?? []));
}

const quoteHost = (host: unknown) => quoteApiText(host, 260);

/** One pack of a plan: its type, id and first hosts; its other hosts are counted in the plan's omissions. */
function packLine(plan: PlanText, pack: RawPack): string {
  const hosts = plan.itemsWithin(pack.hosts ?? [], quoteHost, { share: 200, noun: "hosts" });
  return `${quoteApiText(pack.type, 40)} ${quoteApiText(pack.id, 80)} (${hosts})`;
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
      const universalHosts = hostsOf(universal);
      const exposed = [...universalHosts].filter((h) => !covered.has(h));
      const plan = new PlanText().say(`Disable Universal SSL on zone ${args.zone_id}.`);
      if (exposed.length) {
        plan.list("Left with no certificate: ", exposed, quoteHost, {
          share: 1400,
          noun: "hosts",
          after: ". With HSTS, Always Use HTTPS or HTTPS redirects on, visitors cannot reach them.",
        });
      } else plan.say("Every Universal host is covered by another active certificate.");
      plan.say(
        `Cloudflare removes the Universal certificate${universal.length === 1 ? "" : "s"} (${plan.itemsWithin(universalHosts, quoteHost, { share: 600, noun: "hosts" }) || "none active"}) from the edge and orders no new one.`,
      );
      if (others.length) {
        plan.list("Other active certificates stay: ", others, (p) => packLine(plan, p), {
          share: 1400,
          separator: "; ",
          noun: "packs",
          after: ".",
        });
      } else plan.say("No other active certificate exists on the zone.");
      plan.say("Re-enabling later orders a new Universal certificate, which takes time to issue.");
      const state = packs.map((p) => ({ id: p.id, type: p.type, status: p.status, hosts: p.hosts }));
      return {
        text: plan.toString(),
        omitted: plan.omitted,
        state: { enabled: current.enabled, packs: state },
      };
    },
    hints: { ambiguous: "Read the setting with get_universal_ssl_settings before calling again." },
  }),
];
