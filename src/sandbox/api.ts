// A local Cloudflare SSL/TLS API over real HTTP: the v4 envelope, auth, the contract's rules and the pack
// lifecycle. `--sandbox` serves it to the server; tests start it to assert on what the server sends, and only
// they can inject faults (there is no route for that).
import { X509Certificate } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { seedZones } from "./seed.js";
import { advance, HAPPY_PATH, idFor, iso, type Pack, validationRecords, type Zone } from "./state.js";

export interface LoggedRequest {
  method: string;
  /** Path below the base path, as received (still percent-encoded). */
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string | undefined>;
  /** The client went away before the answer was complete (a cancelled or timed-out request). */
  abandoned?: boolean;
  /** The status answered, once the answer is complete (absent for a reset connection). */
  status?: number;
}

export type Fault =
  | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
  | { kind: "rate_limit"; retryAfterSeconds?: number; ratelimitResetSeconds?: number }
  | { kind: "delay"; ms: number }
  | { kind: "reset" }
  | { kind: "reset_mid_body" }
  | { kind: "html_502" }
  | { kind: "truncated_json" }
  | { kind: "success_false" }
  | { kind: "ignore_page" }
  | { kind: "huge"; bytes: number };

export interface FaultRule {
  fault: Fault;
  method?: string;
  /** Matches when the path contains this text. */
  path?: string;
  /** How many requests it applies to (default 1). */
  times?: number;
}

export interface FakeOptions {
  /** Accepted API token; with email and key also set, the Global API key pair is accepted too. */
  token?: string;
  email?: string;
  key?: string;
  clock?: () => number;
  /** Time each lifecycle step takes for packs that move. */
  stepMs?: number;
  basePath?: string;
  host?: string;
  port?: number;
}

export interface FakeCloudflare {
  /** Base URL to give the client, with the base path. */
  url: string;
  log: LoggedRequest[];
  zones: Map<string, Zone>;
  inject(rule: FaultRule): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const ADVANCED_VALIDITY = new Set([14, 30, 90, 365]);
const CAS = new Set(["google", "lets_encrypt", "ssl_com"]);

class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly errors: { code: number; message: string }[],
    readonly result: unknown = null,
  ) {
    super(errors.map((e) => e.message).join("; "));
  }
}

const fail = (status: number, code: number, message: string, result: unknown = null) =>
  new ApiFailure(status, [{ code, message }], result);

