// Invariants of the tool table, the listing clients see (as a snapshot with its token cost), and the budgets
// that keep that listing small in a model's context.
import { readFileSync, writeFileSync } from "node:fs";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { afterEach, describe, expect, it } from "vitest";
import { toolDefinition } from "../src/tools/definition.js";
import { TOOL_DEFINITIONS } from "../src/tools/listing.js";
import { TOOLS } from "../src/tools/registry.js";
import { type Harness, startHarness, ZONE } from "./helpers/harness.js";
import { renderToolTable, TABLE_END, TABLE_START } from "./helpers/tool-table.js";

const tokens = (value: unknown) => encode(JSON.stringify(value)).length;
/** What clients put in the model's context for a tool. */
const modelVisible = (t: ReturnType<typeof toolDefinition>) => ({
  name: t.name,
  title: t.title,
  description: t.description,
  inputSchema: t.inputSchema,
});

const BUDGET = { modelVisible: 2500, wholeList: 5000, description: 300 };

describe("the registry", () => {
  it("names are unique snake_case", () => {
    const names = TOOLS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
  });

  it("each route is one tool's (triage composes reads of others) and its path parameters are required string inputs", () => {
    const routes = TOOLS.filter((t) => t.name !== "triage_certificates").map((t) => t.route);
    expect(new Set(routes).size).toBe(routes.length);
    for (const spec of TOOLS) {
      const schema = toolDefinition(spec).inputSchema as unknown as {
        properties: Record<string, { type?: string }>;
        required?: string[];
      };
      for (const [, param] of spec.route.matchAll(/\{(\w+)\}/g)) {
        expect(schema.properties[param as string]?.type, `${spec.name} ${param}`).toBe("string");
        expect(schema.required, spec.name).toContain(param);
      }
    }
  });

  it("every tool sets all four hints explicitly, consistent with its kind", () => {
    for (const spec of TOOLS) {
      const a = toolDefinition(spec).annotations ?? {};
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof a[hint], `${spec.name} ${hint}`).toBe("boolean");
      }
      expect(a.readOnlyHint).toBe(spec.kind === "read");
      expect(a.destructiveHint).toBe(spec.kind === "destructive");
      if (spec.kind === "read") expect(a.idempotentHint).toBe(true);
    }
  });

  it("reads are GETs (or analyze, a POST that stores nothing); orders are not idempotent", () => {
    for (const spec of TOOLS.filter((t) => t.kind === "read")) {
      expect(spec.route.startsWith("GET ") || spec.name === "analyze_certificate", spec.name).toBe(true);
    }
    expect(TOOLS.find((t) => t.name === "order_certificate_pack")?.idempotent).toBe(false);
  });

  it("every destructive tool is gated by a confirmation plan and takes confirm; no other tool does", () => {
    for (const spec of TOOLS) {
      const takesConfirm = "confirm" in spec.input.shape;
      expect(takesConfirm, spec.name).toBe(spec.kind === "destructive");
      expect(spec.confirm !== undefined, spec.name).toBe(spec.kind === "destructive");
    }
    expect(TOOLS.filter((t) => t.kind === "destructive").map((t) => t.name)).toEqual([
      "delete_certificate_pack",
      "update_universal_ssl_settings",
      "prioritize_custom_certificates",
    ]);
  });

  it("every tool has a title, a description within budget, described fields and an output schema", () => {
    for (const spec of TOOLS) {
      expect(spec.title.length, spec.name).toBeGreaterThan(5);
      expect(spec.description.length, spec.name).toBeGreaterThan(40);
      expect(spec.description.length, spec.name).toBeLessThanOrEqual(BUDGET.description);
      expect(spec.output.type).toBe("object");
    }
  });

  it("the deprecated recommendation points to its replacement", () => {
    expect(TOOLS.find((t) => t.name === "get_ssl_recommendation")?.description).toMatch(
      /get_automatic_ssl_mode/,
    );
  });
});

describe("token budget (o200k)", () => {
  const definitions = TOOLS.map(toolDefinition);
  const readOnly = TOOLS.filter((t) => t.kind === "read").map(toolDefinition);

  it(`what the model sees of all tools stays under ${BUDGET.modelVisible} tokens`, () => {
    expect(tokens(definitions.map(modelVisible))).toBeLessThan(BUDGET.modelVisible);
  });

  it(`the whole tools/list answer stays under ${BUDGET.wholeList} tokens`, () => {
    expect(tokens({ tools: definitions })).toBeLessThan(BUDGET.wholeList);
  });

  it("the listing and its per-tool cost match the tools/list snapshot (npm run snapshots updates it)", async () => {
    const perTool = Object.fromEntries(
      definitions.map((d) => [d.name, { modelVisible: tokens(modelVisible(d)), whole: tokens(d) }]),
    );
    const figures = {
      total: {
        modelVisible: tokens(definitions.map(modelVisible)),
        wholeList: tokens({ tools: definitions }),
        readOnlyModelVisible: tokens(readOnly.map(modelVisible)),
        readOnlyWholeList: tokens({ tools: readOnly }),
      },
      perTool,
    };
    await expect(`${JSON.stringify({ figures, tools: definitions }, null, 2)}\n`).toMatchFileSnapshot(
      "snapshots/tools-list.json",
    );
  });
});

describe("what a client sees", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("tools/list is exactly the registry, as converted", async () => {
    h = await startHarness();
    expect(h.tools).toEqual(TOOLS.map(toolDefinition));
  });

  it("read-only mode registers only read tools; the others are unknown", async () => {
    h = await startHarness({ readOnly: true });
    expect(h.tools.map((t) => t.name)).toEqual(TOOLS.filter((t) => t.kind === "read").map((t) => t.name));
    expect(h.tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    await expect(
      h.call("delete_certificate_pack", { zone_id: ZONE, certificate_pack_id: "abc", confirm: true }),
    ).rejects.toThrow(/Unknown tool delete_certificate_pack \(the server runs read-only/);
    expect(h.fake.log).toEqual([]);
  });
});

describe("the generated listing", () => {
  it("src/tools/listing.generated.json is the registry, converted (npm run readme regenerates it)", () => {
    const fresh = TOOLS.map(toolDefinition);
    if (process.env.UPDATE_README === "1" && JSON.stringify(fresh) !== JSON.stringify(TOOL_DEFINITIONS)) {
      writeFileSync(
        new URL("../src/tools/listing.generated.json", import.meta.url),
        `${JSON.stringify(fresh, null, 2)}\n`,
      );
      return;
    }
    expect(TOOL_DEFINITIONS, "stale: run npm run readme").toEqual(fresh);
  });
});

describe("the README", () => {
  it("holds the tool table generated from the registry (npm run readme rewrites it)", () => {
    const path = new URL("../docs/tools.md", import.meta.url);
    const readme = readFileSync(path, "utf8");
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start, "README lacks the tool table markers").toBeGreaterThan(-1);
    const fresh = `${TABLE_START}\n${renderToolTable(TOOLS)}\n${TABLE_END}`;
    const current = readme.slice(start, end + TABLE_END.length);
    if (process.env.UPDATE_README === "1" && current !== fresh) {
      writeFileSync(path, readme.replace(current, fresh));
      return;
    }
    expect(current).toBe(fresh);
  });
});
