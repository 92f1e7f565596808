// What the dashboard knows, read from tool results. Results are checked loosely: a field the view does not
// find is shown as missing rather than failing the page, since other servers' versions may differ.

export interface Pack {
  id: string;
  type: string;
  status: string;
  hosts: string[];
  expires_on?: string;
  validation_method?: string;
  certificate_authority?: string;
  certificates?: { id: string; priority?: number }[];
}

export interface PublishRecord {
  type: string;
  name: string;
  value: string;
}

export interface Finding {
  severity: string;
  code: string;
  summary: string;
  hosts?: string[];
  pack_ids?: string[];
  next_action?: { tool?: string; do?: string; publish?: PublishRecord[] };
}

export interface Triage {
  summary: string;
  healthy: boolean;
  findings: Finding[];
}

export interface FleetZone {
  zone_id?: string;
  id?: string;
  name?: string;
  summary?: string;
  healthy?: boolean;
  counts?: Record<string, number>;
}

export interface DashboardState {
  zoneId?: string;
  triage?: Triage;
  packs?: Pack[];
  fleet?: FleetZone[];
}

export const SEVERITIES = ["critical", "high", "medium", "low", "info"];

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Folds one tool's structured result into the state; answers which parts it brought. */
export function absorb(state: DashboardState, result: unknown): DashboardState {
  if (!isObject(result)) return state;
  const next = { ...state };
  if (Array.isArray(result.zones)) next.fleet = result.zones.filter(isObject) as FleetZone[];
  if (Array.isArray(result.findings)) {
    next.triage = {
      summary: String(result.summary ?? ""),
      healthy: result.healthy === true,
      findings: result.findings.filter(isObject) as unknown as Finding[],
    };
  }
  if (Array.isArray(result.packs)) {
    next.packs = result.packs
      .filter(isObject)
      .map((p) => ({ ...p, hosts: Array.isArray(p.hosts) ? p.hosts.map(String) : [] }) as unknown as Pack);
  }
  return next;
}

/** The records findings ask to publish, once each. */
export function recordsToPublish(triage: Triage | undefined): PublishRecord[] {
  const seen = new Map<string, PublishRecord>();
  for (const finding of triage?.findings ?? []) {
    for (const record of finding.next_action?.publish ?? []) {
      seen.set(`${record.type} ${record.name} ${record.value}`, record);
    }
  }
  return [...seen.values()];
}

/** Packs Cloudflare issues and the user may restart, re-method or delete; custom uploads are managed apart. */
export const isOrderedPack = (pack: Pack) => pack.type === "advanced";
export const awaitsValidation = (pack: Pack) =>
  /^(pending_validation|validation_timed_out|pending_issuance|initializing)$/.test(pack.status);

/** The zone's apex as the packs show it: every pack must cover it, so it is the host they all share. */
export function apexOf(packs: Pack[] | undefined): string | undefined {
  const [first, ...rest] = packs ?? [];
  const shared = first?.hosts.filter(
    (host) => !host.startsWith("*.") && rest.every((p) => p.hosts.includes(host)),
  );
  return shared?.sort((a, b) => a.length - b.length)[0];
}
