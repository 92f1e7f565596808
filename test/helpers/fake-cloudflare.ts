// The sandbox over real HTTP for tests, with what only tests may do: a log of every request and injected
// faults (a slow, broken, rate-limited or lying API). It ships nowhere: the bundle never reaches test/.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSandbox, type SandboxOptions } from "../../src/sandbox/handler.js";
import { readBody, requestFrom, writeResponse } from "../../src/sandbox/node.js";
import { idFor, type Pack, type Zone } from "../../src/sandbox/state.js";

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
  | { kind: "huge"; bytes: number }
  /** A valid answer sent one byte every `everyMs`: each byte alone would reset a per-read timeout. */
  | { kind: "trickle"; everyMs: number };

/** The answer a trickle fault sends, one byte at a time: a whole one takes its length times `everyMs`. */
export const TRICKLED_BODY = JSON.stringify({
  success: true,
  errors: [],
  messages: [],
  result: { trickled: true },
});

export interface FaultRule {
  fault: Fault;
  method?: string;
  /** Matches when the path contains this text. */
  path?: string;
  /** How many requests it applies to (default 1). */
  times?: number;
}

export interface FakeOptions extends SandboxOptions {
  host?: string;
  port?: number;
}

export interface FakeCloudflare {
  /** Base URL to give the client, with the base path. */
  url: string;
  log: LoggedRequest[];
  zones: Map<string, Zone>;
  /** The most requests the fake was answering at once since it started or since `resetPeak`. */
  peakInFlight(): number;
  resetPeak(): void;
  inject(rule: FaultRule): void;
  clearFaults(): void;
  close(): Promise<void>;
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

const failure = (code: number, message: string) => ({
  success: false,
  errors: [{ code, message }],
  messages: [],
  result: null,
});

/** Answers in the fault's place; false when the request goes on to the sandbox. */
async function answerWithFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case "delay":
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return false;
    case "ignore_page":
      return false;
    case "reset":
      req.socket.destroy();
      return true;
    case "reset_mid_body":
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"success":true,"errors":[],"messages":[],"result":{"id":"');
      setTimeout(() => req.socket.destroy(), 20);
      return true;
    case "html_502":
      send(
        res,
        502,
        "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>",
        "text/html",
      );
      return true;
    case "truncated_json":
      send(res, 200, '{"success":true,"errors":[],"messages":[],"result":[{"id":"', "application/json");
      return true;
    case "success_false":
      json(res, 200, failure(1000, "Temporary failure, try again"));
      return true;
    case "rate_limit":
      json(res, 429, failure(971, "Please wait and consider throttling your request speed"), {
        ...(fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : {}),
        ...(fault.ratelimitResetSeconds !== undefined
          ? { ratelimit: `"default";r=0;t=${fault.ratelimitResetSeconds}` }
          : {}),
      });
      return true;
    case "status":
      send(
        res,
        fault.status,
        fault.body ?? JSON.stringify(failure(1000 + (fault.status % 1000), `HTTP ${fault.status}`)),
        "application/json",
        fault.headers,
      );
      return true;
    case "trickle": {
      const body = TRICKLED_BODY;
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed || sent >= body.length) return clearInterval(timer);
        res.write(body[sent++]);
        if (sent === body.length) res.end();
      }, fault.everyMs);
      res.on("close", () => clearInterval(timer));
      return true;
    }
    case "huge": {
      const filler = "x".repeat(fault.bytes);
      send(
        res,
        200,
        JSON.stringify({ success: true, errors: [], messages: [], result: { filler } }),
        "application/json",
      );
      return true;
    }
  }
}

