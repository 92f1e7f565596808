import { z } from "zod/v4";
import { hostname } from "./fields.js";
import { defineTool } from "./spec.js";

interface RawZone {
  id: string;
  name: string;
  status?: string;
  plan?: { name?: string };
}

/**
 * The name, then its parents: users name a host ("shop.example.com") as often as the zone. At most six
 * look-ups: the three most specific names and the three least specific, where registrable domains sit.
 */
function candidates(name: string): string[] {
  const labels = name.replace(/^\*\./, "").split(".");
  const all = labels.slice(0, -1).map((_, i) => labels.slice(i).join("."));
  return all.length <= 6 ? all : [...all.slice(0, 3), ...all.slice(-3)];
}

export const zoneTools = [
  defineTool({
    name: "find_zone",
    title: "Find zone by domain",
    description:
      "Turn a domain or hostname (shop.example.com) into its zone's id, status and plan, for every other tool. Needs the token's Zone: Read permission.",
    kind: "read",
    idempotent: true,
    endpoint: "listZones",
    effect: "none",
    permission: "Zone: Read",
    input: z.strictObject({ name: hostname.describe("Domain or hostname, e.g. example.com") }),
    output: z.looseObject({
      zones: z.array(
        z.looseObject({
          id: z.string(),
          name: z.string(),
          status: z.string().optional(),
          plan: z.string().optional(),
        }),
      ),
      note: z.string().optional(),
    }),
    handler: async ({ name }, ctx) => {
      for (const candidate of candidates(name)) {
        const { result } = await ctx.read<RawZone[]>("listZones", {}, { name: candidate });
        const zones = Array.isArray(result) ? result : [];
        if (zones.length > 0) {
          return {
            zones: zones.map((zone) => ({
              id: zone.id,
              name: zone.name,
              status: zone.status,
              plan: zone.plan?.name,
            })),
          };
        }
      }
      return {
        zones: [],
        note: `No zone named ${candidates(name).join(" or ")} is visible to this token: check the spelling, or that the token's Zone: Read permission includes that zone.`,
      };
    },
  }),
];
