// What a server keeps per credential between requests: found by the credential's digest, the same digest
// approvals are bound to; one credential's redactor never stands in for another's; the table stays bounded.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RateBudgets } from "../src/client/rate-limit.js";
import type { OutgoingRequest } from "../src/client/sender.js";
import { credentialId } from "../src/core/approval.js";
import { CredentialCache, credentialDigest } from "../src/core/credential-cache.js";
import { type ClientSettings, callerScope } from "../src/core/identity.js";

describe("the credential cache", () => {
  it("keys entries by the same digest approvals are bound to", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ token: fc.string({ minLength: 1, maxLength: 80, unit: "binary" }) }),
          fc.record({
            email: fc.string({ minLength: 1, maxLength: 40, unit: "binary" }),
            key: fc.string({ minLength: 1, maxLength: 60 }),
          }),
        ),
        async (credentials) => {
          expect(credentialDigest(credentials)).toBe(await credentialId(credentials));
        },
      ),
      { numRuns: 200 },
    );
    expect(new CredentialCache().partsFor(undefined).credentialId).toBe(await credentialId(undefined));
  });

  it("gives each credential its own redactor, the same one on every request", () => {
    const cache = new CredentialCache();
    const a = cache.partsFor({ token: "tokA_0123456789abcdef" });
    const b = cache.partsFor({ token: "tokB_0123456789abcdef" });
    expect(cache.partsFor({ token: "tokA_0123456789abcdef" }).redactor).toBe(a.redactor);
    expect(b.redactor).not.toBe(a.redactor);
    const text = "tokA_0123456789abcdef and tokB_0123456789abcdef";
    expect(a.redactor.text(text)).toBe("[redacted] and tokB_0123456789abcdef");
    expect(b.redactor.text(text)).toBe("tokA_0123456789abcdef and [redacted]");
    // An API key and its email are a different credential from a token equal to the key.
    const pair = cache.partsFor({ email: "a@example.org", key: "tokA_0123456789abcdef" });
    expect(pair.credentialId).not.toBe(a.credentialId);
    expect(pair.redactor.text("a@example.org")).toBe("[redacted]");
  });

  it("keeps no more entries than its bound, the least recently used going first", () => {
    const cache = new CredentialCache(3);
    const first = cache.partsFor({ token: "token-number-0" });
    for (let i = 1; i < 3; i++) cache.partsFor({ token: `token-number-${i}` });
    cache.partsFor({ token: "token-number-0" });
    cache.partsFor({ token: "token-number-3" });
    expect(cache.size).toBe(3);
    expect(cache.partsFor({ token: "token-number-0" }).redactor).toBe(first.redactor);
    const second = cache.partsFor({ token: "token-number-1" });
    expect(cache.size).toBe(3);
    expect(cache.partsFor({ token: "token-number-1" }).redactor).toBe(second.redactor);
  });

  it("keeps one client per credential, backend settings and budgets, each sending its own credential", async () => {
    const sent: OutgoingRequest[] = [];
    const settings: ClientSettings = {
      baseUrl: "http://127.0.0.1:9/client/v4",
      timeoutMs: 5_000,
      userAgent: "test",
      send: async (request) => {
        sent.push(request);
        const envelope = new TextEncoder().encode('{"success":true,"errors":[],"messages":[],"result":{}}');
        async function* body() {
          yield envelope;
        }
        return { status: 200, header: () => undefined, body: body(), discard: () => {} };
      },
    };
    const budgets = new RateBudgets({ requests: 1_000, windowMs: 60_000 });
    const a = await callerScope({ token: "tokA_client_0123456789" }, budgets, settings);
    const b = await callerScope({ token: "tokB_client_0123456789" }, budgets, settings);
    // The same credential, arriving as another object on a later request, finds the client built for it.
    expect((await callerScope({ token: "tokA_client_0123456789" }, budgets, settings)).client).toBe(a.client);
    expect(b.client).not.toBe(a.client);
    // Another backend (its own settings, or its own budgets) never shares a client with this one.
    expect(
      (await callerScope({ token: "tokA_client_0123456789" }, budgets, { ...settings })).client,
    ).not.toBe(a.client);
    const otherBudgets = new RateBudgets({ requests: 1_000, windowMs: 60_000 });
    expect((await callerScope({ token: "tokA_client_0123456789" }, otherBudgets, settings)).client).not.toBe(
      a.client,
    );
    for (const scope of [a, b, a])
      await scope.client.request({ method: "GET", path: "/zones", effect: "none" });
    expect(sent.map((request) => request.headers.authorization)).toEqual([
      "Bearer tokA_client_0123456789",
      "Bearer tokB_client_0123456789",
      "Bearer tokA_client_0123456789",
    ]);
    // Each credential draws on its own budget, found by its own digest.
    expect(budgets.size).toBe(2);
  });
});
