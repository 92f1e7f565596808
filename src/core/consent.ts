// Approval of a destructive call, bound to the plan the user saw. Where the client can ask its user
// (elicitation), the plan goes to the user through an input-required round trip and the call acts on accept.
// Elsewhere the first call returns the plan with a signed `confirm` value, bound to the tool, its other
// arguments, the caller's credential and the state read for the plan; it expires and works once. Each time,
// the state is read again: if it changed since the plan, nothing is sent and a new plan comes back.
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type Server,
  type ServerContext,
} from "@modelcontextprotocol/server";
import { ConfirmationDeclined, ElicitationRequired } from "../lib/failures.js";
import { capPlanText } from "../lib/text.js";
import type { ConfirmationPlan, ToolSpec } from "../tools/spec.js";
import {
  type ApprovalRefusal,
  type ApprovalSigner,
  type ApprovalSubject,
  canonicalJson,
} from "./approval.js";

export interface ConsentDeps {
  server: Server;
  approvals: ApprovalSigner;
  credentialId: string;
  elicitationOnly: boolean;
}

export type Consent = { kind: "approved" } | { kind: "ask"; result: CallToolResult | InputRequiredResult };

const APPROVE_KEY = "approve";
const REQUESTED_SCHEMA = {
  type: "object" as const,
  properties: {
    approve: { type: "boolean" as const, title: "Approve", description: "Yes, do exactly this" },
  },
  required: ["approve"],
};

const REASONS: Record<ApprovalRefusal, string> = {
  malformed: "the confirm value is not one this server issued",
  bad_signature: "the confirm value is not one this server issued",
  expired: "the approval expired",
  other_tool: "the confirm value was issued for another tool",
  other_arguments: "the arguments differ from those of the plan",
  other_credential: "the confirm value was issued to another caller",
  state_changed: "the state changed since the plan was made",
  used: "the confirm value was already used",
  crowded: "this caller has used as many approvals as it may for now",
};

export function canElicit(caps: ClientCapabilities | undefined): boolean {
  const elicitation = caps?.elicitation as { form?: unknown; url?: unknown } | undefined;
  return elicitation !== undefined && (elicitation.form !== undefined || elicitation.url === undefined);
}

/** The capabilities of the client behind this request: per request on 2026-07-28, from initialize before. */
function clientCapabilities(ctx: ServerContext, server: Server): ClientCapabilities | undefined {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  return (
    (envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) ??
    server.getClientCapabilities()
  );
}

export async function obtainConsent(
  spec: ToolSpec,
  args: Record<string, unknown>,
  plan: NonNullable<ConfirmationPlan>,
  ctx: ServerContext,
  deps: ConsentDeps,
): Promise<Consent> {
  const { confirm, ...rest } = args;
  const planText = capPlanText(plan.text);
  const binding: ApprovalSubject = {
    tool: spec.name,
    args: rest,
    credential: deps.credentialId,
    state: canonicalJson(plan.state),
  };

  if (canElicit(clientCapabilities(ctx, deps.server))) {
    const previous = ctx.mcpReq.requestState();
    const answer = inputResponse(ctx.mcpReq.inputResponses, APPROVE_KEY);
    let note = "";
    if (typeof previous === "string" && answer.kind === "elicit") {
      const approved =
        answer.action === "accept" &&
        (answer.content as Record<string, unknown> | undefined)?.approve === true;
      if (!approved) throw new ConfirmationDeclined(answer.action === "cancel" ? "cancel" : "decline");
      const verdict = await deps.approvals.verify(previous, binding);
      if (verdict.ok) return { kind: "approved" };
      note = `Not done: ${REASONS[verdict.reason]}. Here is the plan as it stands now.\n\n`;
    }
    const issued = await deps.approvals.issue(binding);
    return {
      kind: "ask",
      result: inputRequired({
        inputRequests: {
          [APPROVE_KEY]: inputRequired.elicit({
            mode: "form",
            message: `${note}${planText}\n\nApprove?`,
            requestedSchema: REQUESTED_SCHEMA,
          }),
        },
        requestState: issued.confirm,
      }),
    };
  }

  if (deps.elicitationOnly) throw new ElicitationRequired(planText);
  let reason: string | undefined;
  if (typeof confirm === "string") {
    const verdict = await deps.approvals.verify(confirm, binding);
    if (verdict.ok) return { kind: "approved" };
    reason = REASONS[verdict.reason];
  }
  const issued = await deps.approvals.issue(binding);
  const approval = {
    confirm: issued.confirm,
    expires_at: issued.expires_at,
    plan: planText,
    ...(plan.omitted ? { left_out: plan.omitted } : {}),
    ...(reason ? { reason } : {}),
  };
  const text = [
    `${spec.name}: NOT DONE, approval required. Nothing was changed.${reason ? ` (${reason}: a new plan follows.)` : ""}`,
    `What would happen: ${planText}`,
    `Show this to the user. Only if they approve, call ${spec.name} again with the same arguments and confirm: "${issued.confirm}" (valid until ${issued.expires_at}, once).`,
  ].join("\n");
  return {
    kind: "ask",
    result: {
      content: [{ type: "text", text }],
      structuredContent: { approval },
    },
  };
}
