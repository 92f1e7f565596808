// Issue-level safety of the HTTP surface on Node, over real sockets to the built server: read-only fails
// closed whatever X-MCP-Readonly says, the Host header never picks the endpoint, work is bounded before a
// body is read (the in-flight cap, the bearer's shape) and before it is parsed (depth, element count,
// `_meta`), batches only where the revision has them, one-line errors, a taken port, and a cacheable list.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOLS } from "../src/tools/registry.js";
import { type FakeCloudflare, startFakeCloudflare } from "./helpers/fake-cloudflare.js";
import { TOKEN, ZONE } from "./helpers/harness.js";
import { type HttpServer, post, rawRequest, startHttpServer } from "./helpers/http-server.js";

const ALL_TOOLS = TOOLS.map((t) => t.name).sort();
const READ_TOOLS = TOOLS.filter((t) => t.kind === "read")
  .map((t) => t.name)
  .sort();
const AUTH = { authorization: `Bearer ${TOKEN}` };
const LIST = { jsonrpc: "2.0", id: 1, method: "tools/list" };
const ORDER = {
  jsonrpc: "2.0",
  id: 2,
  method: "tools/call",
  params: {
    name: "order_advanced_certificate",
    arguments: { zone_id: ZONE, hosts: ["example.com"], validation_method: "txt", validity_days: 90 },
  },
};
const MODERN_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

interface RpcAnswer {
  result?: { tools?: { name: string }[]; ttlMs?: number; cacheScope?: string; isError?: boolean };
  error?: { code: number; message: string };
}
const toolNames = (body: string) =>
  ((JSON.parse(body) as RpcAnswer).result?.tools ?? []).map((t) => t.name).sort();

/**
 * One request written byte for byte on a fresh socket (Host included, even an empty one). With `owed`, the
 * Content-Length promises that many bytes more than are sent, and what the server answers while the rest
 * of the body is still owed is what resolves.
 */
function exchange(
  url: string,
  options: { host?: string; headers?: Record<string, string>; body: string; owed?: number },
): Promise<string> {
  const { hostname, port, pathname } = new URL(url);
  const length = Buffer.byteLength(options.body) + (options.owed ?? 0);
  const headers = {
    host: options.host ?? `${hostname}:${port}`,
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "content-length": String(length),
    connection: "close",
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
      socket.write(`POST ${pathname} HTTP/1.1\r\n${lines.join("")}\r\n${options.body}`);
    });
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
      if (options.owed && received.includes("\r\n\r\n")) socket.destroy();
    });
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
  });
}

const answerBeforeBody = (url: string, headers: Record<string, string>) =>
  exchange(url, { headers, body: '{"jsonrpc":', owed: 500_000 });

let fake: FakeCloudflare;
let server: HttpServer;
beforeAll(async () => {
  fake = await startFakeCloudflare({ token: TOKEN });
  server = await startHttpServer(["--timeout-ms", "1000"], { CLOUDFLARE_BASE_URL: fake.url });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
  await fake.close();
});

describe("X-MCP-Readonly fails closed", () => {
  it.each([
    ["absent", undefined],
    ["false", "false"],
    ["0", "0"],
    ["no", "no"],
    ["OFF, padded", "  OFF "],
  ])("%s leaves /mcp with every tool", async (_, value) => {
    const headers = { ...AUTH, ...(value === undefined ? {} : { "x-mcp-readonly": value }) };
    const answer = await rawRequest(server.url, { headers, body: JSON.stringify(LIST) });
    expect(toolNames(answer.body)).toEqual(ALL_TOOLS);
  });

  it.each([
    ["true", "true"],
    ["1", "1"],
    ["yes", "yes"],
    ["on", "on"],
    ["empty", ""],
    ["a comma list", "false,false"],
    ["garbage", "nope"],
    ["a typo", "flase"],
  ])("%s narrows to the read tools, and a write tool is refused unsent", async (_, value) => {
    const headers = { ...AUTH, "x-mcp-readonly": value };
    const listed = await rawRequest(server.url, { headers, body: JSON.stringify(LIST) });
    expect(toolNames(listed.body)).toEqual(READ_TOOLS);
    const before = fake.log.length;
    const called = await rawRequest(server.url, { headers, body: JSON.stringify(ORDER) });
    expect(called.body).toMatch(/Unknown tool order_advanced_certificate/);
    expect(fake.log.length).toBe(before);
  });

  it("a repeated header narrows, even when every copy says false", async () => {
    const headers = { ...AUTH, "x-mcp-readonly": ["false", "false"] as unknown as string };
    const listed = await rawRequest(server.url, { headers, body: JSON.stringify(LIST) });
    expect(toolNames(listed.body)).toEqual(READ_TOOLS);
  });

  it("/mcp/readonly cannot be widened by the header", async () => {
    const headers = { ...AUTH, "x-mcp-readonly": "false" };
    const listed = await rawRequest(`${server.base}/mcp/readonly`, { headers, body: JSON.stringify(LIST) });
    expect(toolNames(listed.body)).toEqual(READ_TOOLS);
  });
});

