// No crossing between callers of one HTTP server: two tokens, both eras, calls interleaved and concurrent,
// against a fake API that records the credential of every request it receives and echoes it back in an
// error body. Every request made for a call of A carries A; no result of A holds B, or A in clear; and a
// caller that spends its rate budget makes no one else wait.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeCloudflare, startFakeCloudflare } from "./helpers/fake-cloudflare.js";
import { addPacks, textOf, ZONE } from "./helpers/harness.js";
import { connectHttp, type HttpClient, type HttpServer, startHttpServer } from "./helpers/http-server.js";
import { ERAS, type Era } from "./helpers/spawn.js";

const TOKENS = { a: "tokA_9f8e7d6c5b4a39281706_AAAA", b: "tokB_0a1b2c3d4e5f60718293_BBBB" } as const;
type Tag = keyof typeof TOKENS;
const TAGS: Tag[] = ["a", "b"];

interface Received {
  method: string;
  path: string;
  authorization: string | undefined;
}

/**
 * The API as two accounts see it: each token has its own fake (its own packs), and this front records the
 * credential of every request before passing it on. A pack id holding `echo-` gets an error whose message
 * repeats the Authorization header it came with, as a careless API or proxy would.
 */
async function startTwoAccounts() {
  const fakes = {
    a: await startFakeCloudflare({ token: TOKENS.a }),
    b: await startFakeCloudflare({ token: TOKENS.b }),
  } satisfies Record<Tag, FakeCloudflare>;
  addPacks(fakes.a, 10, "pa");
  addPacks(fakes.b, 10, "pb");
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const authorization = req.headers.authorization;
      const path = req.url ?? "/";
      received.push({ method: req.method ?? "GET", path, authorization });
      const send = (status: number, body: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(body);
      };
      if (path.includes("/echo-")) {
        const bare = authorization?.replace(/^Bearer /, "") ?? "";
        return send(
          400,
          JSON.stringify({
            success: false,
            errors: [{ code: 1000, message: `refused ${authorization}; token ${bare} lacks permission` }],
            messages: [],
            result: null,
          }),
        );
      }
      const tag = TAGS.find((t) => authorization === `Bearer ${TOKENS[t]}`);
      if (!tag)
        return send(403, '{"success":false,"errors":[{"code":9109,"message":"Invalid access token"}]}');
      const target = new URL(fakes[tag].url);
      const answer = await fetch(`${target.origin}${path}`, {
        method: req.method,
        headers: {
          authorization: authorization ?? "",
          "content-type": req.headers["content-type"] ?? "application/json",
        },
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      send(answer.status, await answer.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${new URL(fakes.a.url).pathname}`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all(Object.values(fakes).map((f) => f.close()));
    },
  };
}

/** Which caller a request was made for, from the pack id in its path (every call below names one). */
const tagOfPath = (path: string) => /certificate_packs\/(?:p|echo-|missing-)([ab])/.exec(path)?.[1];

/** The i-th call of caller `tag`: a read, an error echoing the token, a plan, and a 404, in turn. */
function callFor(tag: Tag, i: number): [string, Record<string, unknown>] {
  const pack = `p${tag}${i % 10}`;
  switch (i % 4) {
    case 0:
      return ["get_certificate_pack", { zone_id: ZONE, certificate_pack_id: pack }];
    case 1:
      return ["get_certificate_pack", { zone_id: ZONE, certificate_pack_id: `echo-${tag}-${i}` }];
    case 2:
      return ["delete_certificate_pack", { zone_id: ZONE, certificate_pack_id: pack }];
    default:
      return ["get_certificate_pack", { zone_id: ZONE, certificate_pack_id: `missing-${tag}-${i}` }];
  }
}

let accounts: Awaited<ReturnType<typeof startTwoAccounts>>;
beforeAll(async () => {
  accounts = await startTwoAccounts();
});
afterAll(() => accounts.close());

describe("two tokens on one server", () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttpServer([], { CLOUDFLARE_BASE_URL: accounts.url });
  });
  afterAll(() => server.stop());

  it("interleaving 160 concurrent calls from both eras: no token, result or echo crosses over", async () => {
    const CALLS_PER_CLIENT = 40;
    const IN_FLIGHT = 3;
    const clients: { tag: Tag; era: Era; client: HttpClient }[] = [];
    for (const era of ERAS)
      for (const tag of TAGS)
        clients.push({ tag, era, client: await connectHttp(era, server.url, { token: TOKENS[tag] }) });
    const before = accounts.received.length;
    const results: { tag: Tag; i: number; result: CallToolResult }[] = [];
    try {
      await Promise.all(
        clients.flatMap(({ tag, client }) => {
          let next = 0;
          return Array.from({ length: IN_FLIGHT }, async () => {
            for (let i = next++; i < CALLS_PER_CLIENT; i = next++) {
              const [name, args] = callFor(tag, i);
              results.push({ tag, i, result: await client.callTool(name, args) });
            }
          });
        }),
      );
    } finally {
      await Promise.all(clients.map(({ client }) => client.close()));
    }
    expect(results).toHaveLength(clients.length * CALLS_PER_CLIENT);

    // Every request the API received for a call of A carried A, and B's carried B.
    const received = accounts.received.slice(before);
    expect(received.length).toBeGreaterThanOrEqual(results.length);
    const crossed = received.filter((r) => {
      const tag = tagOfPath(r.path) as Tag | undefined;
      return !tag || r.authorization !== `Bearer ${TOKENS[tag]}`;
    });
    expect(crossed).toEqual([]);
    for (const tag of TAGS) expect(received.some((r) => tagOfPath(r.path) === tag)).toBe(true);

    // No result holds either token in clear; the echoes come back redacted; each caller sees only its own.
    for (const { tag, i, result } of results) {
      const other: Tag = tag === "a" ? "b" : "a";
      const text = JSON.stringify(result);
      expect(text).not.toContain(TOKENS.a);
      expect(text).not.toContain(TOKENS.b);
      expect(text).not.toMatch(new RegExp(`"(p${other}\\d|echo-${other}-|missing-${other}-)`));
      if (i % 4 === 0) expect((result.structuredContent as { id: string }).id).toBe(`p${tag}${i % 10}`);
      if (i % 4 === 1) {
        expect(result.isError).toBe(true);
        expect(textOf(result)).toContain("[redacted]");
      }
      if (i % 4 === 2)
        expect(
          (result.structuredContent as { approval?: { confirm?: string } }).approval?.confirm,
        ).toBeTruthy();
      if (i % 4 === 3) expect(textOf(result)).toMatch(/404/);
    }
    // Plans only: nothing was deleted.
    expect(received.filter((r) => r.method !== "GET")).toEqual([]);
  });
});

