// The HTTP rules of the remote server, as the Worker applies them before MCP sees a request: the token, the
// body cap, malformed JSON, the method, and which Origins may call it. Raw requests, so each rule is seen alone.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createWorker, type WorkerEnv } from "../../src/entries/worker.js";
import { API_BASE, type FakeCloudflare, installFakeCloudflare } from "./fake-cloudflare.js";
import { ORIGIN } from "./mcp-clients.js";

const TOKEN = "tok_5ecretValue_0123456789abcdefXYZ";
const withApi: WorkerEnv = { ...env, CLOUDFLARE_BASE_URL: API_BASE };
const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});

function post(
  url: string,
  headers: Record<string, string> = {},
  body: string | ReadableStream<Uint8Array> = INITIALIZE,
) {
  return new Request(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${TOKEN}`,
      ...headers,
    },
    body,
  });
}

let fake: FakeCloudflare;
afterEach(() => fake?.restore());

describe("the token", () => {
  it.each([
    ["no Authorization header", {}],
    ["another scheme", { authorization: `Token ${TOKEN}` }],
    ["a bearer too short to be a token", { authorization: "Bearer abc" }],
  ])("%s: 401 whose body names the header to send, and nothing reaches the API", async (_, headers) => {
    fake = installFakeCloudflare();
    const request = post(`${ORIGIN}/mcp`);
    request.headers.delete("authorization");
    for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
    const response = await createWorker().fetch(request, withApi);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const body = await response.text();
    expect(body).toContain("Authorization: Bearer <token>");
    expect(body).not.toContain(TOKEN);
    expect(fake.requests).toEqual([]);
  });

  it("with a token, initialize answers 200 without calling the API", async () => {
    fake = installFakeCloudflare();
    const response = await createWorker().fetch(post(`${ORIGIN}/mcp`), withApi);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { result?: { serverInfo?: { name?: string } } };
    expect(answer.result?.serverInfo?.name).toBe("cloudflare-ssl-mcp");
    expect(fake.requests).toEqual([]);
  });
});

describe("the body", () => {
  it("over 1 MiB: 413 with a JSON-RPC error, whether declared or streamed", async () => {
    const big = `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${"x".repeat(1024 * 1024)}"}}`;
    const declared = await createWorker().fetch(post(`${ORIGIN}/mcp`, {}, big), withApi);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32600 } });

    const chunks = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < chunks.length; at += 64 * 1024)
          controller.enqueue(chunks.slice(at, at + 64 * 1024));
        controller.close();
      },
    });
    const streamed = await createWorker().fetch(post(`${ORIGIN}/mcp`, {}, stream), withApi);
    expect(streamed.status).toBe(413);
  });

  it("not JSON: 400 with the JSON-RPC parse error -32700", async () => {
    const response = await createWorker().fetch(post(`${ORIGIN}/mcp`, {}, '{"jsonrpc": "2.0", '), withApi);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: -32700 } });
  });

  it("GET is 405 naming POST: the server is stateless and keeps no stream open", async () => {
    const response = await createWorker().fetch(new Request(`${ORIGIN}/mcp`), withApi);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});

describe("Origin", () => {
  const status = async (url: string, origin: string | undefined, workerEnv = withApi) => {
    const response = await createWorker().fetch(post(url, origin ? { origin } : {}), workerEnv);
    return response.status;
  };

  it("no Origin (not a browser) is served; another site's, or the opaque null origin, is refused 403", async () => {
    expect(await status(`${ORIGIN}/mcp`, undefined)).toBe(200);
    expect(await status(`${ORIGIN}/mcp`, "https://evil.example")).toBe(403);
    expect(await status(`${ORIGIN}/mcp`, "null")).toBe(403);
    expect(await status(`${ORIGIN}/sandbox/mcp`, "https://evil.example")).toBe(403);
  });

  it("ALLOWED_ORIGINS admits exactly the origins it lists", async () => {
    const allowing = { ...withApi, ALLOWED_ORIGINS: "https://app.example.com, https://b.example.com:8443" };
    expect(await status(`${ORIGIN}/mcp`, "https://app.example.com", allowing)).toBe(200);
    expect(await status(`${ORIGIN}/mcp`, "https://b.example.com:8443", allowing)).toBe(200);
    expect(await status(`${ORIGIN}/mcp`, "https://b.example.com", allowing)).toBe(403);
    expect(await status(`${ORIGIN}/mcp`, "http://app.example.com", allowing)).toBe(403);
  });

  it("a loopback Origin is admitted only where the Worker itself is reached on loopback (wrangler dev)", async () => {
    expect(await status(`${ORIGIN}/mcp`, "http://127.0.0.1:8787")).toBe(403);
    expect(await status(`${ORIGIN}/mcp`, "http://localhost:3000")).toBe(403);
    expect(await status("http://127.0.0.1:8787/mcp", "http://127.0.0.1:8787")).toBe(200);
    expect(await status("http://127.0.0.1:8787/sandbox/mcp", "http://127.0.0.1:8787")).toBe(200);
    // DNS rebinding: a page at a name that resolves to loopback sends its own name as Host and Origin.
    expect(await status("http://evil.example.com:8787/mcp", "http://evil.example.com:8787")).toBe(403);
  });
});
