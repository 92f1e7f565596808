// docs/triage-rules.md: what triage_certificates reports, rule by rule, in the order it lists findings.
import { PACK_RULES, ZONE_RULES } from "../../src/triage/rules/index.js";
import { code, GENERATED_NOTE, table } from "./markdown.js";

export function renderTriageRulesDoc(): string {
  const rows = [
    ...PACK_RULES.map((rule) => [rule.codes.map(code).join(", "), "each pack", rule.about]),
    ...ZONE_RULES.map((rule) => [rule.codes.map(code).join(", "), "the zone", rule.about]),
  ];
  return [
    "# Triage rules",
    "",
    GENERATED_NOTE("src/triage/rules/"),
    "",
    "`triage_certificates` runs every rule below and returns their findings ordered by severity (critical,",
    "high, medium, low, info), then in this order. Each finding carries its evidence and the next action: the",
    "records to publish, or the tool call to make with its arguments.",
    "",
    table(["Finding codes", "Judged for", "Reported when"], rows),
    "",
  ].join("\n");
}
