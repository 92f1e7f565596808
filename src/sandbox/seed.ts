// The sandbox's world as it starts: the demo zone shows every interesting case, the second one lacks ACM.

import { fleetZones } from "./seed-fleet.js";
import {
  certificatesFor,
  DEMO_ZONE_ID,
  DEMO_ZONE_NAME,
  FREE_ZONE_ID,
  FREE_ZONE_NAME,
  idFor,
  iso,
  type Pack,
  type Zone,
} from "./state.js";

const DAY = 86_400_000;

export type SeedPack = Omit<Pack, "id" | "certificates"> & { key: string; issuedDaysAgo?: number };

/** Adds a seeded pack to a zone, with certificates issued `issuedDaysAgo` days before `now` when given. */
export function packAdder(now: number) {
  return (zone: Zone, pack: SeedPack): Pack => {
    const { key, issuedDaysAgo, ...rest } = pack;
    const full: Pack = { id: idFor(zone.id, "pack", key), certificates: [], ...rest };
    if (issuedDaysAgo !== undefined)
      full.certificates = certificatesFor(zone, full, now - issuedDaysAgo * DAY);
    zone.packs.set(full.id, full);
    return full;
  };
}

/**
 * The sandbox's world at `now`: the demo zone shows every interesting case, the second one lacks ACM, and
 * the rest make a small fleet (see seed-fleet.ts). example.com stays first.
 */
export function seedZones(now: number): Map<string, Zone> {
  const demo: Zone = {
    id: DEMO_ZONE_ID,
    name: DEMO_ZONE_NAME,
    plan: "Business",
    acm: true,
    quota: 5,
    universal: true,
    automatic: { value: "auto", modified_on: iso(now - 30 * DAY) },
    packs: new Map(),
  };
  const add = packAdder(now);

  add(demo, {
    key: "universal",
    type: "universal",
    status: "active",
    hosts: ["example.com", "*.example.com"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "google",
    issuedDaysAgo: 30,
  });
  add(demo, {
    key: "advanced-expiring",
    type: "advanced",
    status: "active",
    hosts: ["example.com", "www.example.com"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "lets_encrypt",
    issuedDaysAgo: 80,
  });
  add(demo, {
    key: "advanced-pending",
    type: "advanced",
    status: "pending_validation",
    hosts: ["example.com", "shop.example.com"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "google",
    stuck: true,
  });
  add(demo, {
    key: "advanced-timed-out",
    type: "advanced",
    status: "validation_timed_out",
    hosts: ["example.com", "api.example.com"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "lets_encrypt",
  });
  add(demo, {
    key: "advanced-failed",
    type: "advanced",
    status: "pending_validation",
    hosts: ["example.com", "blog.example.com"],
    validation_method: "http",
    validity_days: 90,
    certificate_authority: "google",
    stuck: true,
    validation_errors: [
      { message: "blog.example.com: CAA record does not allow pki.goog to issue certificates" },
      {
        message:
          "blog.example.com: HTTP 404 at /.well-known/acme-challenge (the origin answered instead of Cloudflare)",
      },
    ],
  });
  for (const [key, type, hosts, priority, daysLeft] of [
    ["custom-sni", "sni_custom", ["example.com", "legacy.example.com"], 1, 200],
    ["custom-legacy", "legacy_custom", ["example.com", "*.example.com"], 2, 300],
  ] as const) {
    const pack = add(demo, { key, type, status: "active", hosts: [...hosts] });
    pack.certificates = [
      {
        id: idFor(demo.id, "custom-certificate", key),
        hosts: [...hosts],
        status: "active",
        issuer: "DigiCert",
        signature: "SHA256WithRSA",
        expires_on: iso(now + daysLeft * DAY),
        uploaded_on: iso(now - 100 * DAY),
        modified_on: iso(now - 100 * DAY),
        bundle_method: "ubiquitous",
        priority,
      },
    ];
  }

  const free: Zone = {
    id: FREE_ZONE_ID,
    name: FREE_ZONE_NAME,
    plan: "Free",
    acm: false,
    quota: 0,
    universal: true,
    automatic: { value: "custom", modified_on: iso(now - 90 * DAY) },
    packs: new Map(),
  };
  add(free, {
    key: "universal",
    type: "universal",
    status: "active",
    hosts: ["example.net", "*.example.net"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "lets_encrypt",
    issuedDaysAgo: 20,
  });
  return new Map([demo, free, ...fleetZones(now, add)].map((zone) => [zone.id, zone]));
}
