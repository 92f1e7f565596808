// Findings about the zone as a whole: Universal SSL, hosts no certificate serves, the pack quota, and parts
// of the zone that could not be read.
import type { NextAction } from "../finding.js";
import { capList, coverageOf, hostsText } from "../hosts.js";
import { isServing } from "../packs.js";
import { zoneRule } from "../rule.js";

/** The most hosts a suggested order names. */
const MAX_ORDER_HOSTS = 50;

export const universalDisabled = zoneRule({
  codes: ["universal_disabled_uncovered", "universal_disabled"],
  about:
    "Universal SSL is disabled; critical when it leaves the apex or its wildcard with no serving certificate.",
  code: ({ exposed }) => (exposed.length ? "universal_disabled_uncovered" : "universal_disabled"),
  applies: (view) => {
    if (view.state.universal?.enabled !== false) return [];
    const { apex } = view;
    const universalHosts = apex ? [apex, `*.${apex}`].filter(view.relevant) : [];
    return [{ exposed: universalHosts.filter((h) => !view.servingCovers(h)) }];
  },
  severity: ({ exposed }) => (exposed.length ? "critical" : "low"),
  summary: ({ exposed }) =>
    exposed.length
      ? `Universal SSL is disabled and ${hostsText(exposed)} ${exposed.length === 1 ? "has" : "have"} no active certificate`
      : "Universal SSL is disabled; other certificates cover its hosts",
  hosts: ({ exposed }) => (exposed.length ? exposed : undefined),
  nextAction: ({ exposed }, view) =>
    exposed.length
      ? { tool: "update_universal_ssl_settings", arguments: { zone_id: view.zoneId, enabled: true } }
      : { do: "Nothing, unless those other certificates go away." },
});

export const hostsUncovered = zoneRule({
  codes: ["hosts_uncovered"],
  about: "Hosts that packs name, or that were asked about, and no serving certificate covers.",
  applies: (view) => {
    const uncovered = view.hosts.filter((h) => !view.servingCovers(h));
    if (!uncovered.length) return [];
    const pendingCovers = coverageOf(view.packs.filter((p) => !isServing(p)));
    return [{ uncovered, pending: uncovered.filter(pendingCovers) }];
  },
  severity: () => "high",
  summary: ({ uncovered }) =>
    `${uncovered.length} host${uncovered.length === 1 ? " has" : "s have"} no active certificate: ${hostsText(uncovered)}`,
  hosts: ({ uncovered }) => capList(uncovered),
  evidence: ({ pending }) => ({ waiting_on_a_pending_pack: capList(pending) }),
  nextAction: ({ uncovered, pending }, view): NextAction =>
    pending.length === uncovered.length
      ? { do: "Each is waiting for a pack that is not active yet: follow that pack's finding." }
      : {
          tool: "order_certificate_pack",
          arguments: {
            zone_id: view.zoneId,
            hosts: [
              ...new Set([
                ...(view.apex ? [view.apex] : []),
                ...uncovered.filter((h) => !pending.includes(h)),
              ]),
            ].slice(0, MAX_ORDER_HOSTS),
            validation_method: "txt",
            validity_days: 90,
            certificate_authority: "google",
          },
        },
});

export const advancedQuota = zoneRule({
  codes: ["quota_exhausted", "quota_nearly_exhausted"],
  about: "The Advanced Certificate Manager quota is used up, or nearly.",
  code: ({ exhausted }) => (exhausted ? "quota_exhausted" : "quota_nearly_exhausted"),
  applies: (view) => {
    const allocated = view.state.quota?.advanced?.allocated;
    const used = view.state.quota?.advanced?.used ?? 0;
    // Only numbers are judged, and so only numbers reach the sentence.
    if (typeof allocated !== "number" || typeof used !== "number") return [];
    if (allocated <= 0 || used < allocated - 1) return [];
    return [{ allocated, used, exhausted: used >= allocated }];
  },
  severity: ({ exhausted }) => (exhausted ? "medium" : "low"),
  summary: ({ allocated, used, exhausted }) =>
    exhausted
      ? `all ${allocated} advanced certificate packs are in use: a new order will fail`
      : `${used} of ${allocated} advanced certificate packs are in use: one order left`,
  evidence: ({ allocated, used }) => ({ allocated, used }),
  nextAction: () => ({
    do: "Delete an advanced pack that is no longer needed (delete_certificate_pack), or raise the Advanced Certificate Manager quota.",
  }),
});

export const partUnreadable = zoneRule({
  codes: ["incomplete"],
  about:
    "A part of the zone (verification, Universal SSL, Automatic SSL/TLS, quota) could not be read, so findings may be missing.",
  applies: (view) => view.state.unavailable.map((part) => ({ part })),
  severity: () => "info",
  summary: ({ part }) => `could not read ${part}; findings that depend on it may be missing`,
  nextAction: () => ({ do: "Check the token's permissions for that part." }),
});

export const packListTruncated = zoneRule({
  codes: ["incomplete"],
  about: "The pack list was cut short (too many pages or too large), so findings may be missing.",
  applies: (view) => (view.state.packsTruncated ? [{ why: view.state.packsTruncated }] : []),
  severity: () => "info",
  summary: ({ why }) => `the pack list ${why}`,
  nextAction: () => ({ do: "Narrow the triage with hosts." }),
});
