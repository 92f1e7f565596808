// How the sandbox's state reads on the wire: the JSON shapes the v4 API answers with.
import { idFor, iso, type Pack, validationRecords, type Zone } from "./state.js";

export function packJson(zone: Zone, pack: Pack) {
  const records = validationRecords(zone, pack);
  return {
    id: pack.id,
    type: pack.type,
    hosts: pack.hosts,
    status: pack.status,
    certificates: pack.certificates.map((c) => ({ ...c, zone_id: zone.id })),
    ...(pack.certificates.length ? { primary_certificate: pack.certificates[0]?.id } : {}),
    ...(pack.validation_method ? { validation_method: pack.validation_method } : {}),
    ...(pack.validity_days ? { validity_days: pack.validity_days } : {}),
    ...(pack.certificate_authority ? { certificate_authority: pack.certificate_authority } : {}),
    ...(pack.type === "advanced" ? { cloudflare_branding: pack.cloudflare_branding ?? false } : {}),
    ...(records.length ? { validation_records: records } : {}),
    ...(pack.validation_errors?.length ? { validation_errors: pack.validation_errors } : {}),
  };
}

export function customCertificateJson(zone: Zone, pack: Pack) {
  return pack.certificates.map((c) => ({
    id: c.id,
    zone_id: zone.id,
    hosts: c.hosts,
    issuer: c.issuer,
    signature: c.signature,
    status: c.status,
    bundle_method: c.bundle_method,
    uploaded_on: c.uploaded_on,
    modified_on: c.modified_on,
    expires_on: c.expires_on,
    priority: c.priority ?? 20,
  }));
}

export function automaticJson(zone: Zone, now: number) {
  return {
    id: "ssl_automatic_mode",
    editable: true,
    modified_on: zone.automatic.modified_on,
    value: zone.automatic.value,
    ...(zone.automatic.value === "auto" ? { next_scheduled_scan: iso(now + 7 * 86_400_000) } : {}),
  };
}

const VERIFICATION_STATUS: Record<string, string> = {
  initializing: "initializing",
  pending_validation: "authorizing",
  validation_timed_out: "timing_out",
  pending_issuance: "issuing",
  pending_deployment: "pending_deployment",
  active: "active",
  expired: "expired",
};

/** The verification endpoint's view of the zone's packs (`packs` already moved to now). */
export function verificationJson(zone: Zone, packs: Pack[]) {
  return packs
    .filter((p) => (p.type === "universal" || p.type === "advanced") && p.status in VERIFICATION_STATUS)
    .map((p) => {
      const record = validationRecords(zone, p)[0] as Record<string, string> | undefined;
      const method = p.dcv_method ?? p.validation_method;
      const info =
        method === "cname"
          ? {
              record_name: `_acme-challenge.${zone.name}`,
              record_target: `${zone.name}.${idFor(p.id, "dcv").slice(0, 12)}.dcv.cloudflare.com`,
            }
          : record?.txt_name
            ? { record_name: record.txt_name, record_target: record.txt_value }
            : record?.http_url
              ? { record_name: record.http_url, record_target: record.http_body }
              : undefined;
      return {
        cert_pack_uuid: p.id,
        certificate_status: VERIFICATION_STATUS[p.status],
        signature: "ECDSAWithSHA256",
        ...(method && method !== "email" ? { validation_method: method } : {}),
        ...(info ? { verification_info: info } : {}),
        verification_status: p.status === "active",
        verification_type: "cname",
        brand_check: false,
      };
    });
}
