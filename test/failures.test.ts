// How the server behaves when the API misbehaves: what is retried, what is never sent twice, and what the
// model is told to do next. Faults come from the fake over a real socket.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  EMAIL,
  type Harness,
  type HarnessOptions,
  KEY,
  PACK,
  startHarness,
  TOKEN,
  textOf,
  ZONE,
} from "./helpers/harness.js";

const ORDER = {
  zone_id: ZONE,
  hosts: ["example.com", "new.example.com"],
  validation_method: "txt",
  validity_days: 90,
  certificate_authority: "google",
};
const ORDER_PATH = "/certificate_packs/order";

let h: Harness;
async function start(options?: HarnessOptions) {
  h = await startHarness(options);
  return h;
}
afterEach(() => h?.close());

const posts = () => h.fake.log.filter((r) => r.method === "POST");
const advancedPacks = () =>
  [...(h.fake.zones.get(ZONE)?.packs.values() ?? [])].filter((p) => p.type === "advanced");

describe("retries", () => {
  it("a 429 is retried after retry-after for any method, since Cloudflare did not process it", async () => {
    await start();
    h.fake.inject({ fault: { kind: "rate_limit", retryAfterSeconds: 0 }, path: ORDER_PATH });
    const result = await h.call("order_certificate_pack", ORDER);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(posts()).toHaveLength(2);
    expect(advancedPacks()).toHaveLength(5);
  });

  it("waits as long as retry-after says, and says so in a progress notification", async () => {
    await start();
    h.fake.inject({ fault: { kind: "rate_limit", retryAfterSeconds: 1 }, path: "/quota" });
    const { result, progress, ms } = await h.callWatched("get_certificate_pack_quota", { zone_id: ZONE });
    expect(result.isError).toBeFalsy();
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(progress.map((p) => p.message)).toContain("waiting 1 s: Cloudflare rate limit (HTTP 429)");
  });

  it("a 429 that outlasts the wait budget ends with how long to wait", async () => {
    await start({ client: { maxRetryWaitMs: 1500 } });
    h.fake.inject({ fault: { kind: "rate_limit", retryAfterSeconds: 1 }, path: "/quota", times: 10 });
    const result = await h.call("get_certificate_pack_quota", { zone_id: ZONE });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/HTTP 429\. Cloudflare: 971/);
    expect(textOf(result)).toMatch(/wait 1 seconds/);
    expect(h.fake.log).toHaveLength(2);
  });

  it("the Ratelimit header's reset is used when retry-after is absent", async () => {
    await start();
    h.fake.inject({ fault: { kind: "rate_limit", ratelimitResetSeconds: 0 }, path: "/quota" });
    const result = await h.call("get_certificate_pack_quota", { zone_id: ZONE });
    expect(result.isError).toBeFalsy();
    expect(h.fake.log).toHaveLength(2);
  });

  it("a GET is retried after a 5xx and after a reset connection", async () => {
    await start();
    h.fake.inject({ fault: { kind: "status", status: 503 }, path: "/quota" });
    h.fake.inject({ fault: { kind: "reset" }, path: "/quota" });
    h.fake.inject({ fault: { kind: "reset_mid_body" }, path: "/quota" });
    const result = await h.call("get_certificate_pack_quota", { zone_id: ZONE });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(h.fake.log).toHaveLength(4);
  });

  it("an order answered with 500 is sent once, and the model is told to look before ordering again", async () => {
    await start();
    h.fake.inject({ fault: { kind: "status", status: 500 }, path: ORDER_PATH, times: 5 });
    const result = await h.call("order_certificate_pack", ORDER);
    expect(result.isError).toBe(true);
    expect(posts()).toHaveLength(1);
    expect(textOf(result)).toMatch(/HTTP 500/);
    expect(textOf(result)).toMatch(/may or may not have been applied/);
    expect(textOf(result)).toMatch(/list_certificate_packs with status all/);
  });

  it.each(["reset", "reset_mid_body", "html_502", "truncated_json"] as const)(
    "an order whose answer is lost (%s) is sent once",
    async (kind) => {
      await start();
      h.fake.inject({ fault: { kind }, path: ORDER_PATH, times: 5 });
      const result = await h.call("order_certificate_pack", ORDER);
      expect(result.isError).toBe(true);
      expect(posts()).toHaveLength(1);
      expect(textOf(result)).toMatch(/list_certificate_packs with status all/);
    },
  );

  it("a timed-out order is sent once; a timed-out GET is retried a bounded number of times", async () => {
    await start({ client: { timeoutMs: 1000, maxAttempts: 3 } });
    h.fake.inject({ fault: { kind: "delay", ms: 1500 }, path: ORDER_PATH });
    const order = await h.call("order_certificate_pack", ORDER);
    expect(textOf(order)).toMatch(/no answer within 1000 ms/);
    expect(textOf(order)).toMatch(/may have reached Cloudflare/);
    expect(posts()).toHaveLength(1);

    h.fake.inject({ fault: { kind: "delay", ms: 1500 }, path: "/quota", times: 3 });
    const quota = await h.call("get_certificate_pack_quota", { zone_id: ZONE });
    expect(textOf(quota)).toMatch(/no answer within 1000 ms/);
    expect(h.fake.log.filter((r) => r.path.endsWith("/quota"))).toHaveLength(3);
  });
});

