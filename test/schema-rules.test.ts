// The schema subset every major client accepts, enforced over the live tools/list so that a new tool cannot
// break it: Gemini's function declarations and VS Code Copilot reject numeric enums, `const` and combinators;
// the MCP Inspector warns about type arrays in output schemas; clients prefix names with `mcp__<server>__`
// and most cap the result at 64 characters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, textOf, ZONE } from "./helpers/harness.js";
import { VALID_CALLS } from "./helpers/valid-calls.js";

const MAX_NAME = 48;
const FORBIDDEN = ["const", "$ref", "$defs", "definitions", "oneOf", "allOf", "anyOf", "not"];

type Schema = Record<string, unknown>;
const isSchema = (value: unknown): value is Schema =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Every subschema with its JSON pointer, the root first. */
function* subschemas(schema: Schema, at = "#"): Generator<[string, Schema]> {
  yield [at, schema];
  for (const key of ["properties", "patternProperties", "$defs", "definitions"]) {
    const map = schema[key];
    if (isSchema(map)) {
      for (const [name, inner] of Object.entries(map))
        if (isSchema(inner)) yield* subschemas(inner, `${at}/${key}/${name}`);
    }
  }
  for (const key of ["items", "additionalProperties", "propertyNames", "not"]) {
    const inner = schema[key];
    if (isSchema(inner)) yield* subschemas(inner, `${at}/${key}`);
    if (Array.isArray(inner))
      for (const [i, item] of inner.entries())
        if (isSchema(item)) yield* subschemas(item, `${at}/${key}/${i}`);
  }
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = schema[key];
    if (Array.isArray(list))
      for (const [i, item] of list.entries())
        if (isSchema(item)) yield* subschemas(item, `${at}/${key}/${i}`);
  }
}

/** What an input schema does that some client rejects, one line each. */
function inputSchemaProblems(schema: Schema): string[] {
  const problems: string[] = [];
  if (schema.type !== "object") problems.push(`#: the input schema must be type object`);
  for (const [at, node] of subschemas(schema)) {
    for (const key of FORBIDDEN) if (key in node) problems.push(`${at}: uses ${key}`);
    if (at !== "#" && !at.endsWith("/not") && !/\/(anyOf|oneOf|allOf)\/\d+$/.test(at)) {
      if (typeof node.type !== "string")
        problems.push(`${at}: needs exactly one type, has ${JSON.stringify(node.type)}`);
    }
    if (Array.isArray(node.type)) continue;
    if ("enum" in node) {
      const values = node.enum as unknown[];
      if (node.type !== "string" || !values.every((v) => typeof v === "string"))
        problems.push(`${at}: enum must list strings only, has ${JSON.stringify(values)}`);
    }
  }
  return problems;
}

/** What an output schema does that a client warns about. */
function outputSchemaProblems(schema: Schema): string[] {
  const problems: string[] = [];
  for (const [at, node] of subschemas(schema))
    if (Array.isArray(node.type))
      problems.push(`${at}: type array ${JSON.stringify(node.type)}; use one type`);
  return problems;
}

describe("the rules themselves", () => {
  it("catch each construct a client rejects", () => {
    const bad = {
      type: "object",
      properties: {
        days: { type: "integer", enum: [14, 30] },
        retry: { type: "boolean", const: true },
        either: { anyOf: [{ type: "string" }, { type: "number" }] },
        both: { type: ["string", "null"] },
        list: { type: "array", items: { $ref: "#/$defs/x" } },
      },
      $defs: { x: { type: "string" } },
    };
    const problems = inputSchemaProblems(bad).join("\n");
    for (const expected of [
      "#/properties/days: enum must list strings only",
      "#/properties/retry: uses const",
      "#/properties/either: uses anyOf",
      "#/properties/either: needs exactly one type",
      '#/properties/both: needs exactly one type, has ["string","null"]',
      "#/properties/list/items: uses $ref",
      "#: uses $defs",
    ])
      expect(problems).toContain(expected);
    expect(outputSchemaProblems(bad)).toEqual([
      '#/properties/both: type array ["string","null"]; use one type',
    ]);
    expect(
      inputSchemaProblems({ type: "object", properties: { ok: { type: "string", enum: ["a"] } } }),
    ).toEqual([]);
  });
});

describe("the live tools/list", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it("lists every tool", () => {
    expect(h.tools.map((t) => t.name).sort()).toEqual(Object.keys(VALID_CALLS).sort());
  });

  it(`names fit ${MAX_NAME} characters of letters, digits and underscores`, () => {
    for (const { name } of h.tools) {
      expect(name, `${name} is longer than ${MAX_NAME} characters`).toMatch(
        new RegExp(`^[a-z0-9_]{1,${MAX_NAME}}$`),
      );
    }
  });

  it("input schemas use one type per property, string enums only, and no const, $ref, $defs or combinators", () => {
    const problems = h.tools.flatMap((t) =>
      inputSchemaProblems(t.inputSchema as Schema).map((p) => `${t.name} ${p}`),
    );
    expect(problems.join("\n"), "fix the zod schema in src/tools/ so that it converts to this subset").toBe(
      "",
    );
  });

  it("output schemas use no type arrays", () => {
    const problems = h.tools.flatMap((t) =>
      t.outputSchema ? outputSchemaProblems(t.outputSchema as Schema).map((p) => `${t.name} ${p}`) : [],
    );
    expect(problems.join("\n"), "drop null from the type (results omit nulls) or describe it").toBe("");
  });
});

describe("values the schemas no longer spell out are still checked", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  const propertiesOf = (name: string) =>
    (h.tools.find((t) => t.name === name)?.inputSchema.properties ?? {}) as Record<
      string,
      Schema | undefined
    >;

  it("validity_days: an integer whose allowed values are named in its description and checked before sending", async () => {
    const days = propertiesOf("order_certificate_pack").validity_days;
    expect(days?.type).toBe("integer");
    expect(days?.description).toMatch(/14, 30, 90 or 365/);
    h.drain();
    for (const wrong of [7, 60, 5475]) {
      const result = await h.call("order_certificate_pack", {
        ...VALID_CALLS.order_certificate_pack,
        validity_days: wrong,
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/validity_days: must be 14, 30, 90 or 365/);
    }
    expect(h.drain(), "nothing reaches the API").toEqual([]);
  });

  it("get_ssl_verification takes retry as a boolean; false (or absent) sends no retry parameter", async () => {
    expect(propertiesOf("get_ssl_verification").retry?.type).toBe("boolean");
    h.drain();
    for (const [args, query] of [
      [{ retry: false }, {}],
      [{}, {}],
      [{ retry: true }, { retry: "true" }],
    ] as const) {
      const result = await h.call("get_ssl_verification", { zone_id: ZONE, ...args });
      expect(result.isError, textOf(result)).toBeFalsy();
      const sent = h.drain();
      expect(sent.map((e) => [e.method, e.path, e.query])).toEqual([
        ["GET", `/zones/${ZONE}/ssl/verification`, query],
      ]);
    }
  });
});