describe("the endpoint comes from the request target, never from Host", () => {
  const port = () => new URL(server.base).port;

  it.each([
    ["a path and query", () => `127.0.0.1:${port()}/mcp?`],
    ["a fragment", () => `127.0.0.1:${port()}#x`],
    ["user info", () => `x@127.0.0.1:${port()}`],
    ["a backslash", () => `127.0.0.1:${port()}\\mcp`],
    ["a question mark", () => `127.0.0.1?:${port()}`],
    ["inner whitespace", () => `127.0.0.1 :${port()}`],
    ["nothing", () => ""],
  ])("a Host holding %s is refused with 400 and nothing is served or sent", async (_, host) => {
    const before = fake.log.length;
    for (const path of ["/mcp", "/mcp/readonly"]) {
      for (const body of [LIST, ORDER]) {
        const answer = await exchange(`${server.base}${path}`, {
          host: host(),
          headers: AUTH,
          body: JSON.stringify(body),
        });
        expect(answer, `${path} ${host()}`).toMatch(/^HTTP\/1\.1 400 /);
        expect(answer).not.toMatch(/"tools"|"result"/);
      }
    }
    expect(fake.log.length).toBe(before);
  });

  it.each([
    () => `127.0.0.1:${port()}`,
    () => `LOCALHOST:${port()}`,
    () => `127.1:${port()}`,
    () => "127.0.0.1",
  ])("/mcp/readonly stays read-only under the Host %s", async (host) => {
    const answer = await rawRequest(`${server.base}/mcp/readonly`, {
      headers: { ...AUTH, host: host() },
      body: JSON.stringify(LIST),
    });
    expect(answer.status).toBe(200);
    expect(toolNames(answer.body)).toEqual(READ_TOOLS);
  });
});

describe("one definition of loopback, for Host and Origin alike", () => {
  it.each(["127.0.0.1", "127.0.0.2", "127.1", "localhost", "[::1]", "[::ffff:7f00:1]"])(
    "%s is loopback both as the Host and as the Origin's host",
    async (name) => {
      const port = new URL(server.base).port;
      const answer = await rawRequest(server.url, {
        headers: { ...AUTH, host: `${name}:${port}`, origin: `http://${name}:5173` },
        body: JSON.stringify(LIST),
      });
      expect(answer.status).toBe(200);
      expect(toolNames(answer.body)).toEqual(ALL_TOOLS);
    },
  );

  it.each(["127.example.com", "localhost.example.com", "0.0.0.0"])("%s is neither", async (name) => {
    const port = new URL(server.base).port;
    const asHost = await rawRequest(server.url, {
      headers: { ...AUTH, host: `${name}:${port}` },
      body: JSON.stringify(LIST),
    });
    expect(asHost.status).toBe(403);
    const asOrigin = await rawRequest(server.url, {
      headers: { ...AUTH, origin: `http://${name}:5173` },
      body: JSON.stringify(LIST),
    });
    expect(asOrigin.status).toBe(403);
  });
});

describe("one Bearer grammar", () => {
  it.each(["Bearer  ", "bearer\t", "BEARER \t "])("%j before the token is accepted", async (prefix) => {
    const answer = await rawRequest(server.url, {
      headers: { authorization: `${prefix}${TOKEN}` },
      body: JSON.stringify(LIST),
    });
    expect(answer.status).toBe(200);
    expect(toolNames(answer.body)).toEqual(ALL_TOOLS);
  });
});

