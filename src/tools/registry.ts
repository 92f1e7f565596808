// Every tool, in the order clients list them. Registration, read-only filtering, docs/tools.md and the
// registry tests all read this one table.
import { analyzeTools } from "./analyze.js";
import { automaticSslTools } from "./automatic-ssl.js";
import { certificatePackTools } from "./certificate-packs.js";
import { customCertificateTools } from "./custom-certificates.js";
import type { ToolSpec } from "./spec.js";
import { triageTools } from "./triage.js";
import { universalSslTools } from "./universal-ssl.js";
import { verificationTools } from "./verification.js";
import { zoneTools } from "./zones.js";

export const TOOLS: readonly ToolSpec[] = [
  ...triageTools,
  ...zoneTools,
  ...certificatePackTools,
  ...verificationTools,
  ...universalSslTools,
  ...automaticSslTools,
  ...customCertificateTools,
  ...analyzeTools,
];

export function toolsFor(options: { readOnly: boolean }): readonly ToolSpec[] {
  return options.readOnly ? TOOLS.filter((t) => t.kind === "read") : TOOLS;
}
