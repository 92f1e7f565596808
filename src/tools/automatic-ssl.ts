import { z } from "zod/v4";
import { zoneId } from "./fields.js";
import { automaticMode } from "./outputs.js";
import { defineTool } from "./spec.js";

export const automaticSslTools = [
  defineTool({
    name: "get_automatic_ssl_mode",
    title: "Get Automatic SSL/TLS mode",
    description:
      "Whether Cloudflare picks the zone's SSL/TLS encryption mode itself (auto, with next_scheduled_scan) or the user set it (custom).",
    kind: "read",
    idempotent: true,
    endpoint: "getAutomaticMode",
    effect: "none",
    permission: "SSL and Certificates: Read",
    input: z.strictObject({ zone_id: zoneId }),
    output: automaticMode,
  }),
  defineTool({
    name: "set_automatic_ssl_mode",
    title: "Set Automatic SSL/TLS mode",
    description:
      "auto: Cloudflare scans the origin and sets the strongest encryption mode that works. custom: keep the mode the user chose.",
    kind: "write",
    idempotent: true,
    endpoint: "setAutomaticMode",
    effect: "changes",
    permission: "SSL and Certificates: Edit",
    input: z.strictObject({ zone_id: zoneId, value: z.enum(["auto", "custom"]) }),
    output: automaticMode,
    hints: { codes: { 1008: "value must be auto or custom." } },
  }),
  defineTool({
    name: "get_ssl_recommendation",
    title: "Get SSL/TLS recommendation (deprecated)",
    description:
      "Deprecated upstream, replaced by Automatic SSL/TLS: answers the same as get_automatic_ssl_mode. Use that instead.",
    kind: "read",
    idempotent: true,
    endpoint: "getRecommendation",
    effect: "none",
    permission: "SSL and Certificates: Read",
    input: z.strictObject({ zone_id: zoneId }),
    output: automaticMode,
  }),
];
