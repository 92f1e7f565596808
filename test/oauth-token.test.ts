// The sign-in's calls to Cloudflare (verify a pasted token, list its accounts and zones) go through the one API
// client: the endpoints of the table, the client's headers, one attempt, and no answer text in any reason.
// Over a real loopback socket to a small stand-in for the endpoints the sign-in uses.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { identifyToken, verifyToken, zonesReached } from "../src/oauth/cloudflare-token.js";
import { NAME, VERSION } from "../src/version.js";

const TOKEN = "oauth-test-token-0123456789abcdef";
const ACCOUNT = "a".repeat(32);

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
}

let server: Server;
let base: string;
let seen: Seen[] = [];
/** What the stand-in answers, by path without the query: status and body text. */
let answers: Record<string, [number, string]> = {};

const envelope = (result: unknown, errors: { code: number; message: string }[] = [], extra = {}) =>
  JSON.stringify({ success: errors.length === 0, errors, messages: [], result, ...extra });

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    const path = (req.url ?? "").replace(/^\/client\/v4/, "").split("?")[0] ?? "";
    const [status, body] = answers[path] ?? [404, envelope(null, [{ code: 7000, message: "No route" }])];
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));
beforeEach(() => {
  seen = [];
  answers = {};
});

describe("the sign-in's calls to Cloudflare", () => {
  it("verify a user token at the table's endpoint with the client's headers", async () => {
    answers["/user/tokens/verify"] = [200, envelope({ id: "tok-1", status: "active" })];
    expect(await verifyToken(base, TOKEN)).toEqual({ kind: "active", token: { tokenId: "tok-1" } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: "GET",
      url: "/client/v4/user/tokens/verify",
      headers: {
        authorization: `Bearer ${TOKEN}`,
        accept: "application/json",
        "user-agent": `${NAME}/${VERSION}`,
      },
    });
  });

  it("find an account-owned token under the accounts the token lists", async () => {
    answers["/user/tokens/verify"] = [401, envelope(null, [{ code: 1000, message: "Invalid API Token" }])];
    answers["/accounts"] = [200, envelope([{ id: ACCOUNT }])];
    answers[`/accounts/${ACCOUNT}/tokens/verify`] = [200, envelope({ id: "tok-2", status: "active" })];
    expect(await identifyToken(base, TOKEN)).toEqual({
      kind: "active",
      token: { tokenId: "tok-2", accountId: ACCOUNT },
    });
    expect(seen.map((s) => s.url)).toEqual([
      "/client/v4/user/tokens/verify",
      "/client/v4/accounts?per_page=5",
      `/client/v4/accounts/${ACCOUNT}/tokens/verify`,
    ]);
  });

  it("try once on a server error, and say Cloudflare is unavailable rather than that the token is bad", async () => {
    answers["/user/tokens/verify"] = [503, envelope(null, [{ code: 10000, message: "down" }])];
    expect(await verifyToken(base, TOKEN)).toEqual({
      kind: "unavailable",
      reason: "Cloudflare answered HTTP 503; try again shortly.",
    });
    expect(seen).toHaveLength(1);
  });

  it("refuse by status and codes alone, never quoting what the answer said", async () => {
    answers["/user/tokens/verify"] = [
      403,
      envelope(null, [{ code: 9109, message: `Invalid access token ${TOKEN}` }]),
    ];
    const refused = await verifyToken(base, TOKEN);
    expect(refused).toEqual({
      kind: "refused",
      reason: "Cloudflare did not accept this token (HTTP 403, error 9109).",
    });
    answers["/user/tokens/verify"] = [200, `<html>${TOKEN}</html>`];
    expect(await verifyToken(base, TOKEN)).toEqual({
      kind: "refused",
      reason: "Cloudflare did not accept this token (HTTP 200).",
    });
  });

  it("list the first page of zones the token reaches, with the total", async () => {
    answers["/zones"] = [
      200,
      envelope([{ name: "example.com" }, { name: "example.net" }], [], { result_info: { total_count: 70 } }),
    ];
    expect(await zonesReached(base, TOKEN)).toEqual({
      kind: "listed",
      names: ["example.com", "example.net"],
      total: 70,
    });
    expect(seen[0]?.url).toBe("/client/v4/zones?per_page=50");
  });

  it("report an unreachable API as such", async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    expect(await zonesReached(`http://127.0.0.1:${port}/client/v4`, TOKEN)).toEqual({
      kind: "failed",
      reason: "Cloudflare could not be reached.",
    });
  });
});
