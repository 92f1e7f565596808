// How the simulated API pages a list, as Cloudflare's v4 lists do: `page` from 1 and `per_page` from 5 to 50
// (default 20), checked as the API checks them, with the envelope's result_info.
import { fail } from "./failure.js";
import type { Answer } from "./routes.js";

/** One page of `all`, each item shown by `show`; a malformed `page` or `per_page` is the API's 400. */
export function pageOf<T>(all: readonly T[], query: URLSearchParams, show: (item: T) => unknown): Answer {
  const page = Number(query.get("page") ?? 1);
  const perPage = Number(query.get("per_page") ?? 20);
  if (!Number.isInteger(page) || page < 1) throw fail(400, 1400, "page must be a whole number from 1");
  if (!Number.isInteger(perPage) || perPage < 5 || perPage > 50)
    throw fail(400, 1400, "per_page must be from 5 to 50");
  const slice = all.slice((page - 1) * perPage, page * perPage);
  return {
    result: slice.map(show),
    resultInfo: {
      page,
      per_page: perPage,
      count: slice.length,
      total_count: all.length,
      total_pages: Math.max(1, Math.ceil(all.length / perPage)),
    },
  };
}
