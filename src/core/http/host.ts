// Which Host and Origin a request may name. "Loopback" means what src/config/addresses.ts says it means, for
// the Host check, the Origin check and the Worker's wrangler-dev rule alike. The Host header only ever
// names a host: the endpoint a request reaches comes from its request target, never from here.
import { isLoopbackHost } from "../../config/addresses.js";
import type { Inbound } from "./inbound.js";

export interface HostRules {
  /** Host names a Host header may name (lower case, IPv6 in brackets), plus every loopback name when `loopback`; absent accepts any. */
  allowedHosts?: { names: readonly string[]; loopback: boolean };
  /** Origins (scheme://host[:port]) a browser request may come from. */
  allowedOrigins?: readonly string[];
  /** Also loopback origins: always, never, or when the request itself reached the server on a loopback host. */
  loopbackOrigins?: boolean | "when-reached-on-loopback";
}

export type HostVerdict = { kind: "ok" } | { kind: "malformed" } | { kind: "not-allowed" };

/** A Host of `name[:port]` only; `/ ? # @ \`, whitespace or nothing at all is not a host. */
export function hostnameOf(host: string): string | undefined {
  if (host === "" || /[/?#@\\\s]/.test(host)) return undefined;
  try {
    const url = new URL(`http://${host}/`);
    return url.pathname === "/" && url.username === "" ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

/** The Host a request names: its header, or where the runtime says it was sent when it has none. */
export function requestHost(request: Inbound): string {
  return request.header("host") ?? new URL(request.url).host;
}

export function checkHost(request: Inbound, rules: HostRules): HostVerdict {
  const hostname = hostnameOf(requestHost(request));
  if (hostname === undefined) return { kind: "malformed" };
  const allowed = rules.allowedHosts;
  if (!allowed || allowed.names.includes(hostname) || (allowed.loopback && isLoopbackHost(hostname)))
    return { kind: "ok" };
  return { kind: "not-allowed" };
}

export function originAllowed(request: Inbound, rules: HostRules): boolean {
  const origin = request.header("origin");
  if (origin === null) return true;
  if (origin === "null") return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (rules.allowedOrigins?.includes(parsed.origin)) return true;
  const loopbackOk =
    rules.loopbackOrigins === "when-reached-on-loopback"
      ? isLoopbackHost(hostnameOf(requestHost(request)) ?? "")
      : Boolean(rules.loopbackOrigins);
  return loopbackOk && isLoopbackHost(parsed.hostname);
}
