// What triage answers with: findings, most severe first, and the report around them.

export type Severity = "critical" | "high" | "medium" | "low" | "info";
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

export interface NextAction {
  /** Records the user publishes at their DNS provider or origin. */
  publish?: Record<string, unknown>[];
  /** The tool to call, with its arguments, after any publishing. */
  tool?: string;
  arguments?: Record<string, unknown>;
  /** What a person has to do where no tool can. */
  do?: string;
}

export interface Finding {
  severity: Severity;
  code: string;
  summary: string;
  hosts?: string[];
  pack_ids?: string[];
  evidence?: Record<string, unknown>;
  next_action: NextAction;
}

export interface TriageReport {
  summary: string;
  healthy: boolean;
  counts: Record<Severity, number>;
  findings: Finding[];
}

/** Most severe first; findings of one severity keep their order. */
export function bySeverity(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
}
