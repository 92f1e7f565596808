// Certificates past their date, and certificates that will be with nothing to take over.
import { quoteApiText } from "../../lib/text.js";
import { covers, hostsText } from "../hosts.js";
import { DAY, expiryOf, hasExpired, isServing, packEvidence, renewalOf } from "../packs.js";
import { packRule } from "../rule.js";
import type { RawPack } from "../state.js";
import type { TriageView } from "../view.js";

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const hostsOf = (pack: RawPack): string => hostsText(pack.hosts ?? []);

export const expired = packRule({
  codes: ["expired"],
  about: "A certificate pack whose certificates are past their expiry date.",
  applies: (pack, view) => hasExpired(pack, view.now) && { expiry: expiryOf(pack) },
  severity: () => "critical",
  summary: (_, pack) => `${quoteApiText(pack.type)} certificate for ${hostsOf(pack)} has expired`,
  evidence: ({ expiry }, pack) =>
    packEvidence(pack, expiry ? { expired_on: new Date(expiry).toISOString() } : {}),
  nextAction: (_, pack, view) => renewalOf(view.zoneId, pack),
});

interface Expiring {
  expiry: number;
  days: number;
  /** A serving pack of another kind that covers the same hosts for longer. */
  fallback?: RawPack;
}

export const expiring = packRule<Expiring>({
  codes: ["expiring"],
  about:
    "A serving pack that expires within the horizon (horizon_days, default 30) with no renewal on the way; high within 7 days.",
  applies: (pack, view) => {
    const expiry = expiryOf(pack);
    if (!isServing(pack) || expiry === undefined || expiry <= view.now || expiry > view.horizon) return;
    if (hasRenewal(pack, expiry, view)) return;
    const fallback = view.serving.find(
      (other) => coversAll(other, pack) && (expiryOf(other) ?? Number.POSITIVE_INFINITY) > expiry,
    );
    return { expiry, days: Math.ceil((expiry - view.now) / DAY), fallback };
  },
  severity: ({ days }) => (days <= 7 ? "high" : "medium"),
  summary: ({ expiry, days, fallback }, pack) =>
    `${quoteApiText(pack.type)} certificate for ${hostsOf(pack)} expires in ${days} day${days === 1 ? "" : "s"} (${isoDay(expiry)}) with no replacement${fallback ? `; the ${quoteApiText(fallback.type)} pack would then serve these hosts` : ""}`,
  evidence: ({ expiry, days, fallback }, pack) =>
    packEvidence(pack, {
      expires_on: new Date(expiry).toISOString(),
      days_left: days,
      ...(fallback ? { fallback_pack: fallback.id } : {}),
    }),
  nextAction: (_, pack, view) => renewalOf(view.zoneId, pack),
});

/** Whether another pack covers every host of this one. */
function coversAll(other: RawPack, pack: RawPack): boolean {
  return other !== pack && (pack.hosts ?? []).every((h) => (other.hosts ?? []).some((oh) => covers(oh, h)));
}

/**
 * A renewal is the same kind of pack, issued or on its way, that outlives this one. Another kind that
 * overlaps (the Universal wildcard) is only a fallback, and the finding says so.
 */
function hasRenewal(pack: RawPack, expiry: number, view: TriageView): boolean {
  return view.packs.some(
    (other) =>
      other.type === pack.type &&
      coversAll(other, pack) &&
      !other.status.endsWith("_timed_out") &&
      other.status !== "expired" &&
      (expiryOf(other) ?? Number.POSITIVE_INFINITY) > expiry,
  );
}
