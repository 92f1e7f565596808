// What a pack's raw fields mean for triage: whether it serves, when it expires, what it failed on, the
// records it waits for and how to order it again.
import type { NextAction } from "./finding.js";
import type { RawPack, Verification } from "./state.js";

export const DAY = 86_400_000;
/** Statuses in which a pack's certificate is deployed and answering. */
const SERVING = new Set(["active", "pending_cleanup", "pending_expiration"]);
/** Statuses of packs that no longer count. */
const GONE = new Set(["deleted", "inactive", "deactivating"]);

export const isServing = (pack: RawPack): boolean => SERVING.has(pack.status);
export const isGone = (pack: RawPack): boolean => GONE.has(pack.status);
export const isCustom = (type: string): boolean => type === "sni_custom" || type === "legacy_custom";
export const isWildcard = (host: string): boolean => host.startsWith("*.");

/** The earliest expiry among the pack's certificates. */
export function expiryOf(pack: RawPack): number | undefined {
  const times = (pack.certificates ?? [])
    .map((c) => (c.expires_on ? Date.parse(c.expires_on) : Number.NaN))
    .filter(Number.isFinite);
  return times.length ? Math.min(...times) : undefined;
}

/** Whether the pack has expired by `now`: so marked, or serving a certificate past its date. */
export function hasExpired(pack: RawPack, now: number): boolean {
  const expiry = expiryOf(pack);
  return pack.status === "expired" || (isServing(pack) && expiry !== undefined && expiry <= now);
}

/** The validation error messages the API gave for the pack. */
export function validationErrorsOf(pack: RawPack): string[] {
  return (pack.validation_errors ?? []).map((e) => e.message).filter((m): m is string => Boolean(m));
}

/** A wildcard pack not yet serving on HTTP validation, which cannot validate a wildcard. */
export function wildcardOnHttp(pack: RawPack): boolean {
  return pack.validation_method === "http" && (pack.hosts ?? []).some(isWildcard) && !isServing(pack);
}

/** What every pack finding shows of its pack, plus what the rule adds. */
export function packEvidence(pack: RawPack, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: pack.type,
    status: pack.status,
    ...(pack.validation_method ? { validation_method: pack.validation_method } : {}),
    ...extra,
  };
}

/** The records to publish for a pack, from its validation records or, failing those, the verification API. */
export function recordsFor(
  pack: RawPack,
  verifications: Verification[] | undefined,
): Record<string, unknown>[] {
  const fromPack = (pack.validation_records ?? []).flatMap((r): Record<string, unknown>[] => {
    if (r.txt_name) return [{ type: "TXT", name: r.txt_name, value: r.txt_value }];
    if (r.cname) return [{ type: "CNAME", name: r.cname, target: r.cname_target }];
    if (r.http_url) return [{ type: "HTTP", url: r.http_url, body: r.http_body }];
    if (Array.isArray(r.emails)) return [{ type: "EMAIL", approve_from_one_of: r.emails }];
    return [];
  });
  if (fromPack.length) return fromPack;
  const v = verifications?.find((x) => x.cert_pack_uuid === pack.id);
  const info = v?.verification_info;
  if (!info?.record_name) return [];
  const type = v?.validation_method === "http" ? "HTTP" : v?.validation_method === "cname" ? "CNAME" : "TXT";
  return [
    type === "HTTP"
      ? { type, url: info.record_name, body: info.record_target }
      : { type, name: info.record_name, value: info.record_target },
  ];
}

/** The order_certificate_pack arguments that would order the same pack again, valid for its hosts. */
export function reorderArguments(zoneId: string, pack: RawPack): Record<string, unknown> {
  const wildcard = (pack.hosts ?? []).some(isWildcard);
  const ca = pack.certificate_authority ?? "google";
  return {
    zone_id: zoneId,
    hosts: pack.hosts,
    validation_method:
      wildcard || pack.validation_method === "email" ? "txt" : (pack.validation_method ?? "txt"),
    validity_days: ca === "lets_encrypt" ? 90 : (pack.validity_days ?? 90),
    certificate_authority: ca,
  };
}

/** How a pack gets a fresh certificate: uploaded by the user, ordered again, or renewed by Cloudflare. */
export function renewalOf(zoneId: string, pack: RawPack): NextAction {
  if (isCustom(pack.type))
    return {
      do: "Upload a renewed certificate for these hosts: Cloudflare does not renew custom certificates.",
    };
  if (pack.type === "advanced")
    return { tool: "order_certificate_pack", arguments: reorderArguments(zoneId, pack) };
  return {
    tool: "get_ssl_verification",
    arguments: { zone_id: zoneId, retry: true },
    do: "Cloudflare renews this certificate itself; the recheck shows what blocks renewal.",
  };
}

export const recheck = (zoneId: string): NextAction => ({
  tool: "get_ssl_verification",
  arguments: { zone_id: zoneId, retry: true },
});
