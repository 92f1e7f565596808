// What is wrong with a zone's certificates and what to do next, from state already read. Pure: the tool in
// src/tools/triage.ts reads the state; this decides.
import type { RawPack } from "../tools/certificate-packs.js";

export type Severity = "critical" | "high" | "medium" | "low" | "info";
const SEVERITIES: Severity[] = ["critical", "high", "medium", "low", "info"];

export interface NextAction {
  /** Records the user publishes at their DNS provider or origin. */
  publish?: Record<string, unknown>[];
  /** The tool to call, with its arguments, after any publishing. */
  tool?: string;
  arguments?: Record<string, unknown>;
  /** What a person has to do where no tool can. */
  do?: string;
}

export interface Finding {
  severity: Severity;
  code: string;
  summary: string;
  hosts?: string[];
  pack_ids?: string[];
  evidence?: Record<string, unknown>;
  next_action: NextAction;
}

export interface Verification {
  cert_pack_uuid?: string;
  validation_method?: string;
  verification_info?: { record_name?: string; record_target?: string };
}

export interface TriageState {
  zoneId: string;
  now: number;
  horizonDays: number;
  hostFilter?: string[];
  packs: RawPack[];
  verifications?: Verification[];
  universal?: { enabled?: boolean };
  automatic?: { value?: string };
  quota?: { advanced?: { allocated?: number; used?: number } };
  /** Parts that could not be read, with why. */
  unavailable: string[];
  packsTruncated?: string;
}

export interface TriageReport {
  summary: string;
  healthy: boolean;
  counts: Record<Severity, number>;
  findings: Finding[];
}

const DAY = 86_400_000;
/** Per problem kind, findings beyond this are folded into one that counts them. */
const MAX_PER_CODE = 3;
const MAX_LIST = 10;
const SERVING = new Set(["active", "pending_cleanup", "pending_expiration"]);
const GONE = new Set(["deleted", "inactive", "deactivating"]);
const CA_DOMAIN: Record<string, string> = {
  google: "pki.goog",
  lets_encrypt: "letsencrypt.org",
  ssl_com: "ssl.com",
};

/** Whether a certificate host covers a hostname: the same name, or a wildcard one label above it. */
export function covers(certHost: string, host: string): boolean {
  if (certHost === host) return true;
  if (!certHost.startsWith("*.")) return false;
  const rest = certHost.slice(2);
  return host.endsWith(`.${rest}`) && !host.slice(0, -rest.length - 1).includes(".");
}

function expiryOf(pack: RawPack): number | undefined {
  const times = (pack.certificates ?? [])
    .map((c) => (c.expires_on ? Date.parse(c.expires_on) : Number.NaN))
    .filter(Number.isFinite);
  return times.length ? Math.min(...times) : undefined;
}

