// The same rules as on Node, on the Worker (with and without OAuth in front), through its one route table
// and pipeline: X-MCP-Readonly fails closed on every endpoint, one Bearer grammar for both paths a request
// may take, the structural limits before parsing, and batches only where the revision has them.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createWorker, type WorkerEnv } from "../../src/entries/worker.js";
import { TOOLS } from "../../src/tools/registry.js";
import { API_BASE } from "./fake-cloudflare.js";
import { ORIGIN } from "./mcp-clients.js";
import { oauthWorker, USER_TOKEN } from "./oauth-fixtures.js";

const TOKEN = "tok_5ecretValue_0123456789abcdefXYZ";
const withApi: WorkerEnv = { ...env, CLOUDFLARE_BASE_URL: API_BASE };
const ALL_TOOLS = TOOLS.map((t) => t.name).sort();
const READ_TOOLS = TOOLS.filter((t) => t.kind === "read")
  .map((t) => t.name)
  .sort();
const LIST = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });

function post(path: string, headers: Record<string, string> = {}, body = LIST): Request {
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-06-18",
      authorization: `Bearer ${TOKEN}`,
      ...headers,
    },
    body,
  });
}

async function listed(response: Response): Promise<string[]> {
  const answer = (await response.json()) as { result?: { tools?: { name: string }[] } };
  return (answer.result?.tools ?? []).map((t) => t.name).sort();
}

describe("X-MCP-Readonly fails closed on the Worker", () => {
  const paths = ["/mcp", "/sandbox/mcp"];

  it.each(paths)("%s: absent or an explicit false keeps every tool", async (path) => {
    for (const value of [undefined, "false", "0", "No", " off "]) {
      const headers: Record<string, string> = value === undefined ? {} : { "x-mcp-readonly": value };
      expect(await listed(await createWorker().fetch(post(path, headers), withApi)), String(value)).toEqual(
        ALL_TOOLS,
      );
    }
  });

  it.each(paths)("%s: any other value narrows to the read tools", async (path) => {
    for (const value of ["true", "1", "yes", "on", "", "false, false", "nope"]) {
      const headers = { "x-mcp-readonly": value };
      expect(await listed(await createWorker().fetch(post(path, headers), withApi)), value).toEqual(
        READ_TOOLS,
      );
    }
  });

  it.each(paths)("%s/readonly cannot be widened by the header", async (path) => {
    const response = await createWorker().fetch(
      post(`${path}/readonly`, { "x-mcp-readonly": "false" }),
      withApi,
    );
    expect(await listed(response)).toEqual(READ_TOOLS);
  });
});

describe("one Bearer grammar", () => {
  it("spaces after the scheme are accepted alike with OAuth off and on", async () => {
    const off = await createWorker().fetch(post("/mcp", { authorization: `bearer  \t${TOKEN}` }), withApi);
    expect(off.status).toBe(200);
    const worker = oauthWorker();
    const on = await worker.call(post("/mcp", { authorization: `Bearer   ${USER_TOKEN}` }));
    expect(on.status).toBe(200);
    expect(await listed(on)).toEqual(ALL_TOOLS);
  });
});

describe("bounded before parsing", () => {
  it("149,000 empty objects in _meta are refused with 413, naming the limit", async () => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"pad":[${new Array(149_000).fill("{}").join(",")}]}}}`;
    const response = await createWorker().fetch(post("/mcp", {}, body), withApi);
    expect(response.status).toBe(413);
    const answer = (await response.json()) as { error?: { code: number; message: string } };
    expect(answer.error?.code).toBe(-32600);
    expect(answer.error?.message).toMatch(/more than 10000 values/);
  });

  it("a batch is refused on 2025-06-18 and served on 2025-03-26", async () => {
    const batch = JSON.stringify([
      { jsonrpc: "2.0", id: 1, method: "ping" },
      { jsonrpc: "2.0", id: 2, method: "ping" },
    ]);
    const refused = await createWorker().fetch(post("/mcp", {}, batch), withApi);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("protocol revision 2025-06-18 has no JSON-RPC batches");
    const served = await createWorker().fetch(
      post("/mcp", { "mcp-protocol-version": "2025-03-26" }, batch),
      withApi,
    );
    expect(served.status).toBe(200);
    expect(await served.json()).toHaveLength(2);
  });
});
