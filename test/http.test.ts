// The remote server over real sockets: the built bundle with --http on a free loopback port, a fake
// Cloudflare API the test controls, and both clients (the 2025-era SDK client, stateless, and the modern one
// pinned to 2026-07-28). Every rule a request meets before and around MCP: routes, the token, read-only
// narrowing, Host and Origin, body limits, the deadline, SSE only when progress was asked for, and SIGTERM.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DRAIN_MS, requestDeadlineMs } from "../src/entries/node-http.js";
import { TOOLS } from "../src/tools/registry.js";
import { type FakeCloudflare, startFakeCloudflare } from "./helpers/fake-cloudflare.js";
import { PACK, TOKEN, textOf, ZONE } from "./helpers/harness.js";
import { connectHttp, type HttpServer, post, rawRequest, startHttpServer } from "./helpers/http-server.js";
import { ERAS } from "./helpers/spawn.js";

const ENV_TOKEN = "envtoken_ShouldNeverBeSent_0123456789";
/** The main server's --timeout-ms. */
const TIMEOUT_MS = 1000;
const ALL_TOOLS = TOOLS.map((t) => t.name);
const READ_TOOLS = TOOLS.filter((t) => t.kind === "read").map((t) => t.name);
const AUTH = { authorization: `Bearer ${TOKEN}` };
const LIST = { jsonrpc: "2.0", id: 1, method: "tools/list" };
const callMessage = (name: string, args: Record<string, unknown>, meta?: Record<string, unknown>) => ({
  jsonrpc: "2.0",
  id: 2,
  method: "tools/call",
  params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) },
});
const names = (tools: { name: string }[] = []) => tools.map((t) => t.name).sort();

interface RpcAnswer {
  id?: unknown;
  result?: { tools?: { name: string }[]; structuredContent?: unknown; isError?: boolean };
  error?: { code: number; message: string };
}
const rpc = async (response: Response) => (await response.json()) as RpcAnswer;

let fake: FakeCloudflare;
/** The main server: a fake behind it, a token in its environment it must not use, one extra Host and Origin. */
let server: HttpServer;

beforeAll(async () => {
  fake = await startFakeCloudflare({ token: TOKEN });
  server = await startHttpServer(
    [
      "--timeout-ms",
      String(TIMEOUT_MS),
      "--allowed-hosts",
      "mcp.example.com",
      "--allowed-origins",
      "https://app.example.com",
    ],
    { CLOUDFLARE_BASE_URL: fake.url, CLOUDFLARE_API_TOKEN: ENV_TOKEN },
  );
});
afterEach(() => fake.clearFaults());
afterAll(async () => {
  expect(await server.stop()).toBe(0);
  await fake.close();
});

describe("stateless: no session, no handshake", () => {
  it("answers tools/list and tools/call without initialize and without a session id", async () => {
    const listed = await post(server.url, LIST, AUTH);
    expect(listed.status).toBe(200);
    expect(listed.headers.get("mcp-session-id")).toBeNull();
    expect(names((await rpc(listed)).result?.tools)).toEqual([...ALL_TOOLS].sort());
    const called = await post(server.url, callMessage("get_universal_ssl_settings", { zone_id: ZONE }), AUTH);
    expect(called.headers.get("mcp-session-id")).toBeNull();
    expect((await rpc(called)).result?.structuredContent).toEqual({ enabled: true });
  });

  it.each(ERAS)("the %s client works call after call with no session id", async (era) => {
    const sessions = new Set<string | null>();
    const client = await connectHttp(era, server.url, {
      token: TOKEN,
      onResponse: (response) => sessions.add(response.headers.get("mcp-session-id")),
    });
    try {
      expect(names((await client.listTools()).tools)).toEqual([...ALL_TOOLS].sort());
      for (let i = 0; i < 3; i++) {
        const result = await client.callTool("get_certificate_pack_quota", { zone_id: ZONE });
        expect(result.isError, textOf(result)).toBeFalsy();
      }
      expect([...sessions]).toEqual([null]);
    } finally {
      await client.close();
    }
  });

  it("serves POST only, at /mcp and /mcp/readonly", async () => {
    const get = await rawRequest(server.url, { method: "GET", headers: AUTH });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe("POST");
    expect((await post(`${server.base}/other`, LIST, AUTH)).status).toBe(404);
    expect((await post(`${server.base}/`, LIST, AUTH)).status).toBe(404);
  });
});

