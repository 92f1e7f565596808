// With OAuth off (the default of wrangler.jsonc) nothing about it exists: no discovery documents, no sign-in
// routes, and a 401 that names the header to send rather than an authorization server. Clients that see
// OAuth discovery start a flow and never send the header, so its absence is what keeps them working.

import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withOAuth } from "../../src/oauth/worker.js";
import { rawMcp } from "./oauth-client.js";
import {
  API,
  type FakeCloudflare,
  installFakeCloudflare,
  mcpWorker,
  ORIGIN,
  USER_TOKEN,
} from "./oauth-fixtures.js";

const OAUTH_PATHS = [
  "/.well-known/oauth-authorization-server",
  "/.well-known/oauth-protected-resource",
  "/.well-known/oauth-protected-resource/mcp",
  "/.well-known/openid-configuration",
  "/authorize",
  "/oauth/register",
  "/oauth/token",
  "/oauth/revoke",
];

describe("the deployed Worker as wrangler.jsonc configures it", () => {
  it("has OAuth off and the KV namespace declared", () => {
    const vars = env as { OAUTH_ENABLED?: string; OAUTH_KV?: object };
    expect(vars.OAUTH_ENABLED).toBe("false");
    expect(vars.OAUTH_KV).toBeDefined();
  });

  it.each(OAUTH_PATHS)("GET and POST %s are not found", async (path) => {
    for (const method of ["GET", "POST"]) {
      const response = await exports.default.fetch(`${ORIGIN}${path}`, {
        method,
        body: method === "POST" ? "" : null,
      });
      expect(response.status).toBe(404);
      expect(response.headers.get("www-authenticate")).toBeNull();
    }
  });
});

describe("withOAuth while OAuth is off", () => {
  let fake: FakeCloudflare;
  beforeEach(() => {
    fake = installFakeCloudflare();
  });
  afterEach(() => fake.restore());

  it.each([{ OAUTH_ENABLED: "false" }, { OAUTH_ENABLED: undefined }, { OAUTH_ENABLED: " False " }])(
    "%o: the 401 names the header and no resource metadata; a token works; KV stays empty",
    async (vars) => {
      const worker = withOAuth(mcpWorker());
      const workerEnv = { ...env, ...vars, CLOUDFLARE_BASE_URL: API };
      const call = (request: Request) => worker.fetch(request, workerEnv, createExecutionContext());
      const refused = await rawMcp(call, undefined);
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="cloudflare-ssl-mcp"');
      expect(await refused.text()).toContain("Authorization: Bearer <token>");
      for (const path of OAUTH_PATHS) expect((await call(new Request(`${ORIGIN}${path}`))).status).toBe(404);
      expect((await rawMcp(call, USER_TOKEN)).status).toBe(200);
      const kv = (env as unknown as { OAUTH_KV: { list(): Promise<{ keys: unknown[] }> } }).OAUTH_KV;
      expect((await kv.list()).keys).toEqual([]);
    },
  );
});
