// The official OpenAPI document is the contract. Every request the tools send must conform to its request
// schemas, and every answer the fake gives to its response schemas. The repository keeps a schema-only extract
// of the document (contract/, with its provenance); `npm run contract:refresh` regenerates it from the full
// document, which sits outside the repository, and a test below says when it is stale.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEndpoint, ENDPOINTS, type Endpoint, type EndpointName } from "../src/client/endpoints.js";
import { expandEndpoint } from "../src/client/routes.js";
import { createSandbox } from "../src/sandbox/handler.js";
import { SANDBOX_ROUTES } from "../src/sandbox/routes.js";
import { TOOLS } from "../src/tools/registry.js";
import { CUSTOM_CERT, FREE_ZONE, type Harness, PACK, startHarness, TOKEN, ZONE } from "./helpers/harness.js";

const SPEC_PATH = fileURLToPath(new URL("../contract/cloudflare-ssl-openapi.extract.json", import.meta.url));
const REFRESH_SCRIPT = fileURLToPath(new URL("../scripts/contract-refresh.mjs", import.meta.url));
const REFRESH = "run `npm run contract:refresh` (it reads ../shared/reference/cloudflare-ssl-openapi.json)";
const PEM = readFileSync(new URL("./fixtures/example-com.pem", import.meta.url), "utf8");

type Operation = {
  parameters?: { name: string; in: string; required?: boolean; schema: unknown }[];
  requestBody?: { required?: boolean; content?: { "application/json"?: { schema?: unknown } } };
  responses: Record<
    string,
    { content?: { "application/json"?: { schema?: { $ref?: string; allOf?: { $ref?: string }[] } } } }
  >;
};
type Spec = {
  "x-provenance": Record<string, string>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let spec: Spec;
let ajv: Ajv;

function readContract(): Spec {
  try {
    return JSON.parse(readFileSync(SPEC_PATH, "utf8"));
  } catch (error) {
    throw new Error(`the contract extract ${SPEC_PATH} is missing or malformed (${error}); ${REFRESH}`);
  }
}

beforeAll(() => {
  spec = readContract();
  ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(spec, "openapi");
});

const pointer = (...parts: string[]) =>
  `openapi#/${parts.map((p) => encodeURIComponent(p.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/")}`;

function validatorAt(...parts: string[]): ValidateFunction {
  const ref = pointer(...parts);
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`no schema at ${ref}`);
  return validate;
}

/** The operation a concrete path and method belong to; literal templates win over parameterised ones. */
function operationFor(method: string, path: string) {
  const templates = Object.keys(spec.paths).sort(
    (a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0),
  );
  for (const template of templates) {
    const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    const match = new RegExp(`^${template.replace(/\{\w+\}/g, "([^/]+)")}$`).exec(path);
    const op = spec.paths[template]?.[method.toLowerCase()];
    if (match && op) {
      const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1] as string)]));
      return { template, op, params };
    }
  }
  return undefined;
}

function explain(validate: ValidateFunction): string {
  return ajv.errorsText(validate.errors, { separator: "\n" });
}

function checkRequest(entry: Harness["fake"]["log"][number]) {
  const found = operationFor(entry.method, entry.path);
  expect(found, `${entry.method} ${entry.path} is not an operation of the contract`).toBeDefined();
  if (!found) return;
  const { template, op, params } = found;
  const where = `${entry.method} ${entry.path}`;
  for (const parameter of op.parameters ?? []) {
    const index = op.parameters?.indexOf(parameter) ?? 0;
    const validate = validatorAt(
      "paths",
      template,
      entry.method.toLowerCase(),
      "parameters",
      String(index),
      "schema",
    );
    const raw = parameter.in === "path" ? params[parameter.name] : entry.query[parameter.name];
    if (raw === undefined) {
      expect(parameter.required ?? false, `${where}: ${parameter.name} is required`).toBe(false);
      continue;
    }
    // Query strings carry text; the contract types them.
    const value = parameter.in === "query" && /^\d+$/.test(raw) ? Number(raw) : raw === "true" ? true : raw;
    expect(validate(value), `${where}: ${parameter.name}=${raw}\n${explain(validate)}`).toBe(true);
  }
  const known = new Set((op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name));
  for (const name of Object.keys(entry.query))
    expect(known.has(name), `${where}: unknown query ${name}`).toBe(true);
  const bodySchema = op.requestBody?.content?.["application/json"]?.schema;
  if (op.requestBody?.required) expect(entry.body, `${where}: a body is required`).toBeDefined();
  if (entry.body !== undefined && bodySchema) {
    const validate = validatorAt(
      "paths",
      template,
      entry.method.toLowerCase(),
      "requestBody",
      "content",
      "application/json",
      "schema",
    );
    expect(validate(entry.body), `${where} body ${JSON.stringify(entry.body)}\n${explain(validate)}`).toBe(
      true,
    );
    expect(entry.headers["content-type"]).toBe("application/json");
  }
  if (entry.method === "DELETE") expect(entry.body, "DELETE sends no body, as the SDK does").toBeUndefined();
}