describe("one Cloudflare token per request", () => {
  it("a missing or malformed Authorization gets 401 naming the header, and nothing reaches the API", async () => {
    const before = fake.log.length;
    for (const authorization of [
      undefined,
      "",
      "Bearer",
      "Bearer ",
      "Bearer short",
      `Basic ${TOKEN}`,
      `Bearer ${TOKEN} extra`,
      `Bearer ${TOKEN}\u00e9`,
    ]) {
      const answer = await rawRequest(server.url, {
        headers: authorization === undefined ? {} : { authorization },
        body: JSON.stringify(callMessage("get_universal_ssl_settings", { zone_id: ZONE })),
      });
      expect(answer.status, String(authorization)).toBe(401);
      expect(answer.body).toMatch(/Authorization: Bearer <token>/);
      expect(answer.headers["www-authenticate"]).toMatch(/^Bearer /);
      expect(answer.headers["www-authenticate"]).not.toMatch(/resource_metadata/);
    }
    expect(fake.log.length).toBe(before);
  });

  it("two Authorization headers are one malformed value, never the first of them", async () => {
    const before = fake.log.length;
    const answer = await rawRequest(server.url, {
      // node:http sends a repeated header once per value.
      headers: { authorization: [`Bearer ${TOKEN}`, "Bearer other_token_0123456789"] } as never,
      body: JSON.stringify(callMessage("get_universal_ssl_settings", { zone_id: ZONE })),
    });
    expect(answer.status).toBe(401);
    expect(fake.log.length).toBe(before);
  });

  it.each(ERAS)("the %s client without a token is refused with 401", async (era) => {
    const statuses: number[] = [];
    const attempt = (async () => {
      const client = await connectHttp(era, server.url, {
        onResponse: (response) => statuses.push(response.status),
      });
      try {
        await client.listTools();
      } finally {
        await client.close();
      }
    })();
    await expect(attempt).rejects.toThrow();
    expect(statuses).toContain(401);
  });

  it("advertises no OAuth discovery", async () => {
    for (const path of [
      "/.well-known/oauth-protected-resource",
      "/.well-known/oauth-protected-resource/mcp",
      "/.well-known/oauth-authorization-server",
      "/.well-known/openid-configuration",
    ]) {
      const answer = await rawRequest(`${server.base}${path}`, { method: "GET" });
      expect(answer.status, path).toBe(404);
    }
  });

  it("never uses the token in its environment, and says so at start-up", async () => {
    expect(server.stderr()).toMatch(/HTTP mode: CLOUDFLARE_API_TOKEN from the environment is not used/);
    expect(server.stderr()).toMatch(/each request must carry Authorization: Bearer/);
    expect(server.stderr()).not.toContain(ENV_TOKEN);
    const before = fake.log.length;
    const answer = await post(server.url, callMessage("get_universal_ssl_settings", { zone_id: ZONE }), AUTH);
    expect((await rpc(answer)).result?.isError).toBeFalsy();
    const sent = fake.log.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(fake.log.some((r) => JSON.stringify(r.headers).includes(ENV_TOKEN))).toBe(false);
  });
});