describe("rate budgets are per credential", () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttpServer(["--rate-limit", "3"], { CLOUDFLARE_BASE_URL: accounts.url });
  });
  afterAll(() => server.stop());

  it("A spending its budget is refused at once, with nothing sent; B is not made to wait", async () => {
    const [a, b] = await Promise.all([
      connectHttp("2025", server.url, { token: TOKENS.a }),
      connectHttp("2026-07-28", server.url, { token: TOKENS.b }),
    ]);
    try {
      // Every wait for a budget is announced before it starts ("waiting N s: keeping under …"), so a call
      // that announced none did not wait, however long a busy machine took to answer it.
      const announced: unknown[] = [];
      const read = (client: HttpClient, tag: Tag) =>
        client.callTool(
          "get_certificate_pack",
          { zone_id: ZONE, certificate_pack_id: `p${tag}1` },
          { onprogress: (progress) => announced.push({ tag, progress }) },
        );
      for (let i = 0; i < 3; i++) expect((await read(a, "a")).isError).toBeFalsy();
      const sentForA = () => accounts.received.filter((r) => tagOfPath(r.path) === "a").length;
      const beforeRefusal = sentForA();
      const refused = await read(a, "a");
      expect(announced).toEqual([]);
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(
        /NOT SENT\. keeping under 3 requests per 300 s; the next request fits in \d+ s/,
      );
      expect(sentForA()).toBe(beforeRefusal);

      for (let i = 0; i < 3; i++) {
        const result = await read(b, "b");
        expect(result.isError, textOf(result)).toBeFalsy();
      }
      expect(announced).toEqual([]);
      expect((await read(b, "b")).isError).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
