// One valid call per tool against the seeded demo zone; destructive ones need a plan's confirm first
// (test/helpers/approve.ts).
import { readFileSync } from "node:fs";
import { CUSTOM_CERT, PACK, ZONE } from "./harness.js";

const PEM = readFileSync(new URL("../fixtures/example-com.pem", import.meta.url), "utf8");

export const VALID_CALLS: Record<string, Record<string, unknown>> = {
  triage_certificates: { zone_id: ZONE },
  find_zone: { name: "www.example.com" },
  list_certificate_packs: { zone_id: ZONE, status: "all" },
  get_certificate_pack: { zone_id: ZONE, certificate_pack_id: PACK.pending },
  order_certificate_pack: {
    zone_id: ZONE,
    hosts: ["example.com", "e2e.example.com"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "google",
  },
  restart_certificate_pack_validation: { zone_id: ZONE, certificate_pack_id: PACK.timedOut },
  delete_certificate_pack: { zone_id: ZONE, certificate_pack_id: PACK.expiring },
  get_certificate_pack_quota: { zone_id: ZONE },
  get_ssl_verification: { zone_id: ZONE, retry: true },
  update_ssl_verification_method: {
    zone_id: ZONE,
    certificate_pack_id: PACK.pending,
    validation_method: "cname",
  },
  get_universal_ssl_settings: { zone_id: ZONE },
  update_universal_ssl_settings: { zone_id: ZONE, enabled: false },
  get_automatic_ssl_mode: { zone_id: ZONE },
  set_automatic_ssl_mode: { zone_id: ZONE, value: "auto" },
  get_ssl_recommendation: { zone_id: ZONE },
  prioritize_custom_certificates: {
    zone_id: ZONE,
    certificates: [{ id: CUSTOM_CERT.sni, priority: 3 }],
  },
  analyze_certificate: { zone_id: ZONE, certificate: PEM },
};
