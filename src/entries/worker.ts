// The Cloudflare Workers entry: the only Worker code that reads the environment. It answers the landing page
// itself and hands every other path to the shared HTTP app, so routes and HTTP rules live in one place for
// Node and Workers alike. Everything is built on the first request (an isolate may not make random keys before one)
// and kept for the isolate's life; nothing of a request is kept.
import { endpointPath } from "../core/http/routes.js";
import { oauthMode } from "../oauth/settings.js";
import { withOAuth } from "../oauth/worker.js";
import { buildWorkerApps, type WorkerApps } from "./worker-apps.js";
import { landingPage, type PageFacts } from "./worker-page.js";
import { type WorkerEnv, type WorkerSettings, workerSettings } from "./worker-settings.js";

export type { McpApp, WorkerApps } from "./worker-apps.js";
// The Durable Object class of wrangler.jsonc's SPENT_APPROVALS binding: workerd finds it among these exports.
export { SpentApprovals } from "./worker-nonces.js";
export type { WorkerEnv } from "./worker-settings.js";
// The Durable Object class tasks live in (wrangler.jsonc binds it as TASKS).
export { TaskObject } from "./worker-tasks.js";

type Setup = { settings: WorkerSettings } | { problem: string };

export function createWorker(build: (settings: WorkerSettings) => WorkerApps = buildWorkerApps) {
  let setup: Setup | undefined;
  let apps: WorkerApps | undefined;
  return {
    async fetch(request: Request, env: WorkerEnv): Promise<Response> {
      setup ??= readSetup(env);
      if (endpointPath(request.url) === "/") {
        if (request.method !== "GET" && request.method !== "HEAD") {
          return plain(405, "Method not allowed.", { allow: "GET, HEAD" });
        }
        return landingPage(request, { ...factsOf(setup), signIn: oauthMode(env).kind === "on" });
      }
      // Every other path is the shared app's: its route table says which exist, for Node and Workers alike.
      if ("problem" in setup) return plain(500, `This deployment is misconfigured: ${setup.problem}`);
      apps ??= build(setup.settings);
      return apps.mcp.fetch(request);
    },
  };
}

function readSetup(env: WorkerEnv): Setup {
  try {
    return { settings: workerSettings(env) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

function factsOf(setup: Setup): PageFacts {
  if ("problem" in setup) {
    return { sandbox: false, readOnly: false, sharedApprovals: true, problem: setup.problem };
  }
  const { sandbox, readOnly, approvalKey } = setup.settings;
  return { sandbox, readOnly, sharedApprovals: approvalKey !== undefined };
}

function plain(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

// OAuth sign-in for chat apps wraps the whole Worker; it does nothing unless OAUTH_ENABLED is "true".
export default withOAuth(createWorker());
