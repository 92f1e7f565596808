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