export async function startFakeCloudflare(options: FakeOptions = {}): Promise<FakeCloudflare> {
  const { host = "127.0.0.1", port = 0, ...sandboxOptions } = options;
  const sandbox = createSandbox(sandboxOptions);
  const log: LoggedRequest[] = [];
  let faults: FaultRule[] = [];
  let inFlight = 0;
  let peak = 0;

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
    const base = sandbox.basePath;
    const path = url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) : url.pathname;
    let body: unknown = raw;
    if (raw.length === 0) body = undefined;
    else {
      try {
        body = JSON.parse(raw);
      } catch {
        // Logged as received.
      }
    }
    const entry: LoggedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      headers: {
        authorization: req.headers.authorization,
        "x-auth-email": req.headers["x-auth-email"] as string | undefined,
        "x-auth-key": req.headers["x-auth-key"] as string | undefined,
        "content-type": req.headers["content-type"],
      },
    };
    log.push(entry);
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    res.on("close", () => {
      inFlight -= 1;
      if (res.writableFinished) entry.status = res.statusCode;
      else entry.abandoned = true;
    });

    const fault = takeFault(method, path);
    if (fault && (await answerWithFault(fault, req, res))) return;
    // A server that ignores `page` answers the first page whatever was asked.
    if (fault?.kind === "ignore_page") url.searchParams.delete("page");
    await writeResponse(res, await sandbox.handle(requestFrom(req, raw, url)));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}${sandbox.basePath}`,
    log,
    zones: sandbox.zones,
    peakInFlight: () => peak,
    resetPeak: () => {
      peak = inFlight;
    },
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

/** The kinds of problem `plantFleet` plants, in turn, in every `every`-th zone. */
export const PLANTED = [
  "expiring",
  "validation_timed_out",
  "universal_off",
  "stuck",
  "issuance_timed_out",
] as const;

/**
 * Adds `count` zones (`z0000.fleet.example`…) to the fake, each with an active Universal pack; `problems` of
 * them, spread evenly, get one of PLANTED in turn. Answers the ids of the planted zones by kind.
 */
export function plantFleet(
  fake: Pick<FakeCloudflare, "zones">,
  count: number,
  problems: number,
  now: number,
): { ids: string[]; problemIds: Map<string, (typeof PLANTED)[number]> } {
  const DAY = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const every = problems > 0 ? Math.floor(count / problems) : Number.POSITIVE_INFINITY;
  const ids: string[] = [];
  const problemIds = new Map<string, (typeof PLANTED)[number]>();
  for (let i = 0; i < count; i++) {
    const name = `z${String(i).padStart(4, "0")}.fleet.example`;
    const id = idFor("fleet", name);
    const cert = (daysLeft: number, hosts: string[]) => [
      {
        id: idFor(id, "cert", String(daysLeft)),
        hosts,
        status: "active",
        issuer: "GoogleTrustServices",
        signature: "ECDSAWithSHA256",
        expires_on: iso(now + daysLeft * DAY),
        uploaded_on: iso(now - 30 * DAY),
        modified_on: iso(now - 30 * DAY),
        bundle_method: "ubiquitous",
      },
    ];
    const zone: Zone = {
      id,
      name,
      plan: "Pro",
      acm: true,
      quota: 5,
      universal: true,
      automatic: { value: "auto", modified_on: iso(now - 90 * DAY) },
      packs: new Map(),
    };
    const universalHosts = [name, `*.${name}`];
    const kind =
      i % every === 0 && problemIds.size < problems ? PLANTED[problemIds.size % PLANTED.length] : undefined;
    if (kind !== "universal_off") {
      zone.packs.set(idFor(id, "universal"), {
        id: idFor(id, "universal"),
        type: "universal",
        status: "active",
        hosts: universalHosts,
        validation_method: "txt",
        validity_days: 90,
        certificate_authority: "google",
        certificates: cert(60, universalHosts),
      });
    } else zone.universal = false;
    const advanced = (status: string, certificates: Pack["certificates"] = []) =>
      zone.packs.set(idFor(id, "advanced"), {
        id: idFor(id, "advanced"),
        type: "advanced",
        status,
        hosts: [`shop.${name}`, `a.shop.${name}`],
        validation_method: "txt",
        validity_days: 90,
        certificate_authority: "lets_encrypt",
        certificates,
        ...(status === "pending_validation" ? { stuck: true } : {}),
      });
    if (kind === "expiring") advanced("active", cert(5, [`shop.${name}`, `a.shop.${name}`]));
    if (kind === "validation_timed_out") advanced("validation_timed_out");
    if (kind === "stuck") advanced("pending_validation");
    if (kind === "issuance_timed_out") advanced("issuance_timed_out");
    if (kind) problemIds.set(id, kind);
    fake.zones.set(id, zone);
    ids.push(id);
  }
  return { ids, problemIds };
}
