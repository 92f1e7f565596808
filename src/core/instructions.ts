// The MCP `instructions`: how the tools fit together, in as few words as a model needs.
import { TOOL_DEFINITIONS } from "../tools/listing.js";

/**
 * Tools whose spec builds a plan for the user to approve before anything is sent, in registry order: those
 * whose result may be an approval (read from the listing, so the specs need not load to say it).
 */
export const APPROVAL_TOOLS: readonly string[] = TOOL_DEFINITIONS.filter(
  (d) => (d.outputSchema.properties as Record<string, unknown> | undefined)?.approval !== undefined,
).map((d) => d.name);

export function instructionsFor(options: { readOnly: boolean; sandbox: boolean }): string {
  const lines = [
    "Cloudflare SSL/TLS: tools take zone_id (32 hex chars), which find_zone gives for a domain name.",
    "For any question about what is wrong, expiring or stuck, start with triage_certificates; without zone_id it covers every zone.",
    "Pack ids come from list_certificate_packs (status all shows pending, failed and custom packs); custom certificate ids are the certificates of sni_custom/legacy_custom packs.",
    "Validation: get_certificate_pack or get_ssl_verification give the DNS/HTTP records to publish; update_ssl_verification_method changes the method; restart_certificate_pack_validation revives validation_timed_out packs.",
  ];
  if (!options.readOnly) {
    lines.push(
      "order_certificate_pack uses paid Advanced Certificate Manager quota (check get_certificate_pack_quota) and is never retried; after an unclear failure, list packs before ordering again.",
      `${listed(APPROVAL_TOOLS)} may need the user's approval: the user is asked directly where the client can, else the first call returns a plan with a confirm value; show the plan and call again with that confirm only if the user agrees.`,
    );
  }
  lines.push("get_ssl_recommendation is deprecated: use get_automatic_ssl_mode.");
  if (options.sandbox) {
    lines.unshift(
      "SANDBOX MODE: a simulated Cloudflare API with demo zone example.com (id 023e105f4ecef8ad9ca31a8372d0c353); nothing real is read or changed.",
    );
  }
  return lines.join("\n");
}

function listed(names: readonly string[]): string {
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