describe("error results", () => {
  it("an HTML 502 page becomes a clear error with the status, after the GET retries", async () => {
    await start();
    h.fake.inject({ fault: { kind: "html_502" }, path: "/quota", times: 10 });
    const result = await h.call("get_certificate_pack_quota", { zone_id: ZONE });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /an HTML page from Cloudflare's edge where JSON was expected: 502 Bad Gateway \(HTTP 502\)/,
    );
    expect(textOf(result)).not.toMatch(/<|>/);
    expect(h.fake.log).toHaveLength(4);
  });

  it("success: false with HTTP 200 is a failure", async () => {
    await start();
    h.fake.inject({ fault: { kind: "success_false" }, path: "/quota" });
    const result = await h.call("get_certificate_pack_quota", { zone_id: ZONE });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/HTTP 200\. Cloudflare: 1000 "Temporary failure/);
  });

  it("truncated JSON is retried for a GET, then a failure that says what came back", async () => {
    await start();
    h.fake.inject({ fault: { kind: "truncated_json" }, path: "/quota", times: 10 });
    const result = await h.call("get_certificate_pack_quota", { zone_id: ZONE });
    expect(textOf(result)).toMatch(/not Cloudflare's JSON envelope/);
    expect(h.fake.log).toHaveLength(4);
  });

  it("an answer over the size cap is not read, and the model is told to narrow the request", async () => {
    await start({ client: { maxBodyBytes: 10_000 } });
    h.fake.inject({ fault: { kind: "huge", bytes: 50_000 }, path: "/certificate_packs" });
    const result = await h.call("list_certificate_packs", { zone_id: ZONE });
    expect(textOf(result)).toMatch(/larger than 10000 bytes and was not read/);
    expect(textOf(result)).toMatch(/smaller per_page/);
  });

  it("without credentials nothing is sent and the error names the variables and permission", async () => {
    await start({ credentials: null });
    const result = await h.call("order_certificate_pack", ORDER);
    expect(textOf(result)).toMatch(/CLOUDFLARE_API_TOKEN/);
    expect(textOf(result)).toMatch(/CLOUDFLARE_EMAIL with CLOUDFLARE_API_KEY/);
    expect(textOf(result)).toMatch(/"SSL and Certificates: Edit"/);
    expect(textOf(result)).toMatch(/--sandbox/);
    expect(h.fake.log).toHaveLength(0);
  });

  it("a rejected token names the permission the tool needs", async () => {
    await start({ credentials: { token: "wrong-token" } });
    const result = await h.call("get_certificate_pack", { zone_id: ZONE, certificate_pack_id: PACK.pending });
    expect(textOf(result)).toMatch(/HTTP 403\. Cloudflare: 9109 "Invalid access token"/);
    expect(textOf(result)).toMatch(/lacks "SSL and Certificates: Read"/);
  });

  it("the Global API key is sent as X-Auth-Email and X-Auth-Key", async () => {
    await start({ credentials: { email: EMAIL, key: KEY } });
    const result = await h.call("get_universal_ssl_settings", { zone_id: ZONE });
    expect(result.isError).toBeFalsy();
    expect(h.fake.log[0]?.headers).toMatchObject({
      "x-auth-email": EMAIL,
      "x-auth-key": KEY,
      authorization: undefined,
    });
  });

  const MODE = { zone_id: ZONE };
  const PACK_ARGS = { zone_id: ZONE, certificate_pack_id: PACK.pending };
  it.each([
    [400, 7003, "get_automatic_ssl_mode", MODE, /check zone_id/],
    [404, 1404, "get_automatic_ssl_mode", MODE, /not found: check zone_id \(find_zone/],
    [404, 1404, "get_certificate_pack", PACK_ARGS, /not found: check zone_id, and the pack id/],
    [400, 1008, "set_automatic_ssl_mode", { ...MODE, value: "auto" }, /value must be auto or custom/],
    [400, 6003, "get_automatic_ssl_mode", MODE, /credentials are malformed/],
    [400, 9106, "get_automatic_ssl_mode", MODE, /received no credentials/],
    [400, 1400, "get_automatic_ssl_mode", MODE, /fix what its message names/],
  ])("HTTP %i with code %i to %s says what to do", async (status, code, tool, args, next) => {
    await start();
    h.fake.inject({
      fault: {
        kind: "status",
        status,
        body: JSON.stringify({
          success: false,
          errors: [{ code, message: "x" }],
          messages: [],
          result: null,
        }),
      },
    });
    const result = await h.call(tool, args);
    expect(textOf(result)).toMatch(new RegExp(`HTTP ${status}\\. Cloudflare: ${code} "x"`));
    expect(textOf(result)).toMatch(next);
  });

  it("a secret the API echoes back never reaches the model", async () => {
    await start();
    h.fake.inject({
      fault: {
        kind: "status",
        status: 400,
        body: JSON.stringify({
          success: false,
          errors: [{ code: 1400, message: `bad token ${TOKEN}` }],
          messages: [],
          result: null,
        }),
      },
    });
    const result = await h.call("get_automatic_ssl_mode", { zone_id: ZONE });
    expect(textOf(result)).not.toContain(TOKEN);
    expect(textOf(result)).toContain("bad token [redacted]");
  });
});

describe("cancellation", () => {
  it("aborts the request in flight", async () => {
    await start();
    h.fake.inject({ fault: { kind: "delay", ms: 3000 }, path: "/quota" });
    const controller = new AbortController();
    const pending = h.call("get_certificate_pack_quota", { zone_id: ZONE }, { signal: controller.signal });
    await vi.waitFor(() => expect(h.fake.log).toHaveLength(1), { timeout: 10_000 });
    controller.abort();
    await expect(pending).rejects.toThrow();
    // The fake sees the hang-up a moment after the client made it; its answer was due only after 3 s.
    await vi.waitFor(() => expect(h.fake.log[0]?.abandoned).toBe(true), { timeout: 5000 });
    expect(h.fake.log).toHaveLength(1);
    // The server keeps serving.
    expect((await h.call("get_universal_ssl_settings", { zone_id: ZONE })).structuredContent).toEqual({
      enabled: true,
    });
  });
});
