// Many zones' triage as one report: zones ranked by their most severe finding, totals, and a short text for
// the model. Healthy zones are counted, not described; structuredContent carries every zone.
import { quoteApiText } from "../lib/text.js";
import type { FleetProgress } from "./continuation.js";
import { type Finding, SEVERITIES, type Severity, type TriageReport } from "./finding.js";

export interface ZoneOutcome {
  id: string;
  name: string;
  /** The zone's triage; absent when the zone could not be read. */
  report?: TriageReport;
  /** Why the zone could not be read (HTTP status and error code, or the transport failure). */
  error?: string;
}

export interface NotTriaged {
  count: number;
  /** The first few names, the rest counted. */
  zones: string[];
  reason: string;
}

/** Problem zones the model-visible text describes with their next step; then a short line each, then a count. */
export const TEXT_ZONES = 12;
const TEXT_ZONES_SHORT = 40;
/** Findings listed at the top level of the structured result (every zone's are in `zones`). */
const TOP_FINDINGS = 50;

const rank = (s: Severity) => SEVERITIES.indexOf(s);
const worst = (o: ZoneOutcome): number =>
  o.report
    ? o.report.healthy
      ? SEVERITIES.length
      : rank(o.report.findings[0]?.severity ?? "info")
    : rank("high");

/** A zone that could not be read is a finding about that zone, never a failed call. */
export function unreadableFinding(zone: { id: string; name: string }, error: string): Finding {
  return {
    severity: "high",
    code: "zone_unreadable",
    summary: `zone ${quoteApiText(zone.name)} could not be triaged: ${error}`,
    next_action: {
      do: "Check that the token has SSL and Certificates: Read on this zone, then triage it alone with zone_id.",
      tool: "triage_certificates",
      arguments: { zone_id: zone.id },
    },
  };
}

export function fleetReport(
  outcomes: ZoneOutcome[],
  listed: number,
  notTriaged: NotTriaged | undefined,
  earlier: FleetProgress["earlier"],
  /** The zone list stopped at its cap with more zones to come. */
  capped = false,
): Record<string, unknown> {
  const ranked = [...outcomes].sort((a, b) => worst(a) - worst(b) || a.name.localeCompare(b.name));
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, earlier.counts[s] ?? 0])) as Record<
    Severity,
    number
  >;
  const findings: Record<string, unknown>[] = [];
  let healthy = 0;
  let unreadable = 0;
  const zones = ranked.map((o) => {
    const own = o.report?.findings ?? (o.error ? [unreadableFinding(o, o.error)] : []);
    for (const f of own) counts[f.severity] += 1;
    if (o.error) unreadable += 1;
    else if (o.report?.healthy) healthy += 1;
    for (const f of own) {
      if (findings.length < TOP_FINDINGS && f.severity !== "info" && f.severity !== "low")
        findings.push({ zone_id: o.id, zone_name: o.name, ...f });
    }
    if (o.report?.healthy) return { id: o.id, name: o.name, healthy: true };
    return {
      id: o.id,
      name: o.name,
      healthy: false,
      summary: o.report?.summary ?? `could not be triaged: ${o.error}`,
      findings: own,
    };
  });
  findings.sort((a, b) => rank(a.severity as Severity) - rank(b.severity as Severity));
  const totals = {
    zones: listed,
    triaged: outcomes.length + earlier.triaged,
    healthy: healthy + earlier.healthy,
    with_problems:
      outcomes.length - healthy - unreadable + (earlier.triaged - earlier.healthy - earlier.unreadable),
    unreadable: unreadable + earlier.unreadable,
    not_triaged: notTriaged?.count ?? 0,
  };
  const parts = SEVERITIES.filter((s) => counts[s] > 0 && s !== "info").map((s) => `${counts[s]} ${s}`);
  const summary = `${totals.triaged} of ${listed} zones triaged${earlier.triaged ? ` (${earlier.triaged} in earlier parts)` : ""}: ${totals.healthy} healthy, ${totals.with_problems} with problems, ${totals.unreadable} unreadable${parts.length ? ` (${parts.join(", ")} findings)` : ""}${notTriaged ? `; ${notTriaged.count} not triaged yet` : ""}.`;
  return {
    summary,
    healthy: totals.with_problems === 0 && totals.unreadable === 0 && !notTriaged,
    counts,
    totals,
    findings,
    zones,
    ...(notTriaged ? { not_triaged: notTriaged } : {}),
    ...(capped
      ? {
          note: `The zone list stopped at ${listed} zones, the most one fleet triage reads: narrow it with account_id or name_contains to reach the rest.`,
        }
      : {}),
  };
}

