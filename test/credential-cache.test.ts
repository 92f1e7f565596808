// What a server keeps per credential between requests: found by the credential's digest, the same digest
// approvals are bound to; one credential's redactor never stands in for another's; the table stays bounded.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { credentialId } from "../src/core/approval.js";
import { CredentialCache, credentialDigest } from "../src/core/credential-cache.js";

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
});
