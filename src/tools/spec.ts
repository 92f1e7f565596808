import type { z } from "zod";
import type { ApiRequest, ApiResponse } from "../client/cloudflare.js";

export type ToolKind = "read" | "write" | "destructive";
export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
export type Permission = "SSL and Certificates: Read" | "SSL and Certificates: Edit" | "Zone: Read";

/** What a handler may use: one API call at a time, progress, and the caller's cancellation. */
export interface ToolContext {
  call<T = unknown>(request: Omit<ApiRequest, "signal">): Promise<ApiResponse<T>>;
  progress(done: number, total: number | undefined, message: string): Promise<void>;
  signal: AbortSignal;
  /** The current time, from the server's clock (tests pin it). */
  now(): number;
}

/**
 * What the user is asked to approve before a destructive request, built from state read first.
 * `undefined` means this call needs no confirmation (for example enabling Universal SSL).
 */
export type ConfirmationPlan = string | undefined;

export interface ToolSpec<Input extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  kind: ToolKind;
  /** Calling again with the same arguments changes nothing more (the MCP idempotentHint). */
  idempotent: boolean;
  /** Method and path template; every `{param}` is filled from the arguments of the same name. */
  route: `${HttpMethod} /${string}`;
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
  /** Said when a request that may have taken effect failed ambiguously: how to check before trying again. */
  ambiguousFailureHint?: string;
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
