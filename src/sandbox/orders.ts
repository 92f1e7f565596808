// The two ways a pack comes into being: an ACM order, checked against the contract's rules and the zone's
// quota, and Universal SSL switched back on.
import { addPack, packsOf, type SandboxContext } from "./context.js";
import { ApiFailure, fail } from "./failure.js";
import { idFor, type Pack, type Zone } from "./state.js";

const ADVANCED_VALIDITY = new Set([14, 30, 90, 365]);
const CAS = new Set(["google", "lets_encrypt", "ssl_com"]);

function orderProblems(zone: Zone, body: Record<string, unknown>): string[] {
  const { type, hosts, validation_method, validity_days, certificate_authority, cloudflare_branding } = body;
  const problems: string[] = [];
  if (type !== "advanced") problems.push("type must be advanced");
  if (!Array.isArray(hosts) || hosts.length === 0 || hosts.length > 50)
    problems.push("hosts must list 1 to 50 hostnames");
  else {
    if (hosts.some((h) => typeof h !== "string")) problems.push("hosts must be strings");
    else {
      const list = hosts as string[];
      if (new Set(list).size !== list.length) problems.push("hosts must be unique");
      if (!list.includes(zone.name)) problems.push(`hosts must contain the zone apex ${zone.name}`);
      const outside = list.filter((h) => h !== zone.name && !h.endsWith(`.${zone.name}`));
      if (outside.length) problems.push(`hosts outside the zone: ${outside.join(", ")}`);
      if (validation_method === "http" && list.some((h) => h.startsWith("*."))) {
        problems.push("http validation is not available for wildcard hosts");
      }
    }
  }
  if (!["txt", "http", "email"].includes(String(validation_method)))
    problems.push("validation_method must be txt, http or email");
  if (!ADVANCED_VALIDITY.has(Number(validity_days)) || typeof validity_days !== "number") {
    problems.push("validity_days must be 14, 30, 90 or 365");
  }
  if (!CAS.has(String(certificate_authority)))
    problems.push("certificate_authority must be google, lets_encrypt or ssl_com");
  if (certificate_authority === "lets_encrypt" && validity_days !== 90)
    problems.push("Let's Encrypt certificates are valid for 90 days only");
  if (certificate_authority === "google" && validity_days === 365)
    problems.push("Google Trust Services does not issue 365-day certificates");
  if (cloudflare_branding !== undefined && typeof cloudflare_branding !== "boolean")
    problems.push("cloudflare_branding must be a boolean");
  return problems;
}

export function orderPack(ctx: SandboxContext, zone: Zone, body: Record<string, unknown>): Pack {
  if (!zone.acm)
    throw fail(
      403,
      1450,
      "Advanced Certificate Manager is required to order certificate packs for this zone",
    );
  const problems = orderProblems(zone, body);
  if (problems.length)
    throw new ApiFailure(
      400,
      problems.map((message) => ({ code: 1400, message })),
    );
  const used = packsOf(ctx, zone).filter((p) => p.type === "advanced").length;
  if (used >= zone.quota)
    throw fail(400, 1453, `Certificate pack quota exceeded: ${used} of ${zone.quota} advanced packs in use`);
  const pack: Pack = {
    id: idFor(zone.id, "order", String(ctx.nextSerial())),
    type: "advanced",
    status: "initializing",
    hosts: body.hosts as string[],
    validation_method: body.validation_method as Pack["validation_method"],
    validity_days: body.validity_days as number,
    certificate_authority: body.certificate_authority as Pack["certificate_authority"],
    cloudflare_branding: (body.cloudflare_branding as boolean | undefined) ?? false,
    certificates: [],
    lifecycleStart: ctx.now(),
  };
  addPack(ctx, zone, pack);
  return pack;
}

/** Switching Universal SSL off removes its pack; switching it on starts a fresh one through the lifecycle. */
export function setUniversal(ctx: SandboxContext, zone: Zone, enabled: boolean): void {
  if (enabled === zone.universal) return;
  zone.universal = enabled;
  for (const pack of zone.packs.values()) if (pack.type === "universal") zone.packs.delete(pack.id);
  if (!enabled) return;
  addPack(ctx, zone, {
    id: idFor(zone.id, "universal", String(ctx.nextSerial())),
    type: "universal",
    status: "initializing",
    hosts: [zone.name, `*.${zone.name}`],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "google",
    certificates: [],
    lifecycleStart: ctx.now(),
  });
}
