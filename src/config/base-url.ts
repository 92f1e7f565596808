// Where API requests go. The token travels with every request, so plain http is allowed only to this
// machine (a local proxy or a test fake), never across a network.
import { isLoopbackHost } from "./addresses.js";
import { ConfigError } from "./error.js";

export const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

export function checkBaseUrl(raw: string, name: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a URL; e.g. ${DEFAULT_BASE_URL}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`${name} must be an http or https URL`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(`${name} must not carry credentials, a query or a fragment`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      `${name} uses plain http to ${url.hostname}, which would send the API token unencrypted; use https:// (plain http is accepted only for loopback: 127.0.0.1, ::1 or localhost)`,
    );
  }
  return url.href.replace(/\/$/, "");
}
