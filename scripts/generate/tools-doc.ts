// docs/tools.md: every tool as the registry declares it, and every Cloudflare endpoint the server calls.
import { describeEndpoint, ENDPOINTS, type Endpoint, type EndpointName } from "../../src/client/endpoints.js";
import type { ToolSpec } from "../../src/tools/spec.js";
import { code, GENERATED_NOTE, table } from "./markdown.js";

const KIND = { read: "read", write: "write", destructive: "**destructive**" } as const;

export function renderToolTable(tools: readonly ToolSpec[]): string {
  return table(
    ["Tool", "What it does", "Kind", "Endpoint", "Token permission"],
    tools.map((t) => [
      code(t.name),
      t.title,
      `${KIND[t.kind]}${t.confirm ? ", needs approval" : ""}${t.idempotent ? "" : ", not idempotent"}`,
      code(describeEndpoint(t.endpoint)),
      t.permission,
    ]),
  );
}

export function renderEndpointTable(): string {
  const rows = Object.entries(ENDPOINTS) as [EndpointName, Endpoint][];
  return table(
    ["Name", "Endpoint", "Contract"],
    rows.map(([name, endpoint]) => [
      code(name),
      code(describeEndpoint(name)),
      endpoint.outsideContract ?? "SSL/TLS OpenAPI extract (contract/)",
    ]),
  );
}

const ABOUT_TRIAGE = [
  '`triage_certificates` answers "what is wrong with my certificates, and what do I do?" in one call. It reads',
  "the packs (every page), validation details, Universal SSL, Automatic SSL/TLS and quota, three requests at a",
  "time, with progress notifications. It returns findings ordered by severity: expired, expiring with no",
  "replacement, pending or failed validation, each `*_timed_out` state, stuck deletion, Universal SSL disabled",
  "with hosts left bare, hosts no active certificate covers, quota, and a wildcard on HTTP validation. Each",
  "finding carries its evidence and the exact next action: the DNS records to publish, or the tool call with its",
  "arguments. A zone with hundreds of packs stays compact: three findings per kind, the rest counted with their",
  "ids. [triage-rules.md](triage-rules.md) lists what it looks for.",
  "",
  "Each tool returns `structuredContent` that matches its output schema, plus the same JSON as compact text.",
  "`list_certificate_packs` returns summaries; `get_certificate_pack` returns everything about one pack, including",
  "the validation records to publish. Empty and null fields are dropped.",
  "",
  "## Prompts",
  "",
  "| Prompt | Arguments | Workflow |",
  "|---|---|---|",
  "| `triage_zone` | `zone` (name or id), `host` (optional) | find the zone, triage, explain each finding and its next action, change nothing |",
  "| `issue_certificate` | `zone`, `hosts` | check existing packs and quota, propose the order and wait for approval, show the records to publish, watch validation to `active` |",
  "| `fix_stuck_validation` | `zone`, `host` (optional) | triage the validation findings, compare with the expected records, propose a method change or a restart |",
  "",
  "The permissions a token needs: [clients.md](clients.md#token-permissions). What needs approval and why:",
  "[safety.md](safety.md).",
];

export function renderToolsDoc(tools: readonly ToolSpec[]): string {
  return [
    "# Tools",
    "",
    GENERATED_NOTE("src/tools/ and src/client/endpoints.ts"),
    "",
    "Every tool the server lists, in the order clients see them. A read-only server (`--read-only`, or a",
    "read-only grant) lists only the read tools; destructive tools act only after approval.",
    "",
    renderToolTable(tools),
    "",
    ...ABOUT_TRIAGE,
    "",
    "## Cloudflare endpoints",
    "",
    "Every Cloudflare API endpoint the server calls, tools and the OAuth sign-in alike, by the name the code",
    "and the sandbox use for it (src/client/endpoints.ts). The contract test checks each row against the",
    "OpenAPI extract in contract/.",
    "",
    renderEndpointTable(),
    "",
  ].join("\n");
}