describe("the endpoint table", () => {
  const rows = Object.entries(ENDPOINTS) as [EndpointName, Endpoint][];

  it.each(rows)("%s: its params are its path's, in order", (_, endpoint) => {
    const inPath = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    expect([...endpoint.params]).toEqual(inPath);
  });

  it.each(rows)("%s is an operation of the contract, or says whose API it is", (name, endpoint) => {
    const operation = spec.paths[endpoint.path]?.[endpoint.method.toLowerCase()];
    if (endpoint.outsideContract !== undefined) {
      expect(
        spec.paths[endpoint.path],
        `${name} is in the extract: drop its outsideContract`,
      ).toBeUndefined();
      expect(endpoint.outsideContract).toMatch(/ API/);
      return;
    }
    expect(operation, `${describeEndpoint(name)} is not an operation of the contract`).toBeDefined();
    const declared = (operation?.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
    expect(declared.sort()).toEqual([...endpoint.params].sort());
  });

  it("covers every operation of the contract, each once", () => {
    const inTable = rows.map(([, e]) => `${e.method} ${e.path}`);
    expect(new Set(inTable).size, "two rows name the same endpoint").toBe(inTable.length);
    const inContract = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(inContract.filter((op) => !inTable.includes(op))).toEqual([]);
  });

  it("every endpoint a tool names is served by the sandbox under the same name", () => {
    const named = new Set(TOOLS.map((t) => t.endpoint));
    expect([...named].filter((name) => SANDBOX_ROUTES[name] === undefined)).toEqual([]);
  });

  it("an endpoint the sandbox does not serve answers No route, as an unknown path does", async () => {
    const sandbox = createSandbox({ token: TOKEN });
    const unserved = rows.filter(([name]) => SANDBOX_ROUTES[name] === undefined);
    expect(unserved.map(([name]) => name).sort()).toEqual([
      "listAccounts",
      "verifyAccountToken",
      "verifyUserToken",
    ]);
    for (const [name] of unserved) {
      const { path } = expandEndpoint(name, { account_id: "a".repeat(32) });
      const response = await sandbox.handle(
        new Request(`https://sandbox.test/client/v4${path}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        }),
      );
      expect(response.status, name).toBe(404);
      expect(((await response.json()) as { errors: { code: number }[] }).errors[0]?.code, name).toBe(7000);
    }
  });
});

describe("requests the tools send", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const order = {
    hosts: ["example.com", "*.example.com"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "google",
  };
  const calls: [string, Record<string, unknown>][] = [
    ["list_certificate_packs", { zone_id: ZONE }],
    ["list_certificate_packs", { zone_id: ZONE, status: "all", deploy: "staging", page: 2, per_page: 5 }],
    ["list_certificate_packs", { zone_id: ZONE, status: "all", all_pages: true }],
    ["get_certificate_pack", { zone_id: ZONE, certificate_pack_id: PACK.pending }],
    ["get_certificate_pack_quota", { zone_id: ZONE }],
    ["order_certificate_pack", { zone_id: ZONE, ...order, cloudflare_branding: true }],
    ["restart_certificate_pack_validation", { zone_id: ZONE, certificate_pack_id: PACK.timedOut }],
    [
      "restart_certificate_pack_validation",
      { zone_id: ZONE, certificate_pack_id: PACK.pending, cloudflare_branding: true },
    ],
    ["delete_certificate_pack", { zone_id: ZONE, certificate_pack_id: PACK.expiring }],
    ["get_ssl_verification", { zone_id: ZONE }],
    ["get_ssl_verification", { zone_id: ZONE, retry: true }],
    ["get_ssl_verification", { zone_id: ZONE, retry: false }],
    [
      "update_ssl_verification_method",
      { zone_id: ZONE, certificate_pack_id: PACK.failed, validation_method: "txt" },
    ],
    ["get_universal_ssl_settings", { zone_id: ZONE }],
    ["update_universal_ssl_settings", { zone_id: ZONE, enabled: false }],
    ["update_universal_ssl_settings", { zone_id: ZONE, enabled: true }],
    ["get_automatic_ssl_mode", { zone_id: ZONE }],
    ["set_automatic_ssl_mode", { zone_id: ZONE, value: "custom" }],
    ["get_ssl_recommendation", { zone_id: ZONE }],
    [
      "prioritize_custom_certificates",
      { zone_id: ZONE, certificates: [{ id: CUSTOM_CERT.sni, priority: 3 }] },
    ],
    ["analyze_certificate", { zone_id: ZONE, certificate: PEM }],
    ["triage_certificates", { zone_id: ZONE, horizon_days: 60, hosts: ["example.com"] }],
  ];

  it.each(calls)("%s %j conforms to the contract", async (tool, args) => {
    const before = h.fake.log.length;
    const result = await h.callApproved(tool, args);
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const sent = h.fake.log.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    for (const entry of sent) checkRequest(entry);
  });
});

describe("answers the fake gives", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${h.fake.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  function checkAnswer(method: string, path: string, status: number, json: unknown) {
    const found = operationFor(method, path.split("?")[0] as string);
    expect(found).toBeDefined();
    if (!found) return;
    const verb = method.toLowerCase();
    if (status === 200) {
      const validate = validatorAt(
        "paths",
        found.template,
        verb,
        "responses",
        "200",
        "content",
        "application/json",
        "schema",
      );
      expect(
        validate(json),
        `${method} ${path} -> ${JSON.stringify(json).slice(0, 300)}\n${explain(validate)}`,
      ).toBe(true);
      return;
    }
    // The 4XX schemas combine the success shape (success: true) with the failure shape (success: false), which
    // nothing can satisfy; the failure member alone is the contract for an error body.
    const fourxx = found.op.responses["4XX"]?.content?.["application/json"]?.schema;
    const failureRef = fourxx?.$ref ?? fourxx?.allOf?.find((s) => s.$ref?.endsWith("common-failure"))?.$ref;
    expect(failureRef, `${found.template} has a failure schema`).toBeDefined();
    const validate = ajv.getSchema(`openapi${failureRef}`) as ValidateFunction;
    expect(
      validate(json),
      `${method} ${path} -> ${status} ${JSON.stringify(json)}\n${explain(validate)}`,
    ).toBe(true);
  }

  const z = `/zones/${ZONE}`;
  const cases: [string, string, unknown?][] = [
    ["GET", `${z}/ssl/certificate_packs`],
    ["GET", `${z}/ssl/certificate_packs?status=all&per_page=50`],
    ["GET", `${z}/ssl/certificate_packs?status=all&page=9`],
    ["GET", `${z}/ssl/certificate_packs?per_page=4`],
    ["GET", `${z}/ssl/certificate_packs/${PACK.pending}`],
    ["GET", `${z}/ssl/certificate_packs/${PACK.failed}`],
    ["GET", `${z}/ssl/certificate_packs/${PACK.sni}`],
    ["GET", `${z}/ssl/certificate_packs/nope`],
    ["GET", `${z}/ssl/certificate_packs/quota`],
    ["GET", `/zones/${FREE_ZONE}/ssl/certificate_packs/quota`],
    [
      "POST",
      `${z}/ssl/certificate_packs/order`,
      {
        type: "advanced",
        hosts: ["example.com", "x.example.com"],
        validation_method: "http",
        validity_days: 30,
        certificate_authority: "google",
      },
    ],
    [
      "POST",
      `${z}/ssl/certificate_packs/order`,
      {
        type: "advanced",
        hosts: ["example.com"],
        validation_method: "email",
        validity_days: 365,
        certificate_authority: "ssl_com",
      },
    ],
    [
      "POST",
      `${z}/ssl/certificate_packs/order`,
      {
        type: "advanced",
        hosts: ["other.org"],
        validation_method: "txt",
        validity_days: 30,
        certificate_authority: "lets_encrypt",
      },
    ],
    [
      "POST",
      `/zones/${FREE_ZONE}/ssl/certificate_packs/order`,
      {
        type: "advanced",
        hosts: ["example.net"],
        validation_method: "txt",
        validity_days: 90,
        certificate_authority: "google",
      },
    ],
    ["PATCH", `${z}/ssl/certificate_packs/${PACK.timedOut}`, {}],
    ["PATCH", `${z}/ssl/certificate_packs/${PACK.pending}`, {}],
    ["PATCH", `${z}/ssl/certificate_packs/${PACK.pending}`, { cloudflare_branding: true }],
    ["DELETE", `${z}/ssl/certificate_packs/${PACK.expiring}`],
    ["DELETE", `${z}/ssl/certificate_packs/${PACK.universal}`],
    ["GET", `${z}/ssl/verification`],
    ["GET", `${z}/ssl/verification?retry=true`],
    ["PATCH", `${z}/ssl/verification/${PACK.pending}`, { validation_method: "cname" }],
    ["PATCH", `${z}/ssl/verification/${PACK.universal}`, { validation_method: "txt" }],
    ["GET", `${z}/ssl/universal/settings`],
    ["PATCH", `${z}/ssl/universal/settings`, { enabled: false }],
    ["PATCH", `${z}/ssl/universal/settings`, { enabled: true }],
    ["GET", `${z}/settings/ssl_automatic_mode`],
    ["PATCH", `${z}/settings/ssl_automatic_mode`, { value: "custom" }],
    ["PATCH", `${z}/settings/ssl_automatic_mode`, { value: "strict" }],
    ["GET", `${z}/ssl/recommendation`],
    [
      "PUT",
      `${z}/custom_certificates/prioritize`,
      { certificates: [{ id: CUSTOM_CERT.legacy, priority: 4 }] },
    ],
    ["PUT", `${z}/custom_certificates/prioritize`, { certificates: [{ id: "0123", priority: 4 }] }],
    ["POST", `${z}/ssl/analyze`, { certificate: PEM, bundle_method: "force" }],
    [
      "POST",
      `${z}/ssl/analyze`,
      { certificate: "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----" },
    ],
  ];

  it.each(cases)("%s %s conforms to the contract", async (method, path, body) => {
    const { status, json } = await raw(method, path, body);
    checkAnswer(method, path, status, json);
  });

  it("errors for auth and routing conform too", async () => {
    for (const [headers, code] of [
      [{ authorization: "" }, 9106],
      [{ authorization: "Bearer wrong" }, 9109],
      [{ authorization: "Token x" }, 6003],
    ] as const) {
      const { status, json } = await raw(
        "GET",
        `${ZONE ? `/zones/${ZONE}` : ""}/ssl/universal/settings`,
        undefined,
        headers,
      );
      expect(status).toBeGreaterThanOrEqual(400);
      expect((json.errors as { code: number }[])[0]?.code).toBe(code);
      checkAnswer("GET", `/zones/${ZONE}/ssl/universal/settings`, status, json);
    }
    const bad = await raw("GET", "/zones/not-a-zone/ssl/universal/settings");
    expect(bad.status).toBe(400);
    expect((bad.json.errors as { code: number }[]).map((e) => e.code)).toEqual([7003, 7000]);
    checkAnswer("GET", "/zones/x/ssl/universal/settings", bad.status, bad.json);
  });
});

describe("the contract extract", () => {
  const PROSE = ["description", "summary", "example", "examples"];
  const NAME_MAPS = new Set(["properties", "paths", "responses", "content", "schemas"]);

  /** Keys used as keywords (not as property, path or component names) anywhere in the extract. */
  function keywords(node: unknown, parent = "", found = new Set<string>()): Set<string> {
    if (Array.isArray(node)) for (const item of node) keywords(item, parent, found);
    else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (!NAME_MAPS.has(parent)) found.add(key);
        keywords(value, key, found);
      }
    }
    return found;
  }

  it("holds the 15 operations, schemas only, with where they come from", () => {
    const operations = Object.values(spec.paths).flatMap((item) => Object.keys(item));
    expect(operations.length, `the extract has ${operations.length} operations; ${REFRESH}`).toBe(15);
    const prose = PROSE.filter((key) => keywords(spec).has(key));
    expect(prose, `the extract carries prose; ${REFRESH}`).toEqual([]);
    const provenance = spec["x-provenance"];
    expect(provenance, `the extract has no x-provenance; ${REFRESH}`).toMatchObject({
      source: "cloudflare-ssl-openapi.json",
      version: expect.any(String),
      extracted_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const refs = [...JSON.stringify(spec).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    const dangling = refs.filter((name) => !(name in spec.components.schemas));
    expect(dangling, `the extract refers to schemas it lacks; ${REFRESH}`).toEqual([]);
  });

  const check = (env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [REFRESH_SCRIPT, "--check"], {
      encoding: "utf8",
      env: { ...process.env, ...env },
      timeout: 15_000,
    });

  it("is current with the full document where it sits beside the clone (npm run contract:refresh rewrites it)", () => {
    const result = check();
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  });

  it("a stale extract fails the check with the command that regenerates it", () => {
    // Any other source stands for a changed document: here, the extract itself read as the full document.
    const dir = mkdtempSync(join(tmpdir(), "contract-"));
    try {
      const changed = join(dir, "cloudflare-ssl-openapi.json");
      writeFileSync(changed, readFileSync(SPEC_PATH));
      const result = check({ CONTRACT_SOURCE: changed });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/is stale: .* Run `npm run contract:refresh` and commit the result/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
