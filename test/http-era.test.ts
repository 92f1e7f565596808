// The era shortcut: a body it sends straight to the 2026-07-28 path is one the SDK's classifier would never
// serve as 2025-era, whatever its headers; bodies it is unsure of are the classifier's to decide.
import { isLegacyRequest } from "@modelcontextprotocol/server";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimsEnvelope, plainLegacyRequest, servedAsLegacy } from "../src/core/http/era.js";

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
/** Well-formed requests, with or without params, _meta or an odd id: where the shortcuts are taken. */
const wellFormed = fc.record(
  {
    jsonrpc: fc.constant("2.0"),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.constant(2 ** 60)),
    method: fc.constantFrom("tools/call", "tools/list", "initialize", "ping"),
    params: fc.oneof(
      fc.constant({}),
      fc.record({ name: fc.string({ maxLength: 6 }), _meta: meta }, { requiredKeys: ["name"] }),
    ),
  },
  { requiredKeys: ["jsonrpc", "id", "method"] },
);
const body = fc.oneof(
  wellFormed,
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
      extra: scalar,
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
    "mcp-protocol-version": fc.constantFrom("2026-07-28", "2027-01-01", "2025-06-18", "1999-01-01", "x", ""),
    "mcp-method": fc.constantFrom("tools/call", "tools/list"),
  },
  { requiredKeys: [] },
);

describe("which era answers a body", () => {
  it("sends to the modern path only bodies the SDK would not serve as 2025-era, and agrees with it on all", async () => {
    const shortcuts = { legacy: 0, modern: 0 };
    await fc.assert(
      fc.asyncProperty(body, headers, async (json, given) => {
        if (plainLegacyRequest(json, requestWith(given).headers.get("mcp-protocol-version")))
          shortcuts.legacy++;
        if (claimsEnvelope(json)) shortcuts.modern++;
        const sdk = await isLegacyRequest(requestWith(given), json);
        if (claimsEnvelope(json)) expect(sdk).toBe(false);
        if (plainLegacyRequest(json, requestWith(given).headers.get("mcp-protocol-version")))
          expect(sdk).toBe(true);
        expect(await servedAsLegacy(requestWith(given), json)).toBe(sdk);
      }),
      { numRuns: 2000 },
    );
    // Both shortcuts were put to the test, not only the fallback.
    expect(shortcuts.legacy).toBeGreaterThan(10);
    expect(shortcuts.modern).toBeGreaterThan(10);
  });

  it("takes the modern shortcut for a 2026-07-28 call and not for a 2025 one, an initialize or a batch", () => {
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

describe("the 2025-era shortcut", () => {
  const call = { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "x", arguments: {} } };
  it("is taken for a plain call with no modern header, and not otherwise", () => {
    expect(plainLegacyRequest(call, null)).toBe(true);
    expect(plainLegacyRequest(call, "2025-06-18")).toBe(true);
    expect(plainLegacyRequest(call, "2026-07-28")).toBe(false);
    expect(plainLegacyRequest({ ...call, params: { _meta: { progressToken: 1 } } }, null)).toBe(false);
    expect(plainLegacyRequest({ ...call, id: 1.5 }, null)).toBe(false);
    expect(plainLegacyRequest({ ...call, extra: 1 }, null)).toBe(false);
    expect(plainLegacyRequest([call], null)).toBe(false);
  });
});
