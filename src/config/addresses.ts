// What counts as a host name, a loopback address and a browser origin, in the forms the settings accept.
// The WHATWG URL parser does the normalising (127.1, 0x7f000001 and [0:0::1] are the same hosts as
// 127.0.0.1 and [::1]), so these rules agree with what a server later compares against a Host header.
import { ConfigError } from "./error.js";

/** True for 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) and localhost, in any spelling the URL parser accepts. */
export function isLoopbackHost(host: string): boolean {
  const hostname = urlHostname(host);
  if (hostname === undefined) return false;
  return (
    hostname === "localhost" ||
    hostname === "[::1]" ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname) ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(hostname)
  );
}

/**
 * A bare host: a name, an IPv4 address or an IPv6 address (with or without brackets), and nothing else: no
 * scheme, port, path or wildcard. Returns it as a URL hostname (lower case, IPv6 in brackets), or undefined.
 */
export function urlHostname(raw: string): string | undefined {
  const text = raw.trim();
  if (text === "" || /[/\\@?#*\s]/.test(text)) return undefined;
  const bracketed = text.startsWith("[") ? text : text.includes(":") ? `[${text}]` : text;
  let url: URL;
  try {
    url = new URL(`http://${bracketed}/`);
  } catch {
    return undefined;
  }
  if (url.port !== "" || url.pathname !== "/") return undefined;
  const hostname = url.hostname.replace(/\.$/, "");
  if (!hostname.startsWith("[") && !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(hostname)) return undefined;
  return hostname;
}

/** The address to listen on, as `listen()` takes it (IPv6 without brackets). */
export function listenAddress(raw: string, name: string): string {
  const hostname = urlHostname(raw);
  if (hostname === undefined) {
    throw new ConfigError(
      `${name}=${JSON.stringify(raw)} is not an address to listen on; use an IP address or host name such as 127.0.0.1, ::1 or 0.0.0.0, without a scheme or port (the port is --port)`,
    );
  }
  return hostname.replace(/^\[(.*)\]$/, "$1");
}

/** One entry of the Host allow-list, as a URL hostname (what a Host header's hostname parses to). */
export function allowedHost(raw: string, name: string): string {
  const hostname = urlHostname(raw);
  if (hostname === undefined) {
    throw new ConfigError(
      `${name} entry ${JSON.stringify(raw)} is not a host name; list bare host names such as mcp.example.com, without a scheme, port, path or wildcard`,
    );
  }
  return hostname;
}

/** One entry of the Origin allow-list, normalised as browsers send it: scheme://host[:port]. */
export function allowedOrigin(raw: string, name: string): string {
  const text = raw.trim();
  if (text.toLowerCase() === "null") {
    throw new ConfigError(
      `${name} cannot hold "null": sandboxed frames and file: pages all send that origin, so it would admit any of them; list real origins such as https://app.example.com`,
    );
  }
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const isOrigin =
    url !== undefined &&
    (url.protocol === "https:" || url.protocol === "http:") &&
    url.pathname === "/" &&
    !/[?#*@\s\\]/.test(text);
  if (!url || !isOrigin) {
    throw new ConfigError(
      `${name} entry ${JSON.stringify(raw)} is not an origin; an origin is scheme://host[:port] with no path, such as https://app.example.com`,
    );
  }
  return url.origin;
}
