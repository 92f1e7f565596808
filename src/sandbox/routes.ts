// The sandbox's handlers, keyed by the names of the endpoint table (src/client/endpoints.ts): the table says
// where each endpoint lives, this file what the simulated API does there. Endpoints it does not serve (token
// verification, accounts) answer "No route", as an unknown path does.
import type { ENDPOINTS, EndpointName } from "../client/endpoints.js";
import { packFor, packsOf, type SandboxContext } from "./context.js";
import { CertificateParseError, readPemCertificate } from "./der.js";
import { fail } from "./failure.js";
import { orderPack, setUniversal } from "./orders.js";
import { pageOf } from "./paging.js";
import { HAPPY_PATH, iso, type Pack, type Zone } from "./state.js";
import { automaticJson, customCertificateJson, packJson, verificationJson } from "./views.js";
import { listZones } from "./zones.js";

export interface Answer {
  result: unknown;
  resultInfo?: Record<string, number>;
}

export interface RouteCall {
  ctx: SandboxContext;
  zone: Zone;
  /** The path's parameters, percent-decoded, by the names the endpoint table gives them. */
  params: Record<string, string>;
  /** The pack the path names, when the route looks it up first (`packFirst`). */
  pack?: Pack;
  query: URLSearchParams;
  /** The JSON body; `{}` when there is none. */
  body: Record<string, unknown>;
}

/** A route below /zones/{zone_id}: the zone is looked up before anything else, as the API does. */
export interface ZoneRoute {
  /** Refuse the call unless its body is a JSON object. */
  needsBody?: boolean;
  /**
   * Look up the `{certificate_pack_id}` before the method and body are checked, so that a missing pack is the
   * error reported (as under certificate_packs); without it the handler looks it up, after them.
   */
  packFirst?: boolean;
  handler: (call: RouteCall) => Answer;
}

/** A route above any zone. */
export interface TopRoute {
  above: "zones";
  handler: (call: { ctx: SandboxContext; query: URLSearchParams }) => Answer;
}

export type SandboxRoute = ZoneRoute | TopRoute;

const onePage = (result: unknown[], perPage: number) => ({
  result,
  resultInfo: {
    page: 1,
    per_page: perPage,
    count: result.length,
    total_count: result.length,
    total_pages: 1,
  },
});

function listPacks({ ctx, zone, query }: RouteCall): Answer {
  const status = query.get("status");
  if (status !== null && status !== "all") throw fail(400, 1400, "status must be all");
  const deploy = query.get("deploy");
  if (deploy !== null && deploy !== "staging" && deploy !== "production")
    throw fail(400, 1400, "deploy must be staging or production");
  const all = packsOf(ctx, zone).filter((p) => status === "all" || p.status === "active");
  return pageOf(all, query, (p) => packJson(zone, p));
}

function setAutomatic({ ctx, zone, body }: RouteCall): Answer {
  if (body.value !== "auto" && body.value !== "custom") {
    throw fail(
      400,
      1008,
      "Invalid SSL/TLS encryption configuration value, only auto or custom accepted",
      automaticJson(zone, ctx.now()),
    );
  }
  if (body.value !== zone.automatic.value)
    zone.automatic = { value: body.value, modified_on: iso(ctx.now()) };
  return { result: automaticJson(zone, ctx.now()) };
}

function prioritize({ ctx, zone, body }: RouteCall): Answer {
  const list = body.certificates;
  if (!Array.isArray(list) || list.length === 0)
    throw fail(400, 1400, "certificates must be a non-empty array");
  const custom = packsOf(ctx, zone).filter((p) => p.type === "sni_custom" || p.type === "legacy_custom");
  const byId = new Map(custom.flatMap((p) => p.certificates.map((c) => [c.id, c] as const)));
  for (const item of list as { id?: unknown; priority?: unknown }[]) {
    if (typeof item?.id !== "string" || !byId.has(item.id))
      throw fail(404, 1404, `Custom certificate ${String(item?.id)} not found`);
    if (item.priority !== undefined && typeof item.priority !== "number")
      throw fail(400, 1400, "priority must be a number");
  }
  for (const item of list as { id: string; priority?: number }[]) {
    const cert = byId.get(item.id);
    if (cert && item.priority !== undefined) {
      cert.priority = item.priority;
      cert.modified_on = iso(ctx.now());
    }
  }
  return onePage(
    custom.flatMap((p) => customCertificateJson(zone, p)),
    50,
  );
}

function analyze({ ctx, body }: RouteCall): Answer {
  const pem = body.certificate;
  if (typeof pem !== "string" || !pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw fail(400, 1002, "certificate is required and must be a PEM-encoded certificate");
  }
  if (
    body.bundle_method !== undefined &&
    !["ubiquitous", "optimal", "force"].includes(String(body.bundle_method))
  ) {
    throw fail(400, 1400, "bundle_method must be ubiquitous, optimal or force");
  }
  let cert: ReturnType<typeof readPemCertificate>;
  try {
    cert = readPemCertificate(pem);
  } catch (error) {
    if (!(error instanceof CertificateParseError)) throw error;
    throw fail(400, 1002, "The certificate could not be parsed: it is not valid PEM");
  }
  return {
    result: {
      hosts: cert.hosts,
      signature: cert.signature,
      // Several lines on a certificate, one line in the API.
      issuer: cert.issuer.replace(/\n/g, ", "),
      subject: cert.subject.replace(/\n/g, ", "),
      expires_on: cert.expiresOn.toISOString(),
      uploaded_on: iso(ctx.now()),
      bundle_method: body.bundle_method ?? "ubiquitous",
    },
  };
}

