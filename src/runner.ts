// What every tool does: check the arguments, obtain approval where needed, expand the route, call the
// client, shape the result, and turn any failure into a tool result.
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { ApiRequest, CloudflareClient } from "./client/cloudflare.js";
import { obtainApproval } from "./confirm.js";
import { type Redact, toErrorResult, UnexpectedAnswer, UsageError } from "./errors.js";
import { asRecord } from "./tools/outputs.js";
import type { ToolContext, ToolSpec } from "./tools/spec.js";

export interface RunnerDeps {
  client: CloudflareClient;
  server: Server;
  redact: Redact;
  elicitationOnly: boolean;
  sandbox: boolean;
  now: () => number;
}

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const SANDBOX_NOTE = "[sandbox] Simulated Cloudflare data: no real zone was read or changed.";

export async function runTool(
  spec: ToolSpec,
  rawArgs: unknown,
  extra: Extra,
  deps: RunnerDeps,
): Promise<CallToolResult> {
  try {
    const args = parseArguments(spec, rawArgs);
    const ctx = contextFor(extra, deps);
    if (spec.confirm) {
      const plan = await spec.confirm(args, ctx);
      if (plan !== undefined) {
        await obtainApproval({
          plan,
          confirmArgument: args.confirm === true,
          server: deps.server,
          elicitationOnly: deps.elicitationOnly,
          signal: extra.signal,
        });
      }
    }
    const structured = (await spec.handler?.(args, ctx)) ?? (await callRoute(spec, args, ctx));
    // A result that breaks the tool's own output schema would be a protocol error at the client.
    const checked = spec.output.safeParse(structured);
    if (!checked.success) {
      throw new UnexpectedAnswer(
        checked.error.issues.map((i) => `${i.path.join(".") || "result"}: ${i.message}`).join("; "),
      );
    }
    // Successes pass the redactor too: nothing Cloudflare sends back may carry a secret out.
    const raw = JSON.stringify(structured);
    const text = deps.redact(raw);
    const content: CallToolResult["content"] = [{ type: "text", text }];
    if (deps.sandbox) content.push({ type: "text", text: SANDBOX_NOTE });
    return { content, structuredContent: text === raw ? structured : JSON.parse(text) };
  } catch (error) {
    return toErrorResult(spec, error, deps.redact);
  }
}

function parseArguments(spec: ToolSpec, rawArgs: unknown): Record<string, unknown> & { confirm?: boolean } {
  const parsed = spec.input.safeParse(rawArgs ?? {});
  if (parsed.success) return parsed.data as Record<string, unknown>;
  throw new UsageError(parsed.error.issues.map(describeIssue).join("; "));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.join(".") : "arguments";
  if (issue.code === "unrecognized_keys") {
    return `${field}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}; remove ${issue.keys.length > 1 ? "them" : "it"} (check the spelling against the tool's input schema)`;
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `${field}: required (${issue.expected})`;
  }
  return `${field}: ${issue.message}`;
}

function contextFor(extra: Extra, deps: RunnerDeps): ToolContext {
  const token = extra._meta?.progressToken;
  let step = 0;
  const progress = async (done: number, total: number | undefined, message: string) => {
    if (token === undefined) return;
    step = Math.max(step + 1, done);
    await extra
      .sendNotification({
        method: "notifications/progress",
        params: {
          progressToken: token,
          progress: step,
          ...(total ? { total: Math.max(total, step) } : {}),
          message,
        },
      })
      .catch(() => {});
  };
  return {
    signal: extra.signal,
    now: deps.now,
    progress,
    call: (request) =>
      deps.client.request({
        ...request,
        signal: extra.signal,
        onWait: (ms, reason) =>
          void progress(step, undefined, `waiting ${Math.ceil(ms / 1000)} s: ${reason}`),
      }),
  };
}

/** The default request: path parameters from the route, what is left to the query (GET) or body. */
async function callRoute(spec: ToolSpec, args: Record<string, unknown>, ctx: ToolContext) {
  const [method, template] = spec.route.split(" ") as [ApiRequest["method"], string];
  const rest: Record<string, unknown> = { ...args };
  delete rest.confirm;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = args[name];
    delete rest[name];
    if (typeof value !== "string" || value === "") throw new UsageError(`${name}: required`);
    return encodeURIComponent(value);
  });
  const parts = spec.request
    ? spec.request(args)
    : method === "GET"
      ? { query: rest as ApiRequest["query"] }
      : method === "DELETE"
        ? {}
        : { body: rest };
  const response = await ctx.call({ method, path, ...parts });
  return spec.shape ? spec.shape(response, args) : asRecord(response.result);
}
