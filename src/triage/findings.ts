// What is wrong with a zone's certificates and what to do next, from state already read. Pure: the tool in
// src/tools/triage.ts reads the state; the rules in ./rules decide; this runs them and keeps the report short.
import { quoteApiText } from "../lib/text.js";
import { bySeverity, type Finding, SEVERITIES, type Severity, type TriageReport } from "./finding.js";
import { capList } from "./hosts.js";
import { expiryOf, isCustom } from "./packs.js";
import { packFinding, zoneFindings } from "./rule.js";
import { PACK_RULES, ZONE_RULES } from "./rules/index.js";
import type { TriageState } from "./state.js";
import { type TriageView, viewOf } from "./view.js";

export type { Finding, NextAction, Severity, TriageReport } from "./finding.js";
export type { RawPack, TriageState, Verification } from "./state.js";

/** Per problem kind, findings beyond this are folded into one that counts them. */
const MAX_PER_CODE = 3;

export function triage(state: TriageState): TriageReport {
  const view = viewOf(state);
  const findings: Finding[] = [];
  for (const pack of view.packs) {
    for (const rule of PACK_RULES) {
      const finding = packFinding(rule, pack, view);
      if (finding) findings.push(finding);
    }
  }
  for (const rule of ZONE_RULES) findings.push(...zoneFindings(rule, view));

  const ordered = bySeverity(findings);
  const counts = Object.fromEntries(
    SEVERITIES.map((s) => [s, ordered.filter((f) => f.severity === s).length]),
  ) as Record<Severity, number>;
  const problems = ordered.filter((f) => f.severity !== "info" && f.severity !== "low");
  const healthy = problems.length === 0;
  const parts = SEVERITIES.filter((s) => counts[s] > 0 && s !== "info").map((s) => `${counts[s]} ${s}`);
  const summary = healthy
    ? healthySummary(view)
    : `${parts.join(", ")}. Most urgent: ${problems[0]?.summary}.`;
  return { summary, healthy, counts, findings: fold(ordered) };
}

/** One line for a zone with nothing to do: what serves, and the next date to watch. */
function healthySummary(view: TriageView): string {
  const { serving, hosts } = view;
  const next = serving
    .map((p) => ({ p, e: expiryOf(p) }))
    .filter((x): x is { p: (typeof serving)[number]; e: number } => x.e !== undefined)
    .sort((a, b) => a.e - b.e)[0];
  const nextExpiry = next
    ? `; next expiry ${new Date(next.e).toISOString().slice(0, 10)} (${quoteApiText(next.p.type)}, renewed ${isCustom(next.p.type) ? "by the user" : "automatically"})`
    : "";
  return `Healthy: ${serving.length} active certificate pack${serving.length === 1 ? " covers" : "s cover"} ${hosts.length} host${hosts.length === 1 ? "" : "s"}${nextExpiry}.`;
}

/** Keeps the report bounded for a zone with hundreds of packs: at most MAX_PER_CODE findings per kind. */
function fold(findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, Finding[]>();
  for (const f of findings) {
    const group = seen.get(f.code) ?? [];
    group.push(f);
    seen.set(f.code, group);
    if (group.length <= MAX_PER_CODE) out.push(f);
  }
  for (const [code, group] of seen) {
    if (group.length <= MAX_PER_CODE) continue;
    const rest = group.slice(MAX_PER_CODE);
    const ids = rest.flatMap((f) => f.pack_ids ?? []);
    out.push({
      severity: rest[0]?.severity ?? "info",
      code,
      summary: `${rest.length} more with the same problem (${code})`,
      pack_ids: capList(ids),
      next_action: {
        do: `The same action as above for each; list them with list_certificate_packs (status all).`,
      },
    });
  }
  return bySeverity(out);
}