describe("bounded work before any work starts", () => {
  it("a malformed bearer is refused before its body is read", async () => {
    const head = await answerBeforeBody(server.url, { authorization: "Bearer short" });
    expect(head).toMatch(/^HTTP\/1\.1 401 /);
  });

  it("beyond --max-in-flight the answer is 503 with Retry-After, before the body is read", async () => {
    const capped = await startHttpServer(["--timeout-ms", "5000", "--max-in-flight", "1"], {
      CLOUDFLARE_BASE_URL: fake.url,
    });
    fake.inject({ fault: { kind: "delay", ms: 3_000 }, path: "/ssl/universal/settings", times: 1 });
    try {
      const call = {
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "get_universal_ssl_settings", arguments: { zone_id: ZONE } },
      };
      const first = post(capped.url, call, AUTH);
      await expect.poll(() => fake.log.some((r) => r.path.includes("/ssl/universal/settings"))).toBe(true);
      const head = await answerBeforeBody(capped.url, AUTH);
      expect(head).toMatch(/^HTTP\/1\.1 503 /);
      expect(head).toMatch(/\r\nretry-after: \d+\r\n/i);
      expect((await first).status).toBe(200);
      // The slot is given back once the answer is out.
      expect((await post(capped.url, LIST, AUTH)).status).toBe(200);
    } finally {
      fake.clearFaults();
      expect(await capped.stop()).toBe(0);
    }
  });

  it("a body that stops arriving is ended by the request deadline (4 × --timeout-ms), not Node's 300 s", async () => {
    const head = await answerBeforeBody(server.url, AUTH);
    expect(head).toMatch(/^HTTP\/1\.1 408 /);
  });

  it.each([
    [
      "nesting deeper than 32 levels",
      () => `{"a":${"[".repeat(40)}${"]".repeat(40)}}`,
      /nests deeper than 32/,
    ],
    [
      "149,000 empty objects",
      () => `{"pad":[${new Array(149_000).fill("{}").join(",")}]}`,
      /more than 10000 values/,
    ],
    ["a _meta over 16 KiB", () => JSON.stringify({ pad: "x".repeat(17_000) }), /_meta is over 16384 bytes/],
  ])("%s in _meta is refused with 413 before it is parsed", async (_, meta, message) => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":${meta()}}}`;
    const answer = await rawRequest(server.url, { headers: AUTH, body });
    expect(answer.status).toBe(413);
    const parsed = JSON.parse(answer.body) as RpcAnswer;
    expect(parsed.error?.code).toBe(-32600);
    expect(parsed.error?.message).toMatch(message);
  });

  it("a string holding brackets and commas counts as one value", async () => {
    const body = JSON.stringify({ ...LIST, params: { pad: "[{,".repeat(20_000) } });
    expect((await rawRequest(server.url, { headers: AUTH, body })).status).toBe(200);
  });
});

describe("JSON-RPC batches", () => {
  const batch = JSON.stringify([
    { jsonrpc: "2.0", id: 1, method: "ping" },
    { jsonrpc: "2.0", id: 2, method: "ping" },
  ]);

  it.each(["2025-06-18", "2025-11-25", "2026-07-28"])(
    "are refused on %s, naming the revision",
    async (revision) => {
      const answer = await rawRequest(server.url, {
        headers: { ...AUTH, "mcp-protocol-version": revision },
        body: batch,
      });
      expect(answer.status).toBe(400);
      const parsed = JSON.parse(answer.body) as RpcAnswer;
      expect(parsed.error?.code).toBe(-32600);
      expect(parsed.error?.message).toContain(`protocol revision ${revision} has no JSON-RPC batches`);
    },
  );

  it("are served on 2025-03-26, which has them", async () => {
    const answer = await rawRequest(server.url, {
      headers: { ...AUTH, "mcp-protocol-version": "2025-03-26" },
      body: batch,
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toHaveLength(2);
  });
});

describe("errors and caching", () => {
  it.each(["2025", "2026-07-28"] as const)(
    "bad params are a one-line -32602 naming the field (%s)",
    async (era) => {
      const params = {
        cursor: { deep: { deeper: [1, 2, { x: "y" }] } },
        ...(era === "2025" ? {} : { _meta: MODERN_META }),
      };
      const headers = {
        ...AUTH,
        "mcp-protocol-version": era === "2025" ? "2025-06-18" : "2026-07-28",
        ...(era === "2025" ? {} : { "mcp-method": "tools/list" }),
      };
      const answer = await rawRequest(server.url, { headers, body: JSON.stringify({ ...LIST, params }) });
      const error = (JSON.parse(answer.body) as RpcAnswer).error;
      expect(error?.code).toBe(-32602);
      expect(error?.message).toBe(
        "Invalid params for tools/list: params.cursor: expected string, received object",
      );
    },
  );

  it("tools/list on 2026-07-28 may be cached by the caller: a ttlMs, and private scope", async () => {
    const answer = await rawRequest(server.url, {
      headers: { ...AUTH, "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list" },
      body: JSON.stringify({ ...LIST, params: { _meta: MODERN_META } }),
    });
    const result = (JSON.parse(answer.body) as RpcAnswer).result;
    expect(result?.ttlMs).toBe(3_600_000);
    expect(result?.cacheScope).toBe("private");
  });
});

describe("start-up", () => {
  it("a taken port is one line on stderr naming the port and --port, and a non-zero exit", async () => {
    const port = new URL(server.base).port;
    const second = startHttpServer(["--port", port], { CLOUDFLARE_BASE_URL: fake.url });
    const error = (await second.then(
      async (started) => {
        await started.stop();
        return new Error("the second server started");
      },
      (e: Error) => e,
    )) as Error;
    expect(error.message).toMatch(/exited with 1 before listening/);
    const stderr = error.message.split("stderr:\n")[1] ?? "";
    expect(stderr.trim().split("\n")).toEqual([
      `cloudflare-ssl-mcp: port ${port} on 127.0.0.1 is already in use: stop what listens there, or choose another port with --port`,
    ]);
  });
});
