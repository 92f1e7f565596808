// Reading a zone's packs page by page, for all_pages, triage and approval plans: bounded in pages, in packs
// kept, and in bytes read, so a zone (or an API) of any size cannot exhaust the server's memory.
import type { ResultInfo } from "../client/cloudflare.js";
import type { RawPack } from "../triage/state.js";
import { asRecord } from "./outputs.js";
import type { ToolContext } from "./spec.js";

/** Stops on a server that never runs out of pages: 200 pages of 50 is 10,000 packs. */
export const MAX_PAGES = 200;
/** The most answer bytes one listing reads; what comes after is not requested. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
/**
 * The most pack summaries `all_pages` returns (about 12,000 tokens): every page is still read and counted,
 * but 10,000 summaries would be half a million tokens, more than any model's context.
 */
export const MAX_LISTED = 250;
const PER_PAGE = 50;
/** Hosts a pack summary names; get_certificate_pack has them all. */
export const SUMMARY_HOSTS = 20;

const CUSTOM_TYPES = new Set(["sni_custom", "legacy_custom"]);

/** What a list needs per pack; get_certificate_pack gives the rest. */
export function summarizePack(pack: RawPack): Record<string, unknown> {
  const expiries = (pack.certificates ?? []).map((c) => c.expires_on).filter((e): e is string => Boolean(e));
  const hosts = pack.hosts ?? [];
  return asRecord({
    id: pack.id,
    type: pack.type,
    status: pack.status,
    hosts: hosts.length > SUMMARY_HOSTS ? hosts.slice(0, SUMMARY_HOSTS) : pack.hosts,
    hosts_not_listed: hosts.length > SUMMARY_HOSTS ? hosts.length - SUMMARY_HOSTS : undefined,
    certificate_authority: pack.certificate_authority,
    validity_days: pack.validity_days,
    validation_method: pack.validation_method,
    expires_on: expiries.sort()[0],
    // Custom certificates' ids are what prioritize_custom_certificates takes.
    certificates: CUSTOM_TYPES.has(pack.type)
      ? pack.certificates?.map((c) => ({ id: c.id, priority: c.priority }))
      : undefined,
    validation_errors: pack.validation_errors?.map((e) => e.message),
  });
}

/** Only the fields triage, lists and plans read: the rest of an answer is not kept across pages. */
function slim(pack: RawPack): RawPack {
  return {
    id: pack.id,
    type: pack.type,
    status: pack.status,
    hosts: pack.hosts,
    certificates: pack.certificates?.map((c) => ({
      id: c.id,
      hosts: c.hosts,
      status: c.status,
      expires_on: c.expires_on,
      priority: c.priority,
    })),
    validation_method: pack.validation_method,
    validity_days: pack.validity_days,
    certificate_authority: pack.certificate_authority,
    validation_errors: pack.validation_errors?.map((e) => ({ message: e.message })),
    validation_records: pack.validation_records,
  };
}

export interface AllPacks {
  packs: RawPack[];
  pages: number;
  totalCount?: number;
  /** Where and why reading stopped before the last page, when it did. */
  stoppedBecause?: string;
}

/** Reads every page of the zone's packs, stopping on an empty or repeated page, or at a cap. */
export async function listAllPacks(
  ctx: ToolContext,
  zone: string,
  query: { status?: "all"; deploy?: string },
): Promise<AllPacks> {
  const packs: RawPack[] = [];
  const seen = new Set<string>();
  let totalPages: number | undefined;
  let totalCount: number | undefined;
  let bytes = 0;
  for (let page = 1; ; page++) {
    if (page > MAX_PAGES) {
      return {
        packs,
        pages: page - 1,
        totalCount,
        stoppedBecause: `stopped at the cap of ${MAX_PAGES} pages`,
      };
    }
    if (bytes > MAX_ANSWER_BYTES) {
      return {
        packs,
        pages: page - 1,
        totalCount,
        stoppedBecause: `stopped after page ${page - 1}: its answers passed ${MAX_ANSWER_BYTES / 1024 / 1024} MiB; read later pages with page and per_page`,
      };
    }
    const response = await ctx.read<RawPack[]>(
      "listCertificatePacks",
      { zone_id: zone },
      { ...query, page, per_page: PER_PAGE },
    );
    bytes += response.bytes;
    const items = Array.isArray(response.result) ? response.result : [];
    totalPages = response.resultInfo?.total_pages ?? totalPages;
    totalCount = response.resultInfo?.total_count ?? totalCount;
    if (items.length === 0) return { packs, pages: page, totalCount };
    const key = items.map((p) => p.id).join(",");
    if (seen.has(key)) {
      return { packs, pages: page, totalCount, stoppedBecause: `page ${page} repeated an earlier page` };
    }
    seen.add(key);
    for (const item of items) packs.push(slim(item));
    await ctx.progress(page, totalPages, `read ${packs.length} packs`);
    if (items.length < PER_PAGE || (totalPages !== undefined && page >= totalPages)) {
      return { packs, pages: page, totalCount };
    }
  }
}

export function pageInfo(info: ResultInfo | undefined) {
  return info
    ? {
        page: info.page,
        per_page: info.per_page,
        count: info.count,
        total_count: info.total_count,
        total_pages: info.total_pages,
      }
    : {};
}
