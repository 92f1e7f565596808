// The rest of the sandbox's fleet, one zone per thing a fleet triage should find: a healthy zone, a
// certificate about to expire, validation stuck on unpublished records, Universal SSL off with nothing on
// the apex, and an order whose validation timed out.
import { idFor, iso, type Pack, type Zone } from "./state.js";

const DAY = 86_400_000;

type Add = (
  zone: Zone,
  pack: Omit<Pack, "id" | "certificates"> & { key: string; issuedDaysAgo?: number },
) => Pack;

function zone(name: string, plan: string, universal: boolean, now: number): Zone {
  return {
    id: idFor("sandbox-zone", name),
    name,
    plan,
    acm: plan !== "Free",
    quota: plan === "Free" ? 0 : 5,
    universal,
    automatic: { value: "auto", modified_on: iso(now - 60 * DAY) },
    packs: new Map(),
  };
}

const universalPack = (host: string, issuedDaysAgo: number) => ({
  key: "universal",
  type: "universal",
  status: "active",
  hosts: [host, `*.${host}`],
  validation_method: "txt" as const,
  validity_days: 90,
  certificate_authority: "google" as const,
  issuedDaysAgo,
});

export function fleetZones(now: number, add: Add): Zone[] {
  const healthy = zone("example.org", "Pro", true, now);
  add(healthy, universalPack("example.org", 12));

  const expiring = zone("shop.example", "Business", true, now);
  add(expiring, universalPack("shop.example", 40));
  add(expiring, {
    key: "advanced-checkout",
    type: "advanced",
    status: "active",
    hosts: ["shop.example", "checkout.shop.example"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "lets_encrypt",
    issuedDaysAgo: 85,
  });

  const stuck = zone("blog.example", "Pro", true, now);
  add(stuck, universalPack("blog.example", 25));
  add(stuck, {
    key: "advanced-news",
    type: "advanced",
    status: "pending_validation",
    hosts: ["blog.example", "news.blog.example", "media.news.blog.example"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "google",
    stuck: true,
  });

  const uncovered = zone("docs.example", "Free", false, now);

  const failed = zone("api.example", "Business", true, now);
  add(failed, universalPack("api.example", 30));
  add(failed, {
    key: "advanced-v2",
    type: "advanced",
    status: "validation_timed_out",
    hosts: ["api.example", "v2.api.example", "edge.v2.api.example"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "lets_encrypt",
  });
  // Universal SSL is off and only a pack for one subdomain serves: the apex has no certificate.
  add(uncovered, {
    key: "advanced-status",
    type: "advanced",
    status: "active",
    hosts: ["status.docs.example"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "google",
    issuedDaysAgo: 10,
  });
  return [healthy, expiring, stuck, uncovered, failed];
}