describe.each(ERAS)("read-only narrowing (%s client)", (era) => {
  const connect = (path: string, headers: Record<string, string> = {}) =>
    connectHttp(era, `${server.base}${path}`, { token: TOKEN, headers });

  it("/mcp lists every tool; /mcp/readonly and X-MCP-Readonly: true list the read tools only", async () => {
    for (const [path, headers, expected] of [
      ["/mcp", {}, ALL_TOOLS],
      ["/mcp", { "x-mcp-readonly": "false" }, ALL_TOOLS],
      ["/mcp/readonly", {}, READ_TOOLS],
      ["/mcp", { "x-mcp-readonly": "true" }, READ_TOOLS],
      ["/mcp", { "X-MCP-Readonly": " TRUE " }, READ_TOOLS],
    ] as const) {
      const client = await connect(path, headers);
      try {
        expect(names((await client.listTools()).tools), `${path} ${JSON.stringify(headers)}`).toEqual(
          [...expected].sort(),
        );
      } finally {
        await client.close();
      }
    }
  });

  it("a write tool called on a read-only path is refused and nothing is sent", async () => {
    for (const [path, headers] of [
      ["/mcp/readonly", {}],
      ["/mcp", { "x-mcp-readonly": "true" }],
    ] as const) {
      const client = await connect(path, headers);
      try {
        const before = fake.log.length;
        const outcome = await client
          .callTool("delete_certificate_pack", { zone_id: ZONE, certificate_pack_id: PACK.expiring })
          .then(
            (r) => textOf(r),
            (error: Error) => error.message,
          );
        expect(outcome).toMatch(/Unknown tool delete_certificate_pack.*read-only/);
        expect(fake.log.length).toBe(before);
        // A read call on the same path still works.
        const read = await client.callTool("get_certificate_pack", {
          zone_id: ZONE,
          certificate_pack_id: PACK.expiring,
        });
        expect(read.isError, textOf(read)).toBeFalsy();
      } finally {
        await client.close();
      }
    }
  });
});

describe("a server started with --read-only", () => {
  let readOnly: HttpServer;
  beforeAll(async () => {
    readOnly = await startHttpServer(["--read-only"], { CLOUDFLARE_BASE_URL: fake.url });
  });
  afterAll(() => readOnly.stop());

  it.each(ERAS)("cannot be widened by anything a request says (%s client)", async (era) => {
    for (const [path, headers] of [
      ["/mcp", {}],
      ["/mcp", { "x-mcp-readonly": "false" }],
      ["/mcp", { "x-mcp-readonly": "" }],
      ["/mcp/readonly", { "x-mcp-readonly": "false" }],
      ["/mcp?readonly=false", {}],
    ] as const) {
      const client = await connectHttp(era, `${readOnly.base}${path}`, { token: TOKEN, headers });
      try {
        expect(names((await client.listTools()).tools)).toEqual([...READ_TOOLS].sort());
        const before = fake.log.length;
        const outcome = await client
          .callTool("update_universal_ssl_settings", { zone_id: ZONE, enabled: false })
          .then(
            (r) => textOf(r),
            (error: Error) => error.message,
          );
        expect(outcome).toMatch(/Unknown tool update_universal_ssl_settings/);
        expect(fake.log.length).toBe(before);
      } finally {
        await client.close();
      }
    }
  });
});

describe("the sandbox over HTTP, bound to another loopback address", () => {
  let sandbox: HttpServer;
  beforeAll(async () => {
    sandbox = await startHttpServer(["--sandbox", "--host", "127.0.0.2"]);
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/mcp$/);
  });
  afterAll(() => sandbox.stop());

  it.each(ERAS)("needs no token (%s client)", async (era) => {
    expect(sandbox.stderr()).not.toMatch(/must carry Authorization/);
    const client = await connectHttp(era, sandbox.url);
    try {
      expect(names((await client.listTools()).tools)).toEqual([...ALL_TOOLS].sort());
      const result = await client.callTool("list_certificate_packs", { zone_id: ZONE });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(textOf(result)).toMatch(/\[sandbox\] Simulated Cloudflare data/);
    } finally {
      await client.close();
    }
  });

  it("accepts its own address as Host and keeps the Host rule", async () => {
    const answer = await rawRequest(sandbox.url, {
      headers: { host: "evil.example" },
      body: JSON.stringify(LIST),
    });
    expect(answer.status).toBe(403);
  });
});

