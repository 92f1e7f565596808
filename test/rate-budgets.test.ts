// A caller's rate budget belongs to that caller: other callers, however many, cannot erase what it has spent
// or the block Cloudflare put on it. Over real HTTP against the built server: a thousand requests with
// made-up tokens that never reach the API (tools/list) take no budget's place. And when the table of
// budgets is full of budgets in use, a new caller is refused with a clear error rather than evicting one.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RateBudgetExhausted, RateBudgets } from "../src/client/rate-limit.js";
import { type FakeCloudflare, startFakeCloudflare } from "./helpers/fake-cloudflare.js";
import { TOKEN, textOf, ZONE } from "./helpers/harness.js";
import { connectHttp, type HttpServer, post, startHttpServer } from "./helpers/http-server.js";

/** More made-up callers than the server keeps budgets for (1,000). */
const STRANGERS = 1100;
const LIST = { jsonrpc: "2.0", id: 1, method: "tools/list" };

let fake: FakeCloudflare;
beforeAll(async () => {
  fake = await startFakeCloudflare({ token: TOKEN });
});
afterEach(() => fake.clearFaults());
afterAll(() => fake.close());

/** A call refused before anything is sent: the zone id is not one. */
const REFUSED_CALL = {
  jsonrpc: "2.0",
  id: 2,
  method: "tools/call",
  params: { name: "get_universal_ssl_settings", arguments: { zone_id: "not-a-zone" } },
};

/** `tools/list`, or a call refused before sending, from many callers with tokens of their own. */
async function listAsStrangers(url: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < STRANGERS; i = next++) {
        const answer = await post(url, i % 2 ? REFUSED_CALL : LIST, {
          authorization: `Bearer madeup_${i}_0123456789abcdef`,
        });
        expect(answer.status).toBe(200);
        const text = await answer.text();
        if (i % 2) expect(text).toContain("zone_id");
      }
    }),
  );
  expect(fake.log.filter((r) => r.headers.authorization?.includes("madeup_"))).toEqual([]);
}

const sentForCalls = () => fake.log.filter((r) => r.path.endsWith("/ssl/universal/settings")).length;

describe.each([
  ["--rate-limit", "3"],
  ["--rate-limit", "1200"],
])("over HTTP with %s %s", (flag, limit) => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttpServer([flag, limit], { CLOUDFLARE_BASE_URL: fake.url });
  });
  afterAll(() => server.stop());

  it("a thousand other callers listing tools neither reset a spent budget nor lift a Ratelimit block", async () => {
    const client = await connectHttp("2026-07-28", server.url, { token: TOKEN });
    try {
      const read = () => client.callTool("get_universal_ssl_settings", { zone_id: ZONE });
      if (limit === "3") {
        for (let i = 0; i < 3; i++) expect((await read()).isError).toBeFalsy();
      } else {
        // Cloudflare says the budget is spent for ten minutes, on an answer that succeeded.
        fake.inject({
          path: "/ssl/universal/settings",
          fault: {
            kind: "status",
            status: 200,
            body: JSON.stringify({ success: true, errors: [], messages: [], result: { enabled: true } }),
            headers: { ratelimit: '"default";r=0;t=600' },
          },
        });
        expect((await read()).isError).toBeFalsy();
      }
      await listAsStrangers(server.url);
      const sentBefore = sentForCalls();
      const refused = await read();
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(
        limit === "3"
          ? /NOT SENT\. keeping under 3 requests per 300 s/
          : /NOT SENT\. Cloudflare's Ratelimit header says the budget is spent/,
      );
      expect(sentForCalls()).toBe(sentBefore);
    } finally {
      await client.close();
    }
  });
});

describe("the table of budgets", () => {
  const clock = { at: 1_000_000, now: () => clock.at };
  const budgets = new RateBudgets({ requests: 5, windowMs: 60_000 }, 3, clock.now);

  it("takes a place only when a request is about to be sent", async () => {
    for (let i = 0; i < 10; i++) expect(budgets.for(`unused-${i}`)).toBeDefined();
    expect(budgets.size).toBe(0);
    for (const caller of ["a", "b", "c"]) await budgets.for(caller)?.acquire(undefined);
    expect(budgets.size).toBe(3);
  });

  it("when every kept budget is in use, refuses a new caller and keeps the others' budgets", async () => {
    const refusal = await budgets
      .for("d")
      ?.acquire(undefined)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refusal).toBeInstanceOf(RateBudgetExhausted);
    expect((refusal as RateBudgetExhausted).serverFull).toBe(true);
    expect((refusal as RateBudgetExhausted).waitMs).toBe(60_000);
    expect((refusal as RateBudgetExhausted).message).toMatch(
      /keeps the rate budgets of 3 callers and all of them are in use: the next request fits in 60 s/,
    );
    // "a" still has 4 of 5 left: four more go at once, the fifth would wait for the window.
    for (let i = 0; i < 4; i++) await budgets.for("a")?.acquire(undefined, undefined, 0);
    await expect(budgets.for("a")?.acquire(undefined, undefined, 0)).rejects.toThrow(/keeping under 5/);
  });

  it("forgets only a budget that fell idle, blocked ones staying", async () => {
    budgets.for("b")?.observe('"default";r=0;t=600');
    clock.at += 61_000;
    // "b" is blocked; "c" and "a" are idle, "c" the less recently used: it is forgotten first, then "a".
    await budgets.for("d")?.acquire(undefined);
    await budgets.for("e")?.acquire(undefined);
    expect(budgets.size).toBe(3);
    await expect(budgets.for("b")?.acquire(undefined, undefined, 0)).rejects.toThrow(/Ratelimit header/);
  });
});