function packOf(call: RouteCall): Pack {
  if (!call.pack) throw new Error("a route without packFirst asked for its pack");
  return call.pack;
}

function editPack(call: RouteCall): Answer {
  const { ctx, zone, body } = call;
  const pack = packOf(call);
  if (pack.type !== "advanced") throw fail(400, 1400, "Only advanced certificate packs can be edited");
  if (body.cloudflare_branding !== undefined) {
    if (typeof body.cloudflare_branding !== "boolean")
      throw fail(400, 1400, "cloudflare_branding must be a boolean");
    pack.cloudflare_branding = body.cloudflare_branding;
    return { result: packJson(zone, pack) };
  }
  if (pack.status !== "validation_timed_out") {
    throw fail(
      400,
      1400,
      `Validation can only be restarted for a pack in validation_timed_out; this pack is ${pack.status}`,
    );
  }
  // Restarting puts the pack back on the happy path at pending_validation, to move on from there.
  pack.status = "pending_validation";
  pack.lifecycleStart = ctx.now() - ctx.stepMs * HAPPY_PATH.indexOf("pending_validation");
  return { result: packJson(zone, pack) };
}

function deletePack(call: RouteCall): Answer {
  const pack = packOf(call);
  if (pack.type !== "advanced")
    throw fail(400, 1400, `Only advanced certificate packs can be deleted; this is a ${pack.type} pack`);
  call.zone.packs.delete(pack.id);
  return { result: { id: pack.id } };
}

function changeValidation({ ctx, zone, params, body }: RouteCall): Answer {
  const pack = packFor(ctx, zone, params.certificate_pack_id as string);
  const wanted = body.validation_method;
  if (!["http", "cname", "txt", "email"].includes(String(wanted))) {
    throw fail(400, 1400, "validation_method must be http, cname, txt or email");
  }
  if (pack.status === "active")
    throw fail(400, 1400, "The validation method cannot be changed on an active certificate");
  if (wanted === "http" && pack.hosts.some((h) => h.startsWith("*."))) {
    throw fail(400, 1400, "http validation is not available for wildcard hosts");
  }
  pack.dcv_method = wanted as Pack["dcv_method"];
  if (wanted !== "cname") pack.validation_method = wanted as Pack["validation_method"];
  // A new method is a fresh attempt: a seeded pack stuck on unpublished records moves on from here.
  if (pack.stuck && pack.status === "pending_validation") {
    pack.stuck = false;
    pack.lifecycleStart = ctx.now() - ctx.stepMs * HAPPY_PATH.indexOf("pending_validation");
  }
  return { result: { status: pack.status, validation_method: wanted } };
}

/** An endpoint whose path names a zone gets a zone route; one above every zone, a top route. */
export const SANDBOX_ROUTES: {
  readonly [E in EndpointName]?: "zone_id" extends (typeof ENDPOINTS)[E]["params"][number]
    ? ZoneRoute
    : TopRoute;
} = {
  listZones: { above: "zones", handler: listZones },
  listCertificatePacks: { handler: listPacks },
  orderCertificatePack: {
    needsBody: true,
    handler: ({ ctx, zone, body }) => ({ result: packJson(zone, orderPack(ctx, zone, body)) }),
  },
  getCertificatePackQuota: {
    handler: ({ ctx, zone }) => {
      const used = packsOf(ctx, zone).filter((p) => p.type === "advanced").length;
      return {
        result: zone.acm
          ? { advanced: { allocated: zone.quota, used } }
          : { advanced: { allocated: 0, used: 0 } },
      };
    },
  },
  getCertificatePack: {
    packFirst: true,
    handler: (call) => ({ result: packJson(call.zone, packOf(call)) }),
  },
  editCertificatePack: { packFirst: true, needsBody: true, handler: editPack },
  deleteCertificatePack: { packFirst: true, handler: deletePack },
  getRecommendation: { handler: ({ ctx, zone }) => ({ result: automaticJson(zone, ctx.now()) }) },
  getAutomaticMode: { handler: ({ ctx, zone }) => ({ result: automaticJson(zone, ctx.now()) }) },
  setAutomaticMode: { needsBody: true, handler: setAutomatic },
  getUniversalSettings: { handler: ({ zone }) => ({ result: { enabled: zone.universal } }) },
  editUniversalSettings: {
    needsBody: true,
    handler: ({ ctx, zone, body }) => {
      if (typeof body.enabled !== "boolean") throw fail(400, 1400, "enabled must be a boolean");
      setUniversal(ctx, zone, body.enabled);
      return { result: { enabled: zone.universal } };
    },
  },
  getVerification: {
    handler: ({ ctx, zone, query }) => {
      const retry = query.get("retry");
      if (retry !== null && retry !== "true") throw fail(400, 1400, "retry must be true");
      return { result: verificationJson(zone, packsOf(ctx, zone)) };
    },
  },
  editVerificationMethod: { needsBody: true, handler: changeValidation },
  analyzeCertificate: { needsBody: true, handler: analyze },
  prioritizeCustomCertificates: { needsBody: true, handler: prioritize },
};
