// The sandbox's zones and certificates: their shapes, deterministic ids and the certificate pack lifecycle.
import { sha256Hex } from "../lib/sha256.js";

export const DEMO_ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353";
export const DEMO_ZONE_NAME = "example.com";
export const FREE_ZONE_ID = "9b2c6a41d3e84f0a8c5e7d1f2a3b4c5d";
export const FREE_ZONE_NAME = "example.net";

/** The account every seeded zone belongs to, unless a zone names another. */
export const DEFAULT_ACCOUNT = { id: "5c1f0a7e3b2d4c6e8f9a0b1c2d3e4f50", name: "Example Agency" };

const DAY = 86_400_000;

export interface Certificate {
  id: string;
  hosts: string[];
  status: string;
  issuer: string;
  signature: string;
  expires_on: string;
  uploaded_on: string;
  modified_on: string;
  bundle_method: string;
  priority?: number;
}

export interface Pack {
  id: string;
  type: string;
  status: string;
  hosts: string[];
  validation_method?: "txt" | "http" | "email";
  /** The method as the verification endpoints see it, which may also be cname. */
  dcv_method?: "txt" | "http" | "email" | "cname";
  validity_days?: number;
  certificate_authority?: "google" | "lets_encrypt" | "ssl_com";
  cloudflare_branding?: boolean;
  certificates: Certificate[];
  validation_errors?: { message: string }[];
  /** When set, the pack moves along the happy path from this moment, one step per stepMs. */
  lifecycleStart?: number;
  /** A seeded pending pack whose records were never published stays where it is. */
  stuck?: boolean;
}

export interface Zone {
  id: string;
  name: string;
  plan: string;
  acm: boolean;
  quota: number;
  universal: boolean;
  automatic: { value: "auto" | "custom"; modified_on: string };
  packs: Map<string, Pack>;
  account?: { id: string; name: string };
}

export const HAPPY_PATH = [
  "initializing",
  "pending_validation",
  "pending_issuance",
  "pending_deployment",
  "active",
];

/** Deterministic 32-hex ids, so a seed and a sequence of orders always produce the same ids. */
export function idFor(...parts: string[]): string {
  return sha256Hex(parts.join("/")).slice(0, 32);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function issuerFor(ca: string | undefined): string {
  return ca === "lets_encrypt" ? "LetsEncrypt" : ca === "ssl_com" ? "SSLcom" : "GoogleTrustServices";
}

export function certificatesFor(zone: Zone, pack: Pack, issuedAt: number): Certificate[] {
  const expires = issuedAt + (pack.validity_days ?? 90) * DAY;
  return ["ECDSAWithSHA256", "SHA256WithRSA"].map((signature, i) => ({
    id: idFor(zone.id, pack.id, "certificate", String(i)),
    hosts: pack.hosts,
    status: "active",
    issuer: issuerFor(pack.certificate_authority),
    signature,
    expires_on: iso(expires),
    uploaded_on: iso(issuedAt),
    modified_on: iso(issuedAt),
    bundle_method: "ubiquitous",
  }));
}

/** Moves an animated pack to where its clock says; returns it for chaining. */
export function advance(zone: Zone, pack: Pack, now: number, stepMs: number): Pack {
  if (pack.lifecycleStart === undefined || pack.stuck) return pack;
  const step = Math.min(HAPPY_PATH.length - 1, Math.floor((now - pack.lifecycleStart) / stepMs));
  const status = HAPPY_PATH[Math.max(0, step)] as string;
  if (status !== pack.status) {
    pack.status = status;
    if (status === "active") {
      pack.certificates = certificatesFor(zone, pack, pack.lifecycleStart + step * stepMs);
      pack.lifecycleStart = undefined;
    }
  }
  return pack;
}

export function validationRecords(zone: Zone, pack: Pack): Record<string, unknown>[] {
  if (pack.status === "active" || !pack.validation_method) return [];
  return pack.hosts.map((host) => {
    const base = host.replace(/^\*\./, "");
    const token = idFor(pack.id, host, pack.validation_method ?? "");
    if (pack.validation_method === "http") {
      return {
        http_url: `http://${base}/.well-known/acme-challenge/${token.slice(0, 24)}`,
        http_body: `${token}.${idFor(zone.id, "account").slice(0, 16)}`,
        status: "pending",
      };
    }
    if (pack.validation_method === "email") {
      return { emails: [`administrator@${zone.name}`, `webmaster@${zone.name}`], status: "pending" };
    }
    return { txt_name: `_acme-challenge.${base}`, txt_value: token, status: "pending" };
  });
}
