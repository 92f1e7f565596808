// MCP prompts: the common workflows, with the right tools in the right order. A client shows them as
// commands; the text is what the agent is asked to do.
import type { GetPromptResult, Prompt } from "@modelcontextprotocol/server";

interface PromptSpec extends Prompt {
  render(args: Record<string, string | undefined>): string;
}

const ZONE_ARG = { name: "zone", description: "Domain name (example.com) or zone id", required: true };
const findZone = (zone: string | undefined) =>
  /^[0-9a-f]{32}$/.test(zone ?? "")
    ? `The zone id is ${zone}.`
    : `First call find_zone with name "${zone}" to get the zone id.`;

export const PROMPTS: readonly PromptSpec[] = [
  {
    name: "triage_zone",
    title: "Triage a zone's certificates",
    description: "Find what is wrong with a zone's certificates and what to do about it.",
    arguments: [ZONE_ARG, { name: "host", description: "Only this hostname (optional)", required: false }],
    render: ({ zone, host }) =>
      [
        findZone(zone),
        `Call triage_certificates for the zone${host ? ` with hosts ["${host}"]` : ""}.`,
        "Explain the findings to me from most to least severe, in plain words, with each one's next action: DNS records I must publish (exact name, type and value), or the tool call you propose.",
        "Do not call any tool that changes something until I say so. If everything is healthy, say so in one sentence.",
      ].join("\n"),
  },
  {
    name: "issue_certificate",
    title: "Get a new certificate issued",
    description: "Order an advanced certificate for hosts and see it through validation to active.",
    arguments: [
      ZONE_ARG,
      { name: "hosts", description: "Comma-separated hostnames to cover", required: true },
    ],
    render: ({ zone, hosts }) =>
      [
        findZone(zone),
        `Goal: an active certificate covering ${hosts}.`,
        "1. Call list_certificate_packs (status all) and tell me if an active or pending pack already covers these hosts; if so, stop there.",
        "2. Call get_certificate_pack_quota; if no quota is available, stop and tell me.",
        "3. Propose an order_certificate_pack call (hosts must include the zone apex; TXT validation works for wildcards; Let's Encrypt is 90 days only). Wait for my approval before ordering: each order is a new paid pack.",
        "4. After ordering, show me the exact DNS records to publish from the answer's validation_records.",
        "5. When I say they are published, call get_ssl_verification with retry true, then get_certificate_pack until the status is active, and report each status change.",
        "If an order fails ambiguously, list packs before ever ordering again.",
      ].join("\n"),
  },
  {
    name: "fix_stuck_validation",
    title: "Fix a stuck certificate validation",
    description: "Diagnose a pack stuck in validation and get it moving again.",
    arguments: [
      ZONE_ARG,
      { name: "host", description: "Hostname whose certificate is stuck (optional)", required: false },
    ],
    render: ({ zone, host }) =>
      [
        findZone(zone),
        `Call triage_certificates${host ? ` with hosts ["${host}"]` : ""} and focus on validation findings (validation_pending, validation_timed_out, validation_errors, wildcard_http_validation).`,
        "For each stuck pack: call get_ssl_verification to see the record Cloudflare expects, and compare it with what the finding says to publish.",
        "Explain why it is stuck. Typical causes: the record is not published or has a typo, a CAA record forbids the CA, or HTTP validation cannot reach Cloudflare or is used for a wildcard.",
        "Then propose, and run only after I agree: update_ssl_verification_method (switch to txt, or resend the same method for a recheck), or restart_certificate_pack_validation for a pack in validation_timed_out once the records are right.",
      ].join("\n"),
  },
];

export function renderPrompt(spec: PromptSpec, args: Record<string, string | undefined>): GetPromptResult {
  return {
    description: spec.description,
    messages: [{ role: "user", content: { type: "text", text: spec.render(args) } }],
  };
}
