// What every tool does: check the arguments, obtain approval where needed, expand the endpoint, call the
// client, shape the result, and turn any failure into a tool result.
import type { CallToolResult, InputRequiredResult, ServerContext } from "@modelcontextprotocol/server";
import type { z } from "zod/v4";
import type { CloudflareClient } from "../client/cloudflare.js";
import { expandEndpoint } from "../client/routes.js";
import { UnexpectedAnswer, UsageError } from "../lib/failures.js";
import { outputOf } from "../tools/definition.js";
import { asRecord } from "../tools/outputs.js";
import type { ToolContext, ToolSpec } from "../tools/spec.js";
import { type ConsentDeps, obtainConsent } from "./consent.js";
import { toErrorResult } from "./present.js";
import { throttledProgress } from "./progress.js";
import type { Redactor } from "./redact.js";

export interface RunnerDeps extends ConsentDeps {
  client: CloudflareClient;
  redactor: Redactor;
  sandbox: boolean;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Overrides how long a wait may last in one call (see ToolContext.waitLimitMs). */
  waitLimitMs?: number;
}

const SANDBOX_NOTE = "[sandbox] Simulated Cloudflare data: no real zone was read or changed.";

export async function runTool(
  spec: ToolSpec,
  rawArgs: unknown,
  ctx: ServerContext,
  deps: RunnerDeps,
  inTask = false,
): Promise<CallToolResult | InputRequiredResult> {
  const progress = throttledProgress(ctx);
  try {
    const args = parseArguments(spec, rawArgs);
    const toolCtx = contextFor(ctx, deps, progress.send, inTask);
    if (spec.confirm) {
      const plan = await spec.confirm(args, toolCtx);
      if (plan !== undefined) {
        const consent = await obtainConsent(spec, args, plan, ctx, deps);
        if (consent.kind === "ask") return redacted(consent.result, deps);
      }
    }
    const structured = (await spec.handler?.(args, toolCtx)) ?? (await callRoute(spec, args, toolCtx, deps));
    // Own fields only, secrets out, then validated: what is returned is exactly what was checked.
    const clean = deps.redactor.value(structured);
    const checked = outputOf(spec).safeParse(clean);
    if (!checked.success) {
      throw new UnexpectedAnswer(
        checked.error.issues.map((i) => `${i.path.join(".") || "result"}: ${i.message}`).join("; "),
      );
    }
    const text = spec.text?.(clean as Record<string, unknown>) ?? JSON.stringify(clean);
    const content: CallToolResult["content"] = [{ type: "text", text }];
    if (deps.sandbox) content.push({ type: "text", text: SANDBOX_NOTE });
    return { content, structuredContent: clean };
  } catch (error) {
    return toErrorResult(spec, error, deps.redactor.text);
  } finally {
    progress.stop();
  }
}

function redacted<T extends CallToolResult | InputRequiredResult>(result: T, deps: RunnerDeps): T {
  return deps.redactor.value(result);
}

function parseArguments(spec: ToolSpec, rawArgs: unknown): Record<string, unknown> {
  const parsed = spec.input.safeParse(rawArgs ?? {});
  if (parsed.success) return parsed.data as Record<string, unknown>;
  throw new UsageError(parsed.error.issues.map((issue) => describeIssue(issue, rawArgs)).join("; "));
}

/** What the caller sent at an issue's path (zod does not keep the input on its issues). */
function inputAt(rawArgs: unknown, path: readonly PropertyKey[]): unknown {
  let value = rawArgs;
  for (const key of path) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, rawArgs: unknown): string {
  const field = issue.path.length ? issue.path.join(".") : "arguments";
  if (issue.code === "unrecognized_keys") {
    return `${field}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}; remove ${issue.keys.length > 1 ? "them" : "it"} (check the spelling against the tool's input schema)`;
  }
  if (issue.code === "invalid_type") {
    const input = inputAt(rawArgs, issue.path);
    if (input === undefined) return `${field}: required (${issue.expected})`;
    if (field === "confirm") {
      return `confirm: expected the confirm string of an approved plan, got ${describeValue(input)}; call without confirm to get the plan and its confirm value`;
    }
    return `${field}: expected ${issue.expected}, got ${describeValue(input)}`;
  }
  return `${field}: ${issue.message}`;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

function contextFor(
  ctx: ServerContext,
  deps: RunnerDeps,
  progress: ToolContext["progress"],
  inTask: boolean,
): ToolContext {
  const signal = ctx.mcpReq.signal;
  return {
    signal,
    now: deps.now,
    credentialId: deps.credentialId,
    inTask,
    waitLimitMs: deps.waitLimitMs,
    sleep: (ms) => deps.sleep(ms, signal),
    progress,
    read: (endpoint, params, query, options) => {
      const { method, path } = expandEndpoint(endpoint, params);
      return deps.client.request({
        method,
        path,
        query,
        effect: "none",
        signal,
        noRateWait: options?.noRateWait,
        onWait: (ms, reason) => void progress(0, undefined, `waiting ${Math.ceil(ms / 1000)} s: ${reason}`),
      });
    },
  };
}

/** The default request: path parameters from the endpoint, what is left to the query (GET) or body. */
async function callRoute(
  spec: ToolSpec,
  args: Record<string, unknown>,
  ctx: ToolContext,
  deps: RunnerDeps,
): Promise<Record<string, unknown>> {
  const { method, path, used } = expandEndpoint(spec.endpoint, args);
  const rest: Record<string, unknown> = { ...args };
  delete rest.confirm;
  for (const name of used) delete rest[name];
  const parts = spec.request
    ? spec.request(args)
    : method === "GET"
      ? { query: rest as Record<string, string> }
      : method === "DELETE"
        ? {}
        : { body: rest };
  const response = await deps.client.request({
    method,
    path,
    ...parts,
    effect: spec.effect,
    signal: ctx.signal,
    onWait: (ms, reason) => void ctx.progress(0, undefined, `waiting ${Math.ceil(ms / 1000)} s: ${reason}`),
  });
  return spec.shape ? spec.shape(response, args) : asRecord(response.result);
}