describe("Host and Origin on a loopback bind", () => {
  const port = () => new URL(server.url).port;
  const withHeaders = (headers: Record<string, string>) =>
    rawRequest(server.url, { headers: { ...AUTH, ...headers }, body: JSON.stringify(LIST) });

  it("a Host that is not a loopback name gets 403 (DNS rebinding); --allowed-hosts adds names", async () => {
    for (const host of [
      "evil.example",
      `evil.example:${port()}`,
      "127.0.0.1.evil.example",
      "mcp.example.com.evil",
    ]) {
      const answer = await withHeaders({ host });
      expect(answer.status, host).toBe(403);
      expect(answer.body).not.toContain('"tools"');
    }
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `[::1]:${port()}`, "mcp.example.com"]) {
      expect((await withHeaders({ host })).status, host).toBe(200);
    }
  });

  it("an Origin is accepted only when loopback or listed; null never", async () => {
    for (const origin of ["http://localhost:5173", "http://127.0.0.1:3000", "https://app.example.com"]) {
      expect((await withHeaders({ origin })).status, origin).toBe(200);
    }
    for (const origin of [
      "null",
      "https://evil.example",
      "https://app.example.com.evil.example",
      "http://app.example.com",
      "not an origin",
    ]) {
      const answer = await withHeaders({ origin });
      expect(answer.status, origin).toBe(403);
      expect(answer.body).not.toContain('"tools"');
    }
  });
});

describe("bodies", () => {
  // Padded outside `_meta`, which has a cap of its own (see "cheap limits before parsing").
  const padded = (bytes: number) => {
    const base = JSON.stringify({ ...LIST, params: { pad: "" } });
    return JSON.stringify({ ...LIST, params: { pad: "x".repeat(bytes - base.length) } });
  };

  it("a body over 1 MiB gets 413, with or without Content-Length; one at the limit is served", async () => {
    const atLimit = padded(1024 * 1024);
    expect(Buffer.byteLength(atLimit)).toBe(1024 * 1024);
    expect((await rawRequest(server.url, { headers: AUTH, body: atLimit })).status).toBe(200);
    const over = padded(1024 * 1024 + 1);
    expect((await rawRequest(server.url, { headers: AUTH, body: over })).status).toBe(413);
    const chunks = Array.from({ length: 20 }, (_, i) => over.slice(i * 60_000, (i + 1) * 60_000)).filter(
      Boolean,
    );
    expect((await rawRequest(server.url, { headers: AUTH, body: chunks })).status).toBe(413);
  });

  it("malformed JSON gets 400 with JSON-RPC error -32700", async () => {
    for (const body of ["{bad", "", '{"jsonrpc":"2.0",', "\u0000"]) {
      const answer = await rawRequest(server.url, { headers: AUTH, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.headers["content-type"]).toMatch(/application\/json/);
      expect(JSON.parse(answer.body)).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 } });
    }
  });
});