function cap(list: string[]): string[] {
  return list.length <= MAX_LIST ? list : [...list.slice(0, MAX_LIST), `…and ${list.length - MAX_LIST} more`];
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The records to publish for a pack, from its validation records or, failing those, the verification API. */
function recordsFor(pack: RawPack, verifications: Verification[] | undefined): Record<string, unknown>[] {
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

function reorderArguments(zoneId: string, pack: RawPack): Record<string, unknown> {
  const wildcard = (pack.hosts ?? []).some((h) => h.startsWith("*."));
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

/** The zone apex: the name most hosts are at or below. */
function apexOf(hosts: string[]): string | undefined {
  const names = new Set(hosts.map((h) => h.replace(/^\*\./, "")));
  // Each name counts once for itself and for each of its parents that is also a name: linear in the hosts.
  const count = new Map<string, number>();
  for (const name of names) {
    for (let at = 0; at !== -1; at = name.indexOf(".", at + 1)) {
      const suffix = at === 0 ? name : name.slice(at + 1);
      if (names.has(suffix)) count.set(suffix, (count.get(suffix) ?? 0) + 1);
      if (at === 0 && !name.includes(".")) break;
    }
  }
  let best: { name: string; count: number } | undefined;
  for (const [name, n] of count) {
    if (!best || n > best.count || (n === best.count && name.length < best.name.length))
      best = { name, count: n };
  }
  return best?.name;
}

export function triage(state: TriageState): TriageReport {
  const { zoneId, now } = state;
  const horizon = now + state.horizonDays * DAY;
  const filter = state.hostFilter;
  const relevant = (host: string) =>
    !filter || filter.some((f) => f === host || covers(host, f) || covers(f, host));
  const packs = state.packs.filter((p) => !GONE.has(p.status) && (!filter || (p.hosts ?? []).some(relevant)));
  const serving = packs.filter(
    (p) => SERVING.has(p.status) && (expiryOf(p) ?? Number.POSITIVE_INFINITY) > now,
  );
  const findings: Finding[] = [];
  const packRef = (p: RawPack) => ({ hosts: cap((p.hosts ?? []).filter(relevant)), pack_ids: [p.id] });
  const evidence = (p: RawPack, extra: Record<string, unknown> = {}) => ({
    type: p.type,
    status: p.status,
    ...(p.validation_method ? { validation_method: p.validation_method } : {}),
    ...extra,
  });
  const add = (f: Finding) => findings.push(f);

  for (const pack of packs) {
    const expiry = expiryOf(pack);
    const custom = pack.type === "sni_custom" || pack.type === "legacy_custom";
    const renew: NextAction = custom
      ? { do: "Upload a renewed certificate for these hosts: Cloudflare does not renew custom certificates." }
      : pack.type === "advanced"
        ? { tool: "order_certificate_pack", arguments: reorderArguments(zoneId, pack) }
        : {
            tool: "get_ssl_verification",
            arguments: { zone_id: zoneId, retry: true },
            do: "Cloudflare renews this certificate itself; the recheck shows what blocks renewal.",
          };

    if (pack.status === "expired" || (SERVING.has(pack.status) && expiry !== undefined && expiry <= now)) {
      add({
        severity: "critical",
        code: "expired",
        summary: `${pack.type} certificate for ${(pack.hosts ?? []).join(", ")} has expired`,
        ...packRef(pack),
        evidence: evidence(pack, expiry ? { expired_on: new Date(expiry).toISOString() } : {}),
        next_action: renew,
      });
      continue;
    }
    if (SERVING.has(pack.status) && expiry !== undefined && expiry <= horizon) {
      const coversAll = (other: RawPack) =>
        other !== pack && (pack.hosts ?? []).every((h) => (other.hosts ?? []).some((oh) => covers(oh, h)));
      // A replacement is a renewal: the same kind of pack, issued or on its way. Another kind that overlaps
      // (the Universal wildcard) is only a fallback, and it is said as such.
      const replaced = packs.some(
        (other) =>
          other.type === pack.type &&
          coversAll(other) &&
          !other.status.endsWith("_timed_out") &&
          other.status !== "expired" &&
          (expiryOf(other) ?? Number.POSITIVE_INFINITY) > expiry,
      );
      if (!replaced) {
        const days = Math.ceil((expiry - now) / DAY);
        const fallback = serving.find(
          (other) => coversAll(other) && (expiryOf(other) ?? Number.POSITIVE_INFINITY) > expiry,
        );
        add({
          severity: days <= 7 ? "high" : "medium",
          code: "expiring",
          summary: `${pack.type} certificate for ${(pack.hosts ?? []).join(", ")} expires in ${days} day${days === 1 ? "" : "s"} (${isoDay(expiry)}) with no replacement${fallback ? `; the ${fallback.type} pack would then serve these hosts` : ""}`,
          ...packRef(pack),
          evidence: evidence(pack, {
            expires_on: new Date(expiry).toISOString(),
            days_left: days,
            ...(fallback ? { fallback_pack: fallback.id } : {}),
          }),
          next_action: renew,
        });
      }
    }

    const errors = (pack.validation_errors ?? [])
      .map((e) => e.message)
      .filter((m): m is string => Boolean(m));
    const wildcardHttp =
      pack.validation_method === "http" &&
      (pack.hosts ?? []).some((h) => h.startsWith("*.")) &&
      !SERVING.has(pack.status);
    if (wildcardHttp) {
      add({
        severity: "high",
        code: "wildcard_http_validation",
        summary: `pack for ${(pack.hosts ?? []).join(", ")} uses HTTP validation, which cannot validate a wildcard`,
        ...packRef(pack),
        evidence: evidence(pack),
        next_action: {
          tool: "update_ssl_verification_method",
          arguments: { zone_id: zoneId, certificate_pack_id: pack.id, validation_method: "txt" },
          do: "Then publish the TXT records that get_ssl_verification shows.",
        },
      });
    }
    if (errors.length) {
      const caa = errors.some((m) => /caa/i.test(m));
      const httpFailing =
        errors.some((m) => /http|acme-challenge|404/i.test(m)) && pack.validation_method === "http";
      const apex = apexOf(pack.hosts ?? []);
      add({
        severity: "high",
        code: "validation_errors",
        summary: `validation of ${(pack.hosts ?? []).join(", ")} failed: ${errors[0]}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ""}`,
        ...packRef(pack),
        evidence: evidence(pack, { validation_errors: errors.slice(0, 5) }),
        next_action: caa
          ? {
              publish: [
                {
                  type: "CAA",
                  name: apex,
                  value: `0 issue "${CA_DOMAIN[pack.certificate_authority ?? "google"] ?? "pki.goog"}"`,
                },
              ],
              tool: "get_ssl_verification",
              arguments: { zone_id: zoneId, retry: true },
            }
          : httpFailing
            ? {
                tool: "update_ssl_verification_method",
                arguments: { zone_id: zoneId, certificate_pack_id: pack.id, validation_method: "txt" },
                do: "HTTP validation is not reaching Cloudflare; TXT does not depend on the origin.",
              }
            : {
                do: "Fix what the messages say, then ask for a recheck.",
                tool: "get_ssl_verification",
                arguments: { zone_id: zoneId, retry: true },
              },
      });
    }

    if (pack.status === "pending_validation" && !errors.length && !wildcardHttp) {
      const publish = recordsFor(pack, state.verifications);
      add({
        severity: "medium",
        code: "validation_pending",
        summary: `${pack.type} pack for ${(pack.hosts ?? []).join(", ")} waits for domain validation`,
        ...packRef(pack),
        evidence: evidence(pack),
        next_action: publish.length
          ? { publish, tool: "get_ssl_verification", arguments: { zone_id: zoneId, retry: true } }
          : {
              tool: "get_ssl_verification",
              arguments: { zone_id: zoneId },
              do: "Read the records to publish.",
            },
      });
    }
    if (pack.status === "validation_timed_out") {
      const publish = recordsFor(pack, state.verifications);
      add({
        severity: "high",
        code: "validation_timed_out",
        summary: `validation of ${(pack.hosts ?? []).join(", ")} timed out; the certificate was not issued`,
        ...packRef(pack),
        evidence: evidence(pack),
        next_action: {
          ...(publish.length ? { publish } : { do: "Make sure the validation records are published first." }),
          tool: "restart_certificate_pack_validation",
          arguments: { zone_id: zoneId, certificate_pack_id: pack.id },
        },
      });
    }
    if (["initializing_timed_out", "issuance_timed_out", "deployment_timed_out"].includes(pack.status)) {
      add({
        severity: "high",
        code: pack.status,
        summary: `${pack.type} pack for ${(pack.hosts ?? []).join(", ")} is stuck in ${pack.status}`,
        ...packRef(pack),
        evidence: evidence(pack),
        next_action:
          pack.type === "advanced"
            ? {
                tool: "order_certificate_pack",
                arguments: reorderArguments(zoneId, pack),
                do: `Order it again, then delete the stuck pack ${pack.id} with delete_certificate_pack.`,
              }
            : { do: `Contact Cloudflare support with pack id ${pack.id}.` },
      });
    }
    if (pack.status === "deletion_timed_out" || pack.status === "pending_deletion") {
      const stuck = pack.status === "deletion_timed_out";
      add({
        severity: stuck ? "medium" : "low",
        code: stuck ? "deletion_stuck" : "deletion_pending",
        summary: stuck ? `deletion of pack ${pack.id} timed out` : `pack ${pack.id} is being deleted`,
        ...packRef(pack),
        evidence: evidence(pack),
        next_action: stuck
          ? { tool: "delete_certificate_pack", arguments: { zone_id: zoneId, certificate_pack_id: pack.id } }
          : { do: "Nothing: deletion completes on its own." },
      });
    }
  }

  const allHosts = [...new Set([...packs.flatMap((p) => p.hosts ?? []), ...(filter ?? [])])].filter(relevant);
  // Indexed once, so that coverage is linear in the number of hosts, not hosts times packs.
  const coverageOf = (set: RawPack[]) => {
    const names = new Set(set.flatMap((p) => p.hosts ?? []));
    return (host: string) =>
      names.has(host) || (host.includes(".") && names.has(`*.${host.slice(host.indexOf(".") + 1)}`));
  };
  const servingCovers = coverageOf(serving);
  const coveredBy = (host: string, set: RawPack[]) =>
    set === serving ? servingCovers(host) : coverageOf(set)(host);
  const uncovered = allHosts.filter((h) => !coveredBy(h, serving));
  const apex = apexOf(state.packs.flatMap((p) => p.hosts ?? []));
  if (state.universal?.enabled === false) {
    const universalHosts = apex ? [apex, `*.${apex}`].filter(relevant) : [];
    const exposed = universalHosts.filter((h) => !coveredBy(h, serving));
    add({
      severity: exposed.length ? "critical" : "low",
      code: exposed.length ? "universal_disabled_uncovered" : "universal_disabled",
      summary: exposed.length
        ? `Universal SSL is disabled and ${exposed.join(", ")} ${exposed.length === 1 ? "has" : "have"} no active certificate`
        : "Universal SSL is disabled; other certificates cover its hosts",
      ...(exposed.length ? { hosts: exposed } : {}),
      next_action: exposed.length
        ? { tool: "update_universal_ssl_settings", arguments: { zone_id: zoneId, enabled: true } }
        : { do: "Nothing, unless those other certificates go away." },
    });
  }
  if (uncovered.length) {
    const pendingCovers = coverageOf(packs.filter((p) => !SERVING.has(p.status)));
    const pending = uncovered.filter(pendingCovers);
    add({
      severity: "high",
      code: "hosts_uncovered",
      summary: `${uncovered.length} host${uncovered.length === 1 ? " has" : "s have"} no active certificate: ${cap(uncovered).join(", ")}`,
      hosts: cap(uncovered),
      evidence: { waiting_on_a_pending_pack: cap(pending) },
      next_action:
        pending.length === uncovered.length
          ? { do: "Each is waiting for a pack that is not active yet: follow that pack's finding." }
          : {
              tool: "order_certificate_pack",
              arguments: {
                zone_id: zoneId,
                hosts: [
                  ...new Set([...(apex ? [apex] : []), ...uncovered.filter((h) => !pending.includes(h))]),
                ].slice(0, 50),
                validation_method: "txt",
                validity_days: 90,
                certificate_authority: "google",
              },
            },
    });
  }

  const allocated = state.quota?.advanced?.allocated;
  const used = state.quota?.advanced?.used ?? 0;
  if (allocated !== undefined && allocated > 0 && used >= allocated - 1) {
    const exhausted = used >= allocated;
    add({
      severity: exhausted ? "medium" : "low",
      code: exhausted ? "quota_exhausted" : "quota_nearly_exhausted",
      summary: exhausted
        ? `all ${allocated} advanced certificate packs are in use: a new order will fail`
        : `${used} of ${allocated} advanced certificate packs are in use: one order left`,
      evidence: { allocated, used },
      next_action: {
        do: "Delete an advanced pack that is no longer needed (delete_certificate_pack), or raise the Advanced Certificate Manager quota.",
      },
    });
  }
  for (const part of state.unavailable) {
    add({
      severity: "info",
      code: "incomplete",
      summary: `could not read ${part}; findings that depend on it may be missing`,
      next_action: { do: "Check the token's permissions for that part." },
    });
  }
  if (state.packsTruncated) {
    add({
      severity: "info",
      code: "incomplete",
      summary: `the pack list ${state.packsTruncated}`,
      next_action: { do: "Narrow the triage with hosts." },
    });
  }

  const ordered = findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  const report = fold(ordered);
  const counts = Object.fromEntries(
    SEVERITIES.map((s) => [s, ordered.filter((f) => f.severity === s).length]),
  ) as Record<Severity, number>;
  const problems = ordered.filter((f) => f.severity !== "info" && f.severity !== "low");
  const healthy = problems.length === 0;
  let summary: string;
  if (healthy) {
    const expiries = serving
      .map((p) => ({ p, e: expiryOf(p) }))
      .filter((x): x is { p: RawPack; e: number } => x.e !== undefined);
    const next = expiries.sort((a, b) => a.e - b.e)[0];
    summary = `Healthy: ${serving.length} active certificate pack${serving.length === 1 ? " covers" : "s cover"} ${allHosts.length} host${allHosts.length === 1 ? "" : "s"}${next ? `; next expiry ${isoDay(next.e)} (${next.p.type}, renewed ${next.p.type === "sni_custom" || next.p.type === "legacy_custom" ? "by the user" : "automatically"})` : ""}.`;
  } else {
    const parts = SEVERITIES.filter((s) => counts[s] > 0 && s !== "info").map((s) => `${counts[s]} ${s}`);
    summary = `${parts.join(", ")}. Most urgent: ${problems[0]?.summary}.`;
  }
  return { summary, healthy, counts, findings: report };
}

/** Keeps the report bounded for a zone with hundreds of packs: at most MAX_PER_CODE findings per kind. */
function fold(findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, Finding[]>();
  for (const f of findings) {
    const group = seen.get(f.code) ?? [];
    group.push(f);
    seen.set(f.code, group);
    if (group.length <= MAX_PER_CODE) out.push(f);
  }
  for (const [code, group] of seen) {
    if (group.length <= MAX_PER_CODE) continue;
    const rest = group.slice(MAX_PER_CODE);
    const ids = rest.flatMap((f) => f.pack_ids ?? []);
    out.push({
      severity: rest[0]?.severity ?? "info",
      code,
      summary: `${rest.length} more with the same problem (${code})`,
      pack_ids: cap(ids),
      next_action: {
        do: `The same action as above for each; list them with list_certificate_packs (status all).`,
      },
    });
  }
  return out.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
}
