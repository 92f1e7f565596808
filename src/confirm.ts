// Approval for destructive calls: the user's own answer through MCP elicitation where the client can ask,
// else `confirm: true` sent by the model after showing the user the plan (unless the operator forbids that).
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ConfirmationDeclined, ConfirmationRequired, ElicitationRequired } from "./errors.js";

export function canElicit(server: Server): boolean {
  const elicitation = server.getClientCapabilities()?.elicitation as
    | { form?: unknown; url?: unknown }
    | undefined;
  return elicitation !== undefined && (elicitation.form !== undefined || elicitation.url === undefined);
}

/** Resolves when the action is approved; otherwise throws, and the caller sends nothing. */
export async function obtainApproval(options: {
  plan: string;
  confirmArgument: boolean;
  server: Server;
  elicitationOnly: boolean;
  signal: AbortSignal;
}): Promise<void> {
  const { plan, server, signal } = options;
  if (canElicit(server)) {
    let answer: { action: string; content?: Record<string, unknown> };
    try {
      answer = await server.elicitInput(
        {
          mode: "form",
          message: `${plan}\n\nApprove?`,
          requestedSchema: {
            type: "object",
            properties: {
              approve: { type: "boolean", title: "Approve", description: "Yes, do exactly this" },
            },
            required: ["approve"],
          },
        },
        { signal },
      );
    } catch {
      throw new ConfirmationDeclined(plan, "cancel");
    }
    if (answer.action === "accept" && answer.content?.approve === true) return;
    throw new ConfirmationDeclined(plan, answer.action === "cancel" ? "cancel" : "decline");
  }
  if (options.elicitationOnly) throw new ElicitationRequired(plan);
  if (!options.confirmArgument) throw new ConfirmationRequired(plan);
}