describe("answers: JSON unless the call asked for progress, then SSE", () => {
  it("raw 2025-era calls: application/json without a progress token, text/event-stream with one", async () => {
    const plain = await post(server.url, callMessage("triage_certificates", { zone_id: ZONE }), AUTH);
    expect(plain.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await rpc(plain)).result?.structuredContent).toBeDefined();
    const streamed = await post(
      server.url,
      callMessage("triage_certificates", { zone_id: ZONE }, { progressToken: "p1" }),
      AUTH,
    );
    expect(streamed.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await streamed.text())
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)));
    expect(events[0]).toMatchObject({ method: "notifications/progress", params: { progressToken: "p1" } });
    expect(events.at(-1)).toMatchObject({ id: 2, result: { structuredContent: expect.any(Object) } });
  });

  it("a JSON answer goes out whole with its length; an SSE one streams chunked", async () => {
    const plain = await rawRequest(server.url, {
      headers: AUTH,
      body: JSON.stringify(callMessage("get_universal_ssl_settings", { zone_id: ZONE })),
    });
    expect(plain.status).toBe(200);
    expect(plain.headers["transfer-encoding"]).toBeUndefined();
    expect(Number(plain.headers["content-length"])).toBe(Buffer.byteLength(plain.body));
    expect(JSON.parse(plain.body)).toMatchObject({
      id: 2,
      result: { structuredContent: expect.any(Object) },
    });
    const refused = await rawRequest(server.url, { body: JSON.stringify(LIST) });
    expect(refused.status).toBe(401);
    expect(Number(refused.headers["content-length"])).toBe(Buffer.byteLength(refused.body));
    const streamed = await rawRequest(server.url, {
      headers: AUTH,
      body: JSON.stringify(callMessage("triage_certificates", { zone_id: ZONE }, { progressToken: "p2" })),
    });
    expect(streamed.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(streamed.headers["transfer-encoding"]).toBe("chunked");
    expect(streamed.body).toContain('"id":2');
  });

  it.each(ERAS)("the %s client gets progress over SSE when it asks, JSON when it does not", async (era) => {
    const types: string[] = [];
    const client = await connectHttp(era, server.url, {
      token: TOKEN,
      onResponse: (response, init) => {
        if (String(init?.body ?? "").includes('"tools/call"'))
          types.push(response.headers.get("content-type") ?? "");
      },
    });
    try {
      const quiet = await client.callTool("triage_certificates", { zone_id: ZONE });
      expect(quiet.isError, textOf(quiet)).toBeFalsy();
      const progress: unknown[] = [];
      const watched = await client.callTool(
        "triage_certificates",
        { zone_id: ZONE },
        { onprogress: (p) => progress.push(p) },
      );
      expect(watched.isError, textOf(watched)).toBeFalsy();
      expect(progress.length).toBeGreaterThan(0);
      expect(progress[0]).toMatchObject({ message: expect.stringMatching(/^read /) });
      expect(types).toHaveLength(2);
      expect(types[0]).toMatch(/^application\/json/);
      expect(types[1]).toMatch(/^text\/event-stream/);
    } finally {
      await client.close();
    }
  });
});

describe("each request has a deadline (4 × --timeout-ms: 4 s here)", () => {
  it("a hung API ends the request at the deadline, JSON or SSE, on both eras, and its requests are abandoned", async () => {
    const deadlineMs = requestDeadlineMs(TIMEOUT_MS);
    const hungMs = 30_000;
    fake.inject({ fault: { kind: "delay", ms: hungMs }, path: "/ssl/universal/settings", times: 100 });
    const before = fake.log.length;
    const message = callMessage("get_universal_ssl_settings", { zone_id: ZONE });
    const timed = async <T>(run: () => Promise<T>) => {
      const started = performance.now();
      const value = await run();
      return { value, ms: performance.now() - started };
    };
    const modern = await connectHttp("2026-07-28", server.url, { token: TOKEN });
    const [json, sse, viaClient] = await Promise.all([
      timed(async () => {
        const answer = await post(server.url, message, AUTH);
        return { status: answer.status, type: answer.headers.get("content-type"), body: await rpc(answer) };
      }),
      timed(async () => {
        const answer = await post(
          server.url,
          { ...message, params: { ...message.params, _meta: { progressToken: 9 } } },
          AUTH,
        );
        return { type: answer.headers.get("content-type"), body: await answer.text() };
      }),
      timed(() =>
        modern.callTool("get_universal_ssl_settings", { zone_id: ZONE }).then(
          () => "answered",
          (error: Error) => error.message,
        ),
      ),
    ]);
    await modern.close();
    // The deadline cannot fire sooner; a busy machine only makes the answers later. That they ended at the
    // deadline and not with the API's answer is in what they say and in the abandoned requests below; this
    // bound, three deadlines and still far below the hang, only keeps an answer from being very late.
    for (const { ms } of [json, sse, viaClient]) {
      expect(ms).toBeGreaterThan(deadlineMs - 100);
      expect(ms).toBeLessThan(Math.min(3 * deadlineMs, hungMs / 2));
    }
    expect(json.value.status).toBe(200);
    expect(json.value.body).toMatchObject({
      id: 2,
      error: { code: -32603, message: expect.stringMatching(/deadline of 4000 ms/) },
    });
    expect(json.value.body.error?.message).toMatch(/may or may not have taken effect/);
    expect(sse.value.type).toMatch(/^text\/event-stream/);
    const last = sse.value.body.trim().split("\n").at(-1) as string;
    expect(JSON.parse(last.replace(/^data: /, ""))).toMatchObject({ id: 2, error: { code: -32603 } });
    expect(viaClient.value).toMatch(/deadline of 4000 ms/);
    // The server stopped waiting for the API: every request it made was left before an answer (the fake
    // sees each hang-up a moment after the server made it).
    await vi.waitFor(
      () => {
        const made = fake.log.slice(before);
        expect(made.length).toBeGreaterThanOrEqual(3);
        expect(made.filter((r) => !r.abandoned)).toEqual([]);
      },
      { timeout: 10_000 },
    );
  });
});

