// The Worker inside workerd, configured by wrangler.jsonc: what it answers before the MCP app is wired in, and
// the pattern for tests that need the Cloudflare API (a fake in place of the isolate's fetch).
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createWorker, type McpApp, type WorkerEnv } from "../../src/entries/worker.js";
import { type FakeCloudflare, installFakeCloudflare } from "./fake-cloudflare.js";

const ORIGIN = "https://ssl-mcp.example.workers.dev";

describe("the landing page", () => {
  it("names every endpoint under the URL it was reached at, and how to send the token", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await response.text();
    for (const path of ["/mcp", "/mcp/readonly", "/sandbox/mcp"]) {
      expect(page).toContain(`POST ${ORIGIN}${path}</code>`);
    }
    expect(page).toContain("X-MCP-Readonly: true");
    expect(page).toContain("Authorization: Bearer &lt;token&gt;");
    expect(page).toContain(`claude mcp add --transport http cloudflare-ssl ${ORIGIN}/mcp --header`);
    expect(page).not.toMatch(/oauth/i);
  });

  it("leaves the sandbox out when the deployment turns it off, and the path then does not exist", async () => {
    const worker = createWorker({ api: () => unexpectedApp, sandbox: () => unexpectedApp });
    const off: WorkerEnv = { ...env, SANDBOX_ENABLED: "false" };
    const page = await (await worker.fetch(new Request(`${ORIGIN}/`), off)).text();
    expect(page).toContain("/mcp/readonly");
    expect(page).not.toContain("/sandbox/mcp");
    const sandbox = await worker.fetch(new Request(`${ORIGIN}/sandbox/mcp`, { method: "POST" }), off);
    expect(sandbox.status).toBe(404);
  });

  it("escapes the host it repeats, and answers HEAD without a body and other methods with 405", async () => {
    // The URL parser already refuses < and > in a host; quotes and & get through and must not end an attribute.
    const worker = createWorker({ api: () => unexpectedApp, sandbox: () => unexpectedApp });
    const page = await (await worker.fetch(new Request(`http://a"b'c&d.test/`), env)).text();
    expect(page).toContain("a&#34;b&#39;c&#38;d.test");
    expect(page).not.toContain(`a"b`);
    const head = await exports.default.fetch(`${ORIGIN}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await exports.default.fetch(`${ORIGIN}/`, { method: "POST", body: "{}" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("the MCP paths before the HTTP app is wired in", () => {
  it.each(["/mcp", "/mcp/readonly", "/sandbox/mcp"])("POST %s answers 501, saying so", async (path) => {
    const response = await exports.default.fetch(`${ORIGIN}${path}`, { method: "POST", body: "{}" });
    expect(response.status).toBe(501);
    expect(await response.text()).toMatch(/not implemented yet/i);
  });

  it("an unknown path is 404 and points at the landing page", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/mcp/other`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("listed at /");
  });
});

const unexpectedApp: McpApp = {
  fetch: () => Promise.reject(new Error("this test does not expect an MCP request")),
};

describe("a fake Cloudflare API in place of fetch (the pattern for tool calls through the Worker)", () => {
  const API = "http://cloudflare.test/client/v4";
  let fake: FakeCloudflare | undefined;
  afterEach(() => fake?.restore());

  /** Stands in for the HTTP app: verifies the caller's bearer token with Cloudflare, as a tool call would. */
  const verifyingApp = (workerEnv: WorkerEnv): McpApp => ({
    async fetch(request) {
      const base = workerEnv.CLOUDFLARE_BASE_URL ?? "https://api.cloudflare.com/client/v4";
      const answer = await fetch(`${base}/user/tokens/verify`, {
        headers: { authorization: request.headers.get("authorization") ?? "" },
      });
      return new Response(`verify answered ${answer.status}`);
    },
  });

  it("sees each call the Worker's handler makes, with the credential of the request that caused it", async () => {
    fake = installFakeCloudflare(API);
    let built = 0;
    const worker = createWorker({
      api: (workerEnv) => {
        built++;
        return verifyingApp(workerEnv);
      },
      sandbox: () => unexpectedApp,
    });
    const withBase: WorkerEnv = { ...env, CLOUDFLARE_BASE_URL: API };
    for (const token of ["token-A", "token-B"]) {
      const response = await worker.fetch(
        new Request(`${ORIGIN}/mcp`, { method: "POST", headers: { authorization: `Bearer ${token}` } }),
        withBase,
      );
      expect(await response.text()).toBe("verify answered 200");
    }
    expect(fake.requests).toEqual([
      { method: "GET", path: "/user/tokens/verify", authorization: "Bearer token-A" },
      { method: "GET", path: "/user/tokens/verify", authorization: "Bearer token-B" },
    ]);
    expect(built).toBe(1);
  });

  it("refuses what the fake does not serve instead of reaching the network", async () => {
    fake = installFakeCloudflare(API);
    await expect(fetch("https://api.cloudflare.com/client/v4/user/tokens/verify")).rejects.toThrow(
      /serves http:\/\/cloudflare.test\/client\/v4\/ only/,
    );
  });

  it("without the fake, the network is sealed to loopback", async () => {
    const response = await fetch("https://api.cloudflare.com/client/v4/user/tokens/verify");
    expect(response.status).toBe(500);
    expect(await response.text()).toContain(
      "network sealed in tests: refused to connect to api.cloudflare.com",
    );
  });
});
