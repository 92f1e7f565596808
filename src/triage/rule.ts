// What a rule is: one kind of finding, with when it applies, its severity, summary, evidence and next action.
// A rule works out its facts once, in `applies`; the other parts only read them.
import type { Finding, NextAction, Severity } from "./finding.js";
import { capList } from "./hosts.js";
import type { RawPack } from "./state.js";
import type { TriageView } from "./view.js";

type Codes = readonly [string, ...string[]];

/** A rule judged once for each pack in scope. */
export interface PackRule<Facts = unknown> {
  /** The kinds of finding it reports; the first, unless `code` picks another. */
  codes: Codes;
  /** When it reports, in one sentence for docs/triage-rules.md. */
  about: string;
  code?(facts: Facts, pack: RawPack): string;
  /** What the finding rests on when the rule applies to the pack; false or undefined when it does not. */
  applies(pack: RawPack, view: TriageView): Facts | false | undefined;
  severity(facts: Facts, pack: RawPack): Severity;
  summary(facts: Facts, pack: RawPack): string;
  evidence(facts: Facts, pack: RawPack): Record<string, unknown>;
  nextAction(facts: Facts, pack: RawPack, view: TriageView): NextAction;
}

/** A rule judged once for the zone. */
export interface ZoneRule<Facts = unknown> {
  /** The kinds of finding it reports; the first, unless `code` picks another. */
  codes: Codes;
  /** When it reports, in one sentence for docs/triage-rules.md. */
  about: string;
  code?(facts: Facts): string;
  /** One entry of facts per finding it reports: none when it does not apply. */
  applies(view: TriageView): Facts[];
  severity(facts: Facts): Severity;
  summary(facts: Facts): string;
  hosts?(facts: Facts): string[] | undefined;
  evidence?(facts: Facts): Record<string, unknown>;
  nextAction(facts: Facts, view: TriageView): NextAction;
}

export const packRule = <Facts>(rule: PackRule<Facts>): PackRule<Facts> => rule;
export const zoneRule = <Facts>(rule: ZoneRule<Facts>): ZoneRule<Facts> => rule;

/** The rule's finding for one pack, if it applies. */
export function packFinding<Facts>(
  rule: PackRule<Facts>,
  pack: RawPack,
  view: TriageView,
): Finding | undefined {
  const facts = rule.applies(pack, view);
  if (facts === false || facts === undefined) return undefined;
  return {
    severity: rule.severity(facts, pack),
    code: rule.code?.(facts, pack) ?? rule.codes[0],
    summary: rule.summary(facts, pack),
    hosts: capList((pack.hosts ?? []).filter(view.relevant)),
    pack_ids: [pack.id],
    evidence: rule.evidence(facts, pack),
    next_action: rule.nextAction(facts, pack, view),
  };
}

/** The rule's findings for the zone. */
export function zoneFindings<Facts>(rule: ZoneRule<Facts>, view: TriageView): Finding[] {
  return rule.applies(view).map((facts) => {
    const hosts = rule.hosts?.(facts);
    const evidence = rule.evidence?.(facts);
    return {
      severity: rule.severity(facts),
      code: rule.code?.(facts) ?? rule.codes[0],
      summary: rule.summary(facts),
      ...(hosts ? { hosts } : {}),
      ...(evidence ? { evidence } : {}),
      next_action: rule.nextAction(facts, view),
    };
  });
}