describe("SIGTERM", () => {
  it("stops accepting, lets a call in flight finish, and gives a longer one at most 10 s", async () => {
    // After SIGTERM the server drains for DRAIN_MS, then its own forced-exit timer (12 s) would log "forced
    // exit": a clean end is told by that line's absence, on the server's clock, not by this test's.
    const drainFake = await startFakeCloudflare({ token: TOKEN });
    const [quick, slow] = await Promise.all([
      startHttpServer([], { CLOUDFLARE_BASE_URL: drainFake.url }),
      startHttpServer([], { CLOUDFLARE_BASE_URL: drainFake.url }),
    ]);
    try {
      drainFake.inject({ fault: { kind: "delay", ms: 1500 }, path: "/ssl/universal/settings", times: 1 });
      drainFake.inject({
        fault: { kind: "delay", ms: 25_000 },
        path: "/settings/ssl_automatic_mode",
        times: 1,
      });
      const quickCall = post(
        quick.url,
        callMessage("get_universal_ssl_settings", { zone_id: ZONE }),
        AUTH,
      ).then(rpc);
      const slowCall = post(slow.url, callMessage("get_automatic_ssl_mode", { zone_id: ZONE }), AUTH).then(
        (r) => r.text(),
        (error: Error) => `failed: ${error.message}`,
      );
      await vi.waitFor(() => expect(drainFake.log).toHaveLength(2), { timeout: 10_000 });

      const stoppedAt = performance.now();
      const exits: string[] = [];
      const quickExit = quick.stop().then((code) => {
        exits.push("quick");
        return code;
      });
      const slowExit = slow.stop(15_000).then((code) => {
        exits.push("slow");
        return code;
      });
      // A new connection is refused once SIGTERM arrived (the signal's handling takes a moment).
      await vi.waitFor(
        () =>
          expect(rawRequest(quick.url, { headers: AUTH, body: JSON.stringify(LIST) })).rejects.toThrow(
            /ECONNREFUSED|ECONNRESET|socket hang up/,
          ),
        { timeout: 5000, interval: 100 },
      );

      // The call in flight finishes with its answer, then the process ends by itself: while the other one
      // still drains, and well within the drain (its call had about 1.3 s left).
      expect((await quickCall).result?.structuredContent).toEqual({ enabled: true });
      expect(await quickExit).toBe(0);
      expect(exits).toEqual(["quick"]);
      expect(performance.now() - stoppedAt).toBeLessThan(DRAIN_MS / 2);

      // A call longer than the drain is cut when the drain ends; the process still ends cleanly.
      expect(await slowExit).toBe(0);
      expect(exits).toEqual(["quick", "slow"]);
      expect(performance.now() - stoppedAt).toBeGreaterThan(DRAIN_MS - 500);
      expect(await slowCall).not.toMatch(/"result"/);
      for (const s of [quick, slow]) expect(s.stderr()).not.toMatch(/forced exit/);
    } finally {
      await Promise.all([quick.stop(), slow.stop()]);
      await drainFake.close();
    }
  }, 30_000);
});