/** What the model reads: the totals, one line per problem zone (most severe first), and how to go on. */
export function fleetText(result: Record<string, unknown>): string | undefined {
  const zones = result.zones as
    | { name: string; id: string; healthy: boolean; findings?: Finding[] }[]
    | undefined;
  if (!Array.isArray(zones)) return undefined;
  const problems = zones.filter((z) => !z.healthy);
  const lines = [String(result.summary)];
  if (typeof result.note === "string") lines.push(result.note);
  if (problems.length) lines.push("Zones with problems, most severe first (zone id: finding → next step):");
  for (const zone of problems.slice(0, TEXT_ZONES)) {
    const findings = (zone.findings ?? []).filter((f) => f.severity !== "info");
    const worst = findings[0];
    // The most severe finding with something to do leads: "hosts uncovered" only points at another finding.
    const lead = findings.find((f) => f.next_action.tool || f.next_action.publish) ?? worst;
    if (!worst || !lead) continue;
    const more = findings.length - 1;
    lines.push(
      `- [${worst.severity}] ${quoteApiText(zone.name)} ${zone.id}: ${lead.summary}${more ? ` (+${more} more)` : ""} → ${actionText(lead)}`,
    );
  }
  const short = problems.slice(TEXT_ZONES, TEXT_ZONES + TEXT_ZONES_SHORT);
  if (short.length) lines.push("Also (severity zone id: finding codes; details in structuredContent.zones):");
  for (const zone of short) {
    const codes = [...new Set((zone.findings ?? []).filter((f) => f.severity !== "info").map((f) => f.code))];
    lines.push(
      `- [${zone.findings?.[0]?.severity}] ${quoteApiText(zone.name)} ${zone.id}: ${codes.join(", ")}`,
    );
  }
  const rest = problems.length - TEXT_ZONES - short.length;
  if (rest > 0) lines.push(`…${rest} more zones with problems: see structuredContent.zones.`);
  const notTriaged = result.not_triaged as NotTriaged | undefined;
  if (notTriaged) {
    const what = notTriaged.count ? `${notTriaged.count} zones` : "the zone list could not be read yet";
    lines.push(
      `Not triaged: ${what} (${notTriaged.reason}). To resume, call again with the same arguments and continue: ${JSON.stringify(result.continue)}.`,
    );
  }
  return lines.join("\n");
}

/** A next action on one line: the first record to publish, then the tool and its other arguments. */
function actionText(finding: Finding): string {
  const { publish, tool, arguments: args, do: todo } = finding.next_action;
  const parts: string[] = [];
  if (publish?.length) {
    const shown = publish.slice(0, 1).map((r) =>
      Object.values(r)
        .map((v) => (typeof v === "string" ? quoteApiText(v, 120) : JSON.stringify(v)))
        .join(" "),
    );
    parts.push(`publish ${shown.join("; ")}${publish.length > 1 ? ` (+${publish.length - 1} more)` : ""}`);
  }
  if (tool) {
    // The zone id leads the line and the hosts are in the summary: the rest of the arguments follow.
    const { zone_id: _zone, hosts: _hosts, ...rest } = args ?? {};
    parts.push(`${tool}${Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : ""}`);
  } else if (todo) parts.push(todo);
  return parts.join("; then ");
}
