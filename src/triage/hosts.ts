// Which certificate names cover which hosts, the zone apex they share, and how hosts are named in a sentence.
import { quoteApiList } from "../lib/text.js";
import type { RawPack } from "./state.js";

/** Most hosts or ids listed in one finding; the rest are counted. */
export const MAX_LIST = 10;

/** Whether a certificate host covers a hostname: the same name, or a wildcard one label above it. */
export function covers(certHost: string, host: string): boolean {
  if (certHost === host) return true;
  if (!certHost.startsWith("*.")) return false;
  const rest = certHost.slice(2);
  return host.endsWith(`.${rest}`) && !host.slice(0, -rest.length - 1).includes(".");
}

/**
 * Whether some pack of a set covers a host. The names are indexed once, so that coverage is linear in the
 * number of hosts, not hosts times packs.
 */
export function coverageOf(packs: RawPack[]): (host: string) => boolean {
  const names = new Set(packs.flatMap((p) => p.hosts ?? []));
  return (host) =>
    names.has(host) || (host.includes(".") && names.has(`*.${host.slice(host.indexOf(".") + 1)}`));
}

/** The zone apex: the name most hosts are at or below. */
export function apexOf(hosts: string[]): string | undefined {
  const names = new Set(hosts.map((h) => h.replace(/^\*\./, "")));
  // Each name counts once for itself and for each of its parents that is also a name: linear in the hosts.
  const count = new Map<string, number>();
  for (const name of names) {
    for (let at = 0; at !== -1; at = name.indexOf(".", at + 1)) {
      const suffix = at === 0 ? name : name.slice(at + 1);
      if (names.has(suffix)) count.set(suffix, (count.get(suffix) ?? 0) + 1);
      if (at === 0 && !name.includes(".")) break;
    }
  }
  let best: { name: string; count: number } | undefined;
  for (const [name, n] of count) {
    if (!best || n > best.count || (n === best.count && name.length < best.name.length))
      best = { name, count: n };
  }
  return best?.name;
}

/**
 * Hosts for a sentence the server writes: each quoted as API text (a host name is the API's, not ours), the
 * first MAX_LIST of them, then how many more.
 */
export function hostsText(hosts: readonly string[]): string {
  const more = hosts.length - MAX_LIST;
  return `${quoteApiList(hosts.slice(0, MAX_LIST))}${more > 0 ? `, …and ${more} more` : ""}`;
}

/** A list kept short for a finding: the first MAX_LIST entries, then how many more. */
export function capList(list: string[]): string[] {
  return list.length <= MAX_LIST ? list : [...list.slice(0, MAX_LIST), `…and ${list.length - MAX_LIST} more`];
}
