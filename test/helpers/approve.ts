// Tests that act on a destructive tool do what a model does with a plan: call, read the plan's confirm value,
// and call again with it (the user having approved). A call that needs no approval is made once.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

type Call = (name: string, args: Record<string, unknown>) => Promise<CallToolResult>;

export function approving(call: Call): Call {
  return async (name, args) => {
    const first = await call(name, args);
    const approval = (first.structuredContent as { approval?: { confirm?: string } } | undefined)?.approval;
    return approval?.confirm ? call(name, { ...args, confirm: approval.confirm }) : first;
  };
}
