// The one route table of the remote server, for Node and the Worker: every MCP endpoint is a path, a
// backend (the API a caller's calls reach) and whether it serves the read tools only. The path is the
// request target's, normalised only by dropping trailing slashes; nothing else reaches MCP.
import type { Credentials } from "../../client/cloudflare.js";
import type { RateBudgets } from "../../client/rate-limit.js";
import type { ApprovalSigner } from "../approval.js";
import type { ClientSettings } from "../identity.js";
import type { ServerConfig } from "../server.js";
import type { TaskStore } from "../tasks.js";

/** What the calls of one endpoint reach, and on whose budget. */
export interface Backend {
  config: ServerConfig;
  client: ClientSettings;
  budgets: RateBudgets;
  /** Requests need no token: every call goes to the sandbox behind `client.send`, with these credentials. */
  sandbox?: { credentials: Credentials };
  /** Signs and checks this endpoint's approvals when they must not act anywhere else (the hosted sandbox). */
  approvals?: ApprovalSigner;
  /** Where a caller's long calls run as tasks, for clients that declare the tasks extension; none: inline. */
  tasksFor?: (credentials: Credentials) => TaskStore | undefined;
}

export interface Route {
  backend: Backend;
  readOnly: boolean;
}

export type RouteTable = ReadonlyMap<string, Route>;

/** `/mcp` and `/mcp/readonly` for the main backend, and the same two under each mount's prefix. */
export function routeTable(main: Backend, mounts: Record<string, Backend> = {}): RouteTable {
  const table = new Map<string, Route>();
  for (const [prefix, backend] of [["", main] as const, ...Object.entries(mounts)]) {
    table.set(`${prefix}/mcp`, { backend, readOnly: false });
    table.set(`${prefix}/mcp/readonly`, { backend, readOnly: true });
  }
  return table;
}

export function endpointPath(url: string): string {
  return new URL(url).pathname.replace(/\/+$/, "") || "/";
}
