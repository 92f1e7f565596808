import type { z } from "zod/v4";
import type { ApiRequest, ApiResponse, Effect } from "../client/cloudflare.js";
import type { EndpointName, ReadEndpoint } from "../client/endpoints.js";

export type { Effect } from "../client/cloudflare.js";
export type ToolKind = "read" | "write" | "destructive";
export type Permission = "SSL and Certificates: Read" | "SSL and Certificates: Edit" | "Zone: Read";
export type Query = ApiRequest["query"];

/** What a handler may use: reads (one at a time or in a small pool), progress, and the caller's cancellation. */
export interface ToolContext {
  /**
   * A GET of `endpoint` with its path parameters from `params`; reads change nothing, so they are retried.
   * `noRateWait`: fail at once where the rate budget or a 429 would make the read wait.
   */
  read<T = unknown>(
    endpoint: ReadEndpoint,
    params: Record<string, string>,
    query?: Query,
    options?: { noRateWait?: boolean },
  ): Promise<ApiResponse<T>>;
  progress(done: number, total: number | undefined, message: string): Promise<void>;
  signal: AbortSignal;
  /** The current time, from the server's clock (tests pin it). */
  now(): number;
  /** A one-way digest of the caller's credential, to bind what the caller hands back (a continuation). */
  credentialId: string;
  /** Whether the call runs as a task, so it may take as long as its task allows rather than one request. */
  inTask: boolean;
  /**
   * How long a wait may last in this call, where the host decides (a Durable Object polls once per alarm and
   * keeps waiting across alarms); by default a day in a task, 90 s inline.
   */
  waitLimitMs?: number;
  /** Waits `ms` or until the call is cancelled (tests pass a clock that moves at once). */
  sleep(ms: number): Promise<void>;
}

/**
 * What the user is asked to approve before a destructive request: the text, built from state read first (API
 * values quoted), and that state, to which the approval is bound. `undefined`: this call needs no approval
 * (for example enabling Universal SSL).
 */
export type ConfirmationPlan =
  | {
      /** At most PLAN_TEXT_MAX characters (see PlanText): the consequence first, then the first items. */
      text: string;
      state: unknown;
      /** How many items (hosts, packs, certificates) the text names only as "and N more". */
      omitted?: number;
    }
  | undefined;

/** The next steps this tool's failures call for, beyond those every tool shares. */
export interface ToolHints {
  /** After a request that may have taken effect failed ambiguously: how to check before trying again. */
  ambiguous?: string;
  /** What a 404 most likely means for this tool. */
  notFound?: string;
  /** What to do when the answer is too large to read. */
  tooLarge?: string;
  /** Next steps for Cloudflare error codes this tool meets. */
  codes?: Record<number, string>;
}

export interface ToolSpec<Input extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  kind: ToolKind;
  /** Calling again with the same arguments changes nothing more (the MCP idempotentHint). */
  idempotent: boolean;
  /** The endpoint of src/client/endpoints.ts it calls; every `{param}` of its path is filled from the argument of the same name. */
  endpoint: EndpointName;
  /**
   * `none`: the request changes nothing at Cloudflare (even a POST like analyze), so a failed attempt is
   * retried; `changes`: it may take effect although the answer is lost, so it is sent once only.
   */
  effect: Effect;
  permission: Permission;
  input: Input;
  output: z.ZodObject;
  /** Builds the query or body from the arguments; by default what the path leaves goes to the query (GET) or body. */
  request?: (args: z.output<Input>) => Pick<ApiRequest, "query" | "body">;
  /** Turns the API answer into the structured result; by default `result`, compacted. */
  shape?: (response: ApiResponse, args: z.output<Input>) => Record<string, unknown>;
  /** Present on tools that can be destructive: describes what will happen, reading current state first. */
  confirm?: (args: z.output<Input>, ctx: ToolContext) => Promise<ConfirmationPlan>;
  /** Replaces the single default request where an endpoint truly differs (several pages, several calls);
   * answering `undefined` falls back to the default request. */
  handler?: (args: z.output<Input>, ctx: ToolContext) => Promise<Record<string, unknown> | undefined>;
  hints?: ToolHints;
  /** Set on tools whose result the certificate dashboard (an MCP App) can show. */
  dashboard?: true;
  /**
   * The model-visible text of a result, where the JSON of the whole result would be too long to read (a
   * fleet of zones); structuredContent still carries all of it. By default the JSON of the result.
   */
  text?: (result: Record<string, unknown>) => string | undefined;
  /**
   * Work that can take minutes or hours with these arguments: where the client declares the tasks extension,
   * the call answers with a task that runs at most `maxRunMs`; elsewhere it runs inline, as ever.
   */
  asTask?: (args: z.output<Input>) => { maxRunMs: number; pollIntervalMs: number } | undefined;
}

/** Keeps each spec's own input type while the registry holds them side by side. */
export function defineTool<Input extends z.ZodObject>(spec: ToolSpec<Input>): ToolSpec {
  return spec as unknown as ToolSpec;
}

export function annotationsFor(spec: ToolSpec) {
  return {
    title: spec.title,
    readOnlyHint: spec.kind === "read",
    destructiveHint: spec.kind === "destructive",
    idempotentHint: spec.idempotent,
    // Every tool talks to Cloudflare (or the sandbox standing in for it), an outside system.
    openWorldHint: true,
  };
}
