// The sandbox as a fetch-style handler: a Request in, a Response out, in-process. It keeps the v4 envelope,
// the API's authentication and the contract's rules; `node.ts` serves it over HTTP for `--sandbox`, and a
// Worker can call it directly. Nothing here is specific to one runtime.
import { ENDPOINTS, type Endpoint, type EndpointName } from "../client/endpoints.js";
import { packFor, type SandboxContext, zoneFor } from "./context.js";
import { ApiFailure, fail, noRoute } from "./failure.js";
import { limitsFrom, type SandboxLimits } from "./limits.js";
import { type Answer, SANDBOX_ROUTES, type SandboxRoute } from "./routes.js";
import { seedZones } from "./seed.js";
import type { Zone } from "./state.js";

export interface SandboxOptions {
  /** Accepted API token; with email and key also set, the Global API key pair is accepted too. */
  token?: string;
  email?: string;
  key?: string;
  clock?: () => number;
  /** Time each lifecycle step takes for packs that move (default 5 s). */
  stepMs?: number;
  /** Where the API lives below the origin (default /client/v4). */
  basePath?: string;
  /** Caps on what the sandbox holds; see limits.ts for the defaults and what goes first. */
  limits?: Partial<SandboxLimits>;
}

export interface Sandbox {
  handle(request: Request): Promise<Response>;
  /** The live state, for tests to shape and inspect. */
  zones: Map<string, Zone>;
  /** The base path without a trailing slash, for building the API's URL. */
  basePath: string;
}

interface CompiledRoute {
  method: string;
  route: SandboxRoute;
  regex: RegExp;
  names: readonly string[];
}

// Each endpoint the sandbox serves, matched by the path template the endpoint table gives it.
const COMPILED: CompiledRoute[] = Object.entries(SANDBOX_ROUTES).map(([name, route]) => {
  const endpoint: Endpoint = ENDPOINTS[name as EndpointName];
  const source = endpoint.path
    .split("/")
    .map((segment) =>
      /^\{\w+\}$/.test(segment) ? "([^/]+)" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return {
    method: endpoint.method,
    route: route as SandboxRoute,
    regex: new RegExp(`^${source}$`),
    names: endpoint.params,
  };
});

function dispatch(ctx: SandboxContext, method: string, path: string, query: URLSearchParams, body: unknown) {
  // The zone is checked before the route, as the API does.
  const zonePath = /^\/zones\/([^/]+)\//.exec(path);
  const zone = zonePath ? zoneFor(ctx, decodeURIComponent(zonePath[1] as string)) : undefined;
  const matching = COMPILED.flatMap((compiled) => {
    const found = compiled.regex.exec(path);
    return found ? [{ compiled, values: found.slice(1) }] : [];
  });
  if (matching.length === 0) throw noRoute();
  // A literal path (…/order) wins over a parameter (…/{certificate_pack_id}) at the same place.
  const fewest = Math.min(...matching.map((m) => m.compiled.names.length));
  const candidates = matching.filter((m) => m.compiled.names.length === fewest);
  // The routes left match the same path with the same segments; the first one's are everyone's.
  const { compiled, values } = candidates[0] as (typeof candidates)[number];
  const params = Object.fromEntries(
    compiled.names.map((name, i) => [name, decodeURIComponent(values[i] as string)]),
  );
  const chosen = candidates.find((m) => m.compiled.method === method)?.compiled.route;
  if (chosen && "above" in chosen) return chosen.handler({ ctx, query });
  if (!zone) throw noRoute();
  const packFirst = candidates.some((m) => "packFirst" in m.compiled.route && m.compiled.route.packFirst);
  const pack = packFirst ? packFor(ctx, zone, params.certificate_pack_id as string) : undefined;
  if (!chosen)
    throw new ApiFailure(405, [{ code: 7001, message: `Method ${method} not allowed for this route` }]);
  if (chosen.needsBody && (body === null || typeof body !== "object" || Array.isArray(body))) {
    throw fail(400, 1400, "A JSON object body is required");
  }
  return chosen.handler({ ctx, zone, params, pack, query, body: (body ?? {}) as Record<string, unknown> });
}

function authenticate(headers: Headers, options: SandboxOptions): void {
  const authorization = headers.get("authorization") ?? undefined;
  const email = headers.get("x-auth-email") ?? undefined;
  const key = headers.get("x-auth-key") ?? undefined;
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

const json = (status: number, value: unknown) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

const envelope = (answer: Answer) =>
  json(200, {
    success: true,
    errors: [],
    messages: [],
    result: answer.result,
    ...(answer.resultInfo ? { result_info: answer.resultInfo } : {}),
  });

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const now = options.clock ?? Date.now;
  const basePath = (options.basePath ?? "/client/v4").replace(/\/$/, "");
  const zones = seedZones(now());
  const seeded = new WeakSet<object>();
  for (const zone of zones.values()) {
    seeded.add(zone);
    for (const pack of zone.packs.values()) seeded.add(pack);
  }
  let serial = 0;
  const ctx: SandboxContext = {
    zones,
    now,
    stepMs: options.stepMs ?? 5000,
    limits: limitsFrom(options.limits),
    seeded,
    nextSerial: () => ++serial,
  };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const raw = await request.text();
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
    try {
      authenticate(request.headers, options);
      if (malformed) throw fail(400, 6007, "Malformed JSON in request body");
      return envelope(dispatch(ctx, request.method, path, url.searchParams, body));
    } catch (error) {
      if (error instanceof ApiFailure) {
        return json(error.status, {
          success: false,
          errors: error.errors,
          messages: [],
          result: error.result,
        });
      }
      return json(500, {
        success: false,
        errors: [{ code: 1000, message: "Internal error in the sandbox" }],
        messages: [],
        result: null,
      });
    }
  }

  return { handle, zones, basePath };
}
