// The era shortcut: a body it sends straight to the 2026-07-28 path is one the SDK's classifier would never
// serve as 2025-era, whatever its headers; bodies it is unsure of are the classifier's to decide.
import { isLegacyRequest } from "@modelcontextprotocol/server";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimsEnvelope, servedAsLegacy } from "../src/core/http/era.js";

const CLAIM = "io.modelcontextprotocol/protocolVersion";

const requestWith = (headers: Record<string, string>) =>
  new Request("http://127.0.0.1/mcp", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
  });

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const meta = fc.oneof(
  fc.constant(undefined),
  scalar,
  fc.dictionary(
    fc.constantFrom(CLAIM, "io.modelcontextprotocol/clientInfo", "other"),
    fc.oneof(scalar, fc.constantFrom("2026-07-28", "2025-06-18")),
  ),
);
const body = fc.oneof(
  fc.record(
    {
      jsonrpc: fc.constantFrom("2.0", "1.0"),
      id: fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.double(), fc.constant(null)),
      method: fc.constantFrom("tools/call", "tools/list", "initialize", "server/discover", "notifications/x"),
      params: fc.oneof(
        scalar,
        fc.record({ name: fc.string({ maxLength: 6 }), _meta: meta }, { requiredKeys: [] }),
      ),
      result: fc.object({ maxDepth: 1 }),
      error: fc.object({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  ),
  fc.array(fc.record({ jsonrpc: fc.constant("2.0"), id: fc.integer(), method: fc.constant("tools/list") }), {
    maxLength: 2,
  }),
  scalar,
);
const headers = fc.record(
  {
    "mcp-protocol-version": fc.constantFrom("2026-07-28", "2025-06-18", "1999-01-01"),
    "mcp-method": fc.constantFrom("tools/call", "tools/list"),
  },
  { requiredKeys: [] },
);

describe("which era answers a body", () => {
  it("sends to the modern path only bodies the SDK would not serve as 2025-era, and agrees with it on all", async () => {
    await fc.assert(
      fc.asyncProperty(body, headers, async (json, given) => {
        const sdk = await isLegacyRequest(requestWith(given), json);
        if (claimsEnvelope(json)) expect(sdk).toBe(false);
        expect(await servedAsLegacy(requestWith(given), json)).toBe(sdk);
      }),
      { numRuns: 2000 },
    );
  });

  it("takes the shortcut for a 2026-07-28 call and not for a 2025 one, an initialize or a batch", () => {
    const call = {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "x", _meta: { [CLAIM]: "2026-07-28" } },
    };
    expect(claimsEnvelope(call)).toBe(true);
    expect(claimsEnvelope({ ...call, params: { name: "x" } })).toBe(false);
    expect(claimsEnvelope({ ...call, method: "initialize" })).toBe(false);
    expect(claimsEnvelope([call])).toBe(false);
    expect(claimsEnvelope({ ...call, result: {} })).toBe(false);
  });
});
