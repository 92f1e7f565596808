// The sandbox's zone list, as GET /zones answers it: paged, filtered by account and by name (the API's
// `contains:`, `starts_with:` and `ends_with:` forms), and ordered by name when asked.
import type { SandboxContext } from "./context.js";
import { pageOf } from "./paging.js";
import type { Answer } from "./routes.js";
import { DEFAULT_ACCOUNT } from "./state.js";

export function listZones({ ctx, query }: { ctx: SandboxContext; query: URLSearchParams }): Answer {
  const matches = nameMatcher(query.get("name"));
  const account = query.get("account.id");
  const all = [...ctx.zones.values()].filter(
    (z) => matches(z.name) && (!account || (z.account ?? DEFAULT_ACCOUNT).id === account),
  );
  if (query.get("order") === "name") {
    const sign = query.get("direction") === "desc" ? -1 : 1;
    all.sort((a, b) => sign * (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return pageOf(all, query, (z) => ({
    id: z.id,
    name: z.name,
    status: "active",
    plan: { name: `${z.plan} Website` },
    account: z.account ?? DEFAULT_ACCOUNT,
  }));
}

/** The API's `name` filter: an exact name, or `contains:`, `starts_with:` or `ends_with:` a part of one. */
function nameMatcher(filter: string | null): (name: string) => boolean {
  if (!filter) return () => true;
  const [, op, rest] = /^(contains|starts_with|ends_with|equal):(.*)$/.exec(filter) ?? [];
  const part = (rest ?? filter).toLowerCase();
  if (op === "contains") return (name) => name.includes(part);
  if (op === "starts_with") return (name) => name.startsWith(part);
  if (op === "ends_with") return (name) => name.endsWith(part);
  return (name) => name === part;
}
