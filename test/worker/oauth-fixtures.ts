// The world the OAuth tests run in, inside workerd: the real MCP app (the shared HTTP app, as the Worker
// builds it) behind withOAuth, the KV namespace from wrangler.jsonc, and a Cloudflare API stand-in in place
// of the isolate's fetch that knows a few tokens, records every request and serves client metadata
// documents for the chat apps that use them.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { RateBudgets } from "../../src/client/rate-limit.js";
import { fetchSender } from "../../src/client/send-fetch.js";
import { createApprovalSigner } from "../../src/core/approval.js";
import { createHttpApp } from "../../src/core/http-app.js";
import { withOAuth } from "../../src/oauth/worker.js";

export const ORIGIN = "https://ssl-mcp.example.workers.dev";
export const API = "https://api.cloudflare.test/client/v4";
export const ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353";
export const ACCOUNT_ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
/** Shaped like Cloudflare API tokens: 40 characters, no colon. */
export const USER_TOKEN = "uT0k3n-user-owned-aaaaaaaaaaaaaaaaaaaaaaa";
export const ACCOUNT_TOKEN = "aT0k3n-account-owned-bbbbbbbbbbbbbbbbbbbb";
export const OTHER_TOKEN = "oT0k3n-someone-else-cccccccccccccccccccccc";

export interface TokenRecord {
  id: string;
  status: "active" | "disabled" | "expired";
  /** Account-owned: verifies only under /accounts/{account}/tokens/verify. */
  account?: string;
}

export interface SeenRequest {
  method: string;
  url: string;
  authorization: string | null;
}

export interface FakeCloudflare {
  tokens: Map<string, TokenRecord>;
  /** Documents served at other URLs (a chat app's client metadata document). */
  documents: Map<string, unknown>;
  requests: SeenRequest[];
  restore(): void;
}

const envelope = (
  status: number,
  result: unknown,
  errors: { code: number; message: string }[] = [],
  info?: object,
) =>
  Response.json(
    { success: errors.length === 0, errors, messages: [], result, result_info: info },
    { status },
  );
const invalidToken = () => envelope(401, null, [{ code: 1000, message: "Invalid API Token" }]);

export function installFakeCloudflare(): FakeCloudflare {
  const fake: Omit<FakeCloudflare, "restore"> = {
    tokens: new Map([
      [USER_TOKEN, { id: "a11ce0000000000000000000000000u1", status: "active" }],
      [ACCOUNT_TOKEN, { id: "acc0000000000000000000000000000a", status: "active", account: ACCOUNT_ID }],
      [OTHER_TOKEN, { id: "0be70000000000000000000000000002", status: "active" }],
    ]),
    documents: new Map(),
    requests: [],
  };
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    fake.requests.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.get("authorization"),
    });
    if (!request.url.startsWith(`${API}/`)) {
      const document = fake.documents.get(request.url);
      if (document === undefined) throw new TypeError(`the fake serves ${API}/ only, not ${request.url}`);
      return Response.json(document, { headers: { "cache-control": "no-store" } });
    }
    const path = new URL(request.url).pathname.slice(new URL(API).pathname.length);
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    return answer(fake.tokens.get(token), request.method, path);
  });
  return { ...fake, restore: () => spy.mockRestore() };
}

function answer(token: TokenRecord | undefined, method: string, path: string): Response {
  if (method === "GET" && path === "/user/tokens/verify") {
    return token && !token.account ? envelope(200, { id: token.id, status: token.status }) : invalidToken();
  }
  const accountVerify = /^\/accounts\/([0-9a-f]{32})\/tokens\/verify$/.exec(path);
  if (method === "GET" && accountVerify) {
    return token && token.account === accountVerify[1]
      ? envelope(200, { id: token.id, status: token.status })
      : invalidToken();
  }
  if (token?.status !== "active") {
    return envelope(403, null, [{ code: 9109, message: "Invalid access token" }]);
  }
  if (method === "GET" && path === "/accounts") {
    return envelope(200, token.account ? [{ id: token.account, name: "Example account" }] : []);
  }
  if (method === "GET" && path === "/zones") {
    const zones = [
      { id: ZONE_ID, name: "example.com" },
      { id: "1f2e3d4c5b6a79881726354433221100", name: "shop.example.org" },
    ];
    return envelope(200, zones, [], { page: 1, per_page: 50, count: 2, total_count: 2 });
  }
  if (method === "GET" && path === `/zones/${ZONE_ID}/ssl/universal/settings`) {
    return envelope(200, { enabled: true });
  }
  return envelope(404, null, [{ code: 7003, message: `No route for the URI: ${path}` }]);
}

/** The MCP app as the Worker serves it at /mcp and /mcp/readonly; other paths stand for the rest of it. */
export function mcpWorker() {
  const app = createHttpApp({
    config: { readOnly: false, elicitationOnly: false, sandbox: false },
    client: {
      baseUrl: API,
      send: fetchSender((input, init) => fetch(input, init)),
      timeoutMs: 10_000,
      userAgent: "oauth-test",
    },
    budgets: new RateBudgets(null),
    approvals: createApprovalSigner(),
  });
  return {
    async fetch(request: Request, _env: unknown): Promise<Response> {
      const path = new URL(request.url).pathname;
      if (path === "/mcp" || path === "/mcp/readonly") return app.fetch(request);
      return new Response("Not found. The MCP endpoints are listed at /.\n", { status: 404 });
    },
  };
}

export type Vars = Record<string, string | undefined>;

/** A Worker with OAuth around the MCP app, and a way to call it as the runtime would. */
export function oauthWorker(vars: Vars = {}) {
  const worker = withOAuth(mcpWorker());
  const workerEnv = { ...env, OAUTH_ENABLED: "true", CLOUDFLARE_BASE_URL: API, ...vars };
  return {
    env: workerEnv,
    async call(request: Request): Promise<Response> {
      const ctx = createExecutionContext();
      const response = await worker.fetch(request, workerEnv, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    },
  };
}
