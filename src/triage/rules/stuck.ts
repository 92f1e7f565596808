// Packs stuck on their way in or out: issuance or deployment that timed out, and deletion.
import { quoteApiText } from "../../lib/text.js";
import type { NextAction } from "../finding.js";
import { hostsText } from "../hosts.js";
import { packEvidence, reorderArguments } from "../packs.js";
import { packRule } from "../rule.js";

/** Statuses in which a pack stopped on its way to issuance; each is its own finding kind. */
const STUCK = ["initializing_timed_out", "issuance_timed_out", "deployment_timed_out"] as const;

export const stuckOnIssuance = packRule({
  codes: STUCK,
  about: "A pack that stopped on its way to issuance: initializing, issuance or deployment timed out.",
  // The status is the matched word from STUCK, never text the API chose: it names the finding as it is.
  code: ({ status }) => status,
  applies: (pack) => {
    const status = STUCK.find((s) => s === pack.status);
    return status && { status };
  },
  severity: () => "high",
  summary: ({ status }, pack) =>
    `${quoteApiText(pack.type)} pack for ${hostsText(pack.hosts ?? [])} is stuck in ${status}`,
  evidence: (_, pack) => packEvidence(pack),
  nextAction: (_, pack, view): NextAction =>
    pack.type === "advanced"
      ? {
          tool: "order_certificate_pack",
          arguments: reorderArguments(view.zoneId, pack),
          do: `Order it again, then delete the stuck pack ${quoteApiText(pack.id)} with delete_certificate_pack.`,
        }
      : { do: `Contact Cloudflare support with pack id ${quoteApiText(pack.id)}.` },
});

export const deletion = packRule<{ stuck: boolean }>({
  codes: ["deletion_stuck", "deletion_pending"],
  about: "A pack on its way out: deletion pending, or stuck in deletion.",
  code: ({ stuck }) => (stuck ? "deletion_stuck" : "deletion_pending"),
  applies: (pack) =>
    (pack.status === "deletion_timed_out" || pack.status === "pending_deletion") && {
      stuck: pack.status === "deletion_timed_out",
    },
  severity: ({ stuck }) => (stuck ? "medium" : "low"),
  summary: ({ stuck }, pack) =>
    stuck
      ? `deletion of pack ${quoteApiText(pack.id)} timed out`
      : `pack ${quoteApiText(pack.id)} is being deleted`,
  evidence: (_, pack) => packEvidence(pack),
  nextAction: ({ stuck }, pack, view) =>
    stuck
      ? { tool: "delete_certificate_pack", arguments: { zone_id: view.zoneId, certificate_pack_id: pack.id } }
      : { do: "Nothing: deletion completes on its own." },
});
