// The Worker inside workerd, configured by wrangler.jsonc: the landing page, its routes, what a bad var does,
// and the seal that keeps tests off the network.
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createWorker, type WorkerEnv } from "../../src/entries/worker.js";
import { type FakeCloudflare, installFakeCloudflare } from "./fake-cloudflare.js";
import { ORIGIN } from "./mcp-clients.js";

const page = async (workerEnv: WorkerEnv) =>
  (await createWorker().fetch(new Request(`${ORIGIN}/`), workerEnv)).text();

describe("the landing page", () => {
  it("names every endpoint under the URL it was reached at, and how to send the token", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await response.text();
    for (const path of ["/mcp", "/mcp/readonly", "/sandbox/mcp"]) {
      expect(html).toContain(`POST ${ORIGIN}${path}</code>`);
    }
    expect(html).toContain("X-MCP-Readonly: true");
    expect(html).toContain("Authorization: Bearer &lt;token&gt;");
    expect(html).toContain(`claude mcp add --transport http cloudflare-ssl ${ORIGIN}/mcp --header`);
    expect(html).not.toMatch(/oauth/i);
  });

  it("says when approvals are signed per instance, and not once APPROVAL_KEY is set", async () => {
    expect(await page(env)).toMatch(/signed with a key of each Worker instance/);
    const keyed = await page({ ...env, APPROVAL_KEY: "approval-key-0123456789abcdef0123456789" });
    expect(keyed).not.toMatch(/key of each Worker instance/);
  });

  it("says when the deployment is read-only", async () => {
    expect(await page({ ...env, READ_ONLY: "true" })).toMatch(
      /read tools only \(this deployment is read-only\)/,
    );
  });

  it("escapes the host it repeats, and answers HEAD without a body and other methods with 405", async () => {
    // The URL parser already refuses < and > in a host; quotes and & get through and must not end an attribute.
    const html = await (await createWorker().fetch(new Request(`http://a"b'c&d.test/`), env)).text();
    expect(html).toContain("a&#34;b&#39;c&#38;d.test");
    expect(html).not.toContain(`a"b`);
    const head = await exports.default.fetch(`${ORIGIN}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await exports.default.fetch(`${ORIGIN}/`, { method: "POST", body: "{}" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("speaks of signing in only when OAUTH_ENABLED is on, and then names the consent page", async () => {
    const signIn = await page({ ...env, OAUTH_ENABLED: "true" } as WorkerEnv);
    expect(signIn).toMatch(/From a chat app: sign in/);
    expect(signIn).toContain(`<code>${ORIGIN}/mcp</code> and choose Connect`);
    expect(await page(env)).not.toMatch(/From a chat app: sign in/);
  });

  it("allows its own style and script by hash and nothing else inline or from anywhere", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/`);
    const policy = response.headers.get("content-security-policy") ?? "";
    const html = await response.text();
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    const hash = async (text: string) =>
      btoa(
        String.fromCharCode(
          ...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))),
        ),
      );
    const style = html.match(/<style>([\s\S]*?)<\/style>/)?.[1] ?? "";
    const script = html.match(/<script>([\s\S]*?)<\/script>/)?.[1] ?? "";
    expect(policy).toContain(`style-src 'sha256-${await hash(style)}'`);
    expect(policy).toContain(`script-src 'sha256-${await hash(script)}'`);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it.each(["/mcp/other", "/sandbox", "/sandbox/other", "/favicon.ico"])(
    "%s is 404, pointing at /",
    async (path) => {
      const response = await exports.default.fetch(`${ORIGIN}${path}`, { method: "POST", body: "{}" });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("listed at /");
    },
  );
});

describe("a bad var stops the MCP endpoints with a message naming it and the fix", () => {
  it.each([
    [
      { CLOUDFLARE_BASE_URL: "http://api.example.com/client/v4" },
      /CLOUDFLARE_BASE_URL uses plain http to api\.example\.com/,
    ],
    [{ CLOUDFLARE_BASE_URL: "not a url" }, /CLOUDFLARE_BASE_URL="not a url" is not a URL/],
    [{ APPROVAL_KEY: "short-secret-value" }, /APPROVAL_KEY is shorter than 32 characters/],
    [
      { ALLOWED_ORIGINS: "https://app.example.com/path" },
      /ALLOWED_ORIGINS entry "https:\/\/app\.example\.com\/path" is not an origin/,
    ],
    [
      { READ_ONLY: "maybe" },
      /READ_ONLY="maybe" is not a boolean; use true or false \(also 1\/0, yes\/no, on\/off\)/,
    ],
    [{ SANDBOX_ENABLED: "sometimes" }, /SANDBOX_ENABLED="sometimes" is not a boolean/],
  ] as [WorkerEnv, RegExp][])("%o", async (bad, message) => {
    const worker = createWorker();
    const badEnv = { ...env, ...bad };
    const response = await worker.fetch(new Request(`${ORIGIN}/mcp`, { method: "POST", body: "{}" }), badEnv);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toMatch(message);
    expect(text).not.toContain("short-secret-value");
    const html = await (await worker.fetch(new Request(`${ORIGIN}/`), badEnv)).text();
    expect(html).toMatch(/misconfigured/);
    expect(html).not.toContain("short-secret-value");
  });

  it("plain http to loopback is accepted, for a local fake", async () => {
    const local = { ...env, CLOUDFLARE_BASE_URL: "http://127.0.0.1:9/client/v4" };
    const response = await createWorker().fetch(new Request(`${ORIGIN}/mcp`), local);
    expect(response.status).toBe(405);
  });
});

describe("the network seal", () => {
  let fake: FakeCloudflare | undefined;
  afterEach(() => fake?.restore());

  it("the fake refuses what it does not serve instead of reaching the network", async () => {
    fake = installFakeCloudflare();
    await expect(fetch("https://api.cloudflare.com/client/v4/user/tokens/verify")).rejects.toThrow(
      /serves https:\/\/api.cloudflare.test\/client\/v4\/ only/,
    );
  });

  it("without the fake, only loopback may be dialled", async () => {
    const response = await fetch("https://api.cloudflare.com/client/v4/user/tokens/verify");
    expect(response.status).toBe(500);
    expect(await response.text()).toContain(
      "network sealed in tests: refused to connect to api.cloudflare.com",
    );
  });
});