export async function startFakeCloudflare(options: FakeOptions = {}): Promise<FakeCloudflare> {
  const clock = options.clock ?? Date.now;
  const stepMs = options.stepMs ?? 5000;
  const basePath = (options.basePath ?? "/client/v4").replace(/\/$/, "");
  const zones = seedZones(clock());
  const log: LoggedRequest[] = [];
  let faults: FaultRule[] = [];
  let orders = 0;

  const packsOf = (zone: Zone) => [...zone.packs.values()].map((p) => advance(zone, p, clock(), stepMs));

  function authenticate(req: IncomingMessage) {
    const authorization = req.headers.authorization;
    const email = req.headers["x-auth-email"];
    const key = req.headers["x-auth-key"];
    if (!authorization && !email && !key) {
      throw fail(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
    }
    if (authorization !== undefined) {
      const match = /^Bearer ([^\s]+)$/.exec(authorization);
      if (!match)
        throw new ApiFailure(400, [
          { code: 6003, message: "Invalid request headers" },
          { code: 6111, message: "Invalid format for Authorization header" },
        ]);
      if (match[1] !== options.token) throw fail(403, 9109, "Invalid access token");
      return;
    }
    if (!email || !key)
      throw new ApiFailure(400, [
        { code: 6003, message: "Invalid request headers" },
        { code: 6103, message: "Invalid format for X-Auth-Key header" },
      ]);
    if (options.email === undefined || email !== options.email || key !== options.key) {
      throw fail(403, 9103, "Unknown X-Auth-Key or X-Auth-Email");
    }
  }

  function zoneFor(id: string): Zone {
    if (!/^[0-9a-f]{32}$/.test(id)) {
      throw new ApiFailure(400, [
        {
          code: 7003,
          message: `Could not route to /zones/${id}, perhaps your object identifier is invalid?`,
        },
        { code: 7000, message: "No route for that URI" },
      ]);
    }
    const zone = zones.get(id);
    if (!zone) throw fail(404, 1001, "Invalid zone identifier");
    return zone;
  }

  function packFor(zone: Zone, id: string): Pack {
    const pack = zone.packs.get(id);
    if (!pack) throw fail(404, 1404, "Certificate pack not found");
    return advance(zone, pack, clock(), stepMs);
  }

  function packJson(zone: Zone, pack: Pack) {
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

  function customCertificateJson(zone: Zone, pack: Pack) {
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

  function automaticJson(zone: Zone) {
    return {
      id: "ssl_automatic_mode",
      editable: true,
      modified_on: zone.automatic.modified_on,
      value: zone.automatic.value,
      ...(zone.automatic.value === "auto" ? { next_scheduled_scan: iso(clock() + 7 * 86_400_000) } : {}),
    };
  }

  function order(zone: Zone, body: Record<string, unknown>) {
    if (!zone.acm)
      throw fail(
        403,
        1450,
        "Advanced Certificate Manager is required to order certificate packs for this zone",
      );
    const { type, hosts, validation_method, validity_days, certificate_authority, cloudflare_branding } =
      body;
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
    if (problems.length)
      throw new ApiFailure(
        400,
        problems.map((message) => ({ code: 1400, message })),
      );
    const used = packsOf(zone).filter((p) => p.type === "advanced").length;
    if (used >= zone.quota)
      throw fail(
        400,
        1453,
        `Certificate pack quota exceeded: ${used} of ${zone.quota} advanced packs in use`,
      );
    orders += 1;
    const pack: Pack = {
      id: idFor(zone.id, "order", String(orders)),
      type: "advanced",
      status: "initializing",
      hosts: hosts as string[],
      validation_method: validation_method as Pack["validation_method"],
      validity_days: validity_days as number,
      certificate_authority: certificate_authority as Pack["certificate_authority"],
      cloudflare_branding: (cloudflare_branding as boolean | undefined) ?? false,
      certificates: [],
      lifecycleStart: clock(),
    };
    zone.packs.set(pack.id, pack);
    return packJson(zone, pack);
  }

  function setUniversal(zone: Zone, enabled: boolean) {
    if (enabled === zone.universal) return;
    zone.universal = enabled;
    for (const pack of zone.packs.values()) if (pack.type === "universal") zone.packs.delete(pack.id);
    if (enabled) {
      orders += 1;
      const pack: Pack = {
        id: idFor(zone.id, "universal", String(orders)),
        type: "universal",
        status: "initializing",
        hosts: [zone.name, `*.${zone.name}`],
        validation_method: "txt",
        validity_days: 90,
        certificate_authority: "google",
        certificates: [],
        lifecycleStart: clock(),
      };
      zone.packs.set(pack.id, pack);
    }
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

  function verificationJson(zone: Zone) {
    return packsOf(zone)
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

  function analyze(body: Record<string, unknown>) {
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
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      throw fail(400, 1002, "The certificate could not be parsed: it is not valid PEM");
    }
    const hosts = (cert.subjectAltName ?? "")
      .split(/,\s*/)
      .filter((entry) => entry.startsWith("DNS:"))
      .map((entry) => entry.slice(4));
    return {
      hosts,
      signature: signatureAlgorithm(cert.raw),
      issuer: cert.issuer.replace(/\n/g, ", "),
      subject: cert.subject.replace(/\n/g, ", "),
      expires_on: new Date(cert.validTo).toISOString(),
      uploaded_on: iso(clock()),
      bundle_method: body.bundle_method ?? "ubiquitous",
    };
  }

  type Answer = { result: unknown; resultInfo?: Record<string, number> };

  function route(method: string, path: string, query: URLSearchParams, body: unknown, fault?: Fault): Answer {
    if (method === "GET" && path === "/zones") {
      const name = query.get("name");
      const list = [...zones.values()]
        .filter((z) => !name || z.name === name)
        .map((z) => ({ id: z.id, name: z.name, status: "active", plan: { name: `${z.plan} Website` } }));
      return {
        result: list,
        resultInfo: { page: 1, per_page: 20, count: list.length, total_count: list.length, total_pages: 1 },
      };
    }
    const match = /^\/zones\/([^/]+)(\/.*)$/.exec(path);
    if (!match) throw new ApiFailure(404, [{ code: 7000, message: "No route for that URI" }]);
    const zone = zoneFor(decodeURIComponent(match[1] as string));
    const rest = match[2] as string;
    const object = (body ?? {}) as Record<string, unknown>;
    const needsBody = () => {
      if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
        throw fail(400, 1400, "A JSON object body is required");
      }
    };
    const wrongMethod = () =>
      new ApiFailure(405, [{ code: 7001, message: `Method ${method} not allowed for this route` }]);

    switch (rest) {
      case "/ssl/certificate_packs": {
        if (method !== "GET") throw wrongMethod();
        const status = query.get("status");
        if (status !== null && status !== "all") throw fail(400, 1400, "status must be all");
        const deploy = query.get("deploy");
        if (deploy !== null && deploy !== "staging" && deploy !== "production")
          throw fail(400, 1400, "deploy must be staging or production");
        const page = fault?.kind === "ignore_page" ? 1 : Number(query.get("page") ?? 1);
        const perPage = Number(query.get("per_page") ?? 20);
        if (!Number.isInteger(page) || page < 1) throw fail(400, 1400, "page must be a whole number from 1");
        if (!Number.isInteger(perPage) || perPage < 5 || perPage > 50)
          throw fail(400, 1400, "per_page must be from 5 to 50");
        const all = packsOf(zone).filter((p) => status === "all" || p.status === "active");
        const slice = all.slice((page - 1) * perPage, page * perPage);
        return {
          result: slice.map((p) => packJson(zone, p)),
          resultInfo: {
            page,
            per_page: perPage,
            count: slice.length,
            total_count: all.length,
            total_pages: Math.max(1, Math.ceil(all.length / perPage)),
          },
        };
      }
      case "/ssl/certificate_packs/order":
        if (method !== "POST") throw wrongMethod();
        needsBody();
        return { result: order(zone, object) };
      case "/ssl/certificate_packs/quota": {
        if (method !== "GET") throw wrongMethod();
        const used = packsOf(zone).filter((p) => p.type === "advanced").length;
        return {
          result: zone.acm
            ? { advanced: { allocated: zone.quota, used } }
            : { advanced: { allocated: 0, used: 0 } },
        };
      }
      case "/ssl/recommendation":
        if (method !== "GET") throw wrongMethod();
        return { result: automaticJson(zone) };
      case "/settings/ssl_automatic_mode":
        if (method === "GET") return { result: automaticJson(zone) };
        if (method !== "PATCH") throw wrongMethod();
        needsBody();
        if (object.value !== "auto" && object.value !== "custom") {
          throw fail(
            400,
            1008,
            "Invalid SSL/TLS encryption configuration value, only auto or custom accepted",
            automaticJson(zone),
          );
        }
        if (object.value !== zone.automatic.value)
          zone.automatic = { value: object.value, modified_on: iso(clock()) };
        return { result: automaticJson(zone) };
      case "/ssl/universal/settings":
        if (method === "GET") return { result: { enabled: zone.universal } };
        if (method !== "PATCH") throw wrongMethod();
        needsBody();
        if (typeof object.enabled !== "boolean") throw fail(400, 1400, "enabled must be a boolean");
        setUniversal(zone, object.enabled);
        return { result: { enabled: zone.universal } };
      case "/ssl/verification": {
        if (method !== "GET") throw wrongMethod();
        const retry = query.get("retry");
        if (retry !== null && retry !== "true") throw fail(400, 1400, "retry must be true");
        return { result: verificationJson(zone) };
      }
      case "/ssl/analyze":
        if (method !== "POST") throw wrongMethod();
        needsBody();
        return { result: analyze(object) };
      case "/custom_certificates/prioritize": {
        if (method !== "PUT") throw wrongMethod();
        needsBody();
        const list = object.certificates;
        if (!Array.isArray(list) || list.length === 0)
          throw fail(400, 1400, "certificates must be a non-empty array");
        const custom = packsOf(zone).filter((p) => p.type === "sni_custom" || p.type === "legacy_custom");
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
            cert.modified_on = iso(clock());
          }
        }
        const result = custom.flatMap((p) => customCertificateJson(zone, p));
        return {
          result,
          resultInfo: {
            page: 1,
            per_page: 50,
            count: result.length,
            total_count: result.length,
            total_pages: 1,
          },
        };
      }
    }

    const packMatch = /^\/ssl\/certificate_packs\/([^/]+)$/.exec(rest);
    if (packMatch) {
      const pack = packFor(zone, decodeURIComponent(packMatch[1] as string));
      if (method === "GET") return { result: packJson(zone, pack) };
      if (method === "PATCH") {
        needsBody();
        if (pack.type !== "advanced") throw fail(400, 1400, "Only advanced certificate packs can be edited");
        if (object.cloudflare_branding !== undefined) {
          if (typeof object.cloudflare_branding !== "boolean")
            throw fail(400, 1400, "cloudflare_branding must be a boolean");
          pack.cloudflare_branding = object.cloudflare_branding;
          return { result: packJson(zone, pack) };
        }
        if (pack.status !== "validation_timed_out") {
          throw fail(
            400,
            1400,
            `Validation can only be restarted for a pack in validation_timed_out; this pack is ${pack.status}`,
          );
        }
        pack.status = "pending_validation";
        pack.lifecycleStart = clock() - stepMs * HAPPY_PATH.indexOf("pending_validation");
        return { result: packJson(zone, pack) };
      }
      if (method === "DELETE") {
        if (pack.type !== "advanced")
          throw fail(
            400,
            1400,
            `Only advanced certificate packs can be deleted; this is a ${pack.type} pack`,
          );
        zone.packs.delete(pack.id);
        return { result: { id: pack.id } };
      }
      throw wrongMethod();
    }

    const verifyMatch = /^\/ssl\/verification\/([^/]+)$/.exec(rest);
    if (verifyMatch) {
      if (method !== "PATCH") throw wrongMethod();
      needsBody();
      const pack = packFor(zone, decodeURIComponent(verifyMatch[1] as string));
      const wanted = object.validation_method;
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
      return { result: { status: pack.status, validation_method: wanted } };
    }
    throw new ApiFailure(404, [{ code: 7000, message: "No route for that URI" }]);
  }

  function takeFault(method: string, path: string): Fault | undefined {
    const rule = faults.find((r) => (!r.method || r.method === method) && (!r.path || path.includes(r.path)));
    if (!rule) return undefined;
    rule.times = (rule.times ?? 1) - 1;
    if (rule.times <= 0) faults = faults.filter((r) => r !== rule);
    return rule.fault;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    const raw = await readBody(req);
    const method = req.method ?? "GET";
    const path = url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : url.pathname;
    let body: unknown;
    let malformed = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        malformed = true;
      }
    }
    const entry: LoggedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: malformed ? raw : body,
      headers: {
        authorization: req.headers.authorization,
        "x-auth-email": req.headers["x-auth-email"] as string | undefined,
        "x-auth-key": req.headers["x-auth-key"] as string | undefined,
        "content-type": req.headers["content-type"],
      },
    };
    log.push(entry);
    res.on("close", () => {
      if (res.writableFinished) entry.status = res.statusCode;
      else entry.abandoned = true;
    });

    const fault = takeFault(method, path);
    if (fault) {
      switch (fault.kind) {
        case "delay":
          await new Promise((resolve) => setTimeout(resolve, fault.ms));
          break;
        case "reset":
          req.socket.destroy();
          return;
        case "reset_mid_body":
          res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
          res.write('{"success":true,"errors":[],"messages":[],"result":{"id":"');
          setTimeout(() => req.socket.destroy(), 20);
          return;
        case "html_502":
          return send(
            res,
            502,
            "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>",
            "text/html",
          );
        case "truncated_json":
          return send(
            res,
            200,
            '{"success":true,"errors":[],"messages":[],"result":[{"id":"',
            "application/json",
          );
        case "success_false":
          return json(res, 200, {
            success: false,
            errors: [{ code: 1000, message: "Temporary failure, try again" }],
            messages: [],
            result: null,
          });
        case "rate_limit":
          return json(
            res,
            429,
            {
              success: false,
              errors: [{ code: 971, message: "Please wait and consider throttling your request speed" }],
              messages: [],
              result: null,
            },
            {
              ...(fault.retryAfterSeconds !== undefined
                ? { "retry-after": String(fault.retryAfterSeconds) }
                : {}),
              ...(fault.ratelimitResetSeconds !== undefined
                ? { ratelimit: `"default";r=0;t=${fault.ratelimitResetSeconds}` }
                : {}),
            },
          );
        case "status":
          return send(
            res,
            fault.status,
            fault.body ??
              JSON.stringify({
                success: false,
                errors: [{ code: 1000 + (fault.status % 1000), message: `HTTP ${fault.status}` }],
                messages: [],
                result: null,
              }),
            "application/json",
            fault.headers,
          );
        case "huge": {
          const filler = "x".repeat(fault.bytes);
          return send(
            res,
            200,
            JSON.stringify({ success: true, errors: [], messages: [], result: { filler } }),
            "application/json",
          );
        }
        case "ignore_page":
          break;
      }
    }

    try {
      authenticate(req);
      if (malformed) throw fail(400, 6007, "Malformed JSON in request body");
      const answer = route(method, path, url.searchParams, body, fault);
      json(res, 200, {
        success: true,
        errors: [],
        messages: [],
        result: answer.result,
        ...(answer.resultInfo ? { result_info: answer.resultInfo } : {}),
      });
    } catch (error) {
      if (error instanceof ApiFailure) {
        json(res, error.status, { success: false, errors: error.errors, messages: [], result: error.result });
      } else {
        json(res, 500, {
          success: false,
          errors: [{ code: 1000, message: "Internal error in the sandbox" }],
          messages: [],
          result: null,
        });
      }
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${address.port}${basePath}`,
    log,
    zones,
    inject: (rule) => {
      faults.push({ ...rule });
    },
    clearFaults: () => {
      faults = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  send(res, status, JSON.stringify(value), "application/json", headers);
}

// The outer signatureAlgorithm of a DER certificate is the last algorithm OID in it.
const SIGNATURE_OIDS: Record<string, string> = {
  "2a864886f70d010105": "SHA1WithRSA",
  "2a864886f70d01010b": "SHA256WithRSA",
  "2a864886f70d01010c": "SHA384WithRSA",
  "2a864886f70d01010d": "SHA512WithRSA",
  "2a8648ce3d040302": "ECDSAWithSHA256",
  "2a8648ce3d040303": "ECDSAWithSHA384",
  "2a8648ce3d040304": "ECDSAWithSHA512",
  "2b6570": "Ed25519",
};

function signatureAlgorithm(der: Buffer): string {
  const hex = der.toString("hex");
  let best = { at: -1, name: "unknown" };
  for (const [oid, name] of Object.entries(SIGNATURE_OIDS)) {
    const at = hex.lastIndexOf(`06${(oid.length / 2).toString(16).padStart(2, "0")}${oid}`);
    if (at > best.at) best = { at, name };
  }
  return best.name;
}
