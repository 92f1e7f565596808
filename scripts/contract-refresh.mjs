// Regenerates contract/cloudflare-ssl-openapi.extract.json, the schema-only part of the official OpenAPI
// document that test/contract.test.ts checks requests and answers against. The full document lives outside the
// repository (../shared/reference/ beside the clone, or CONTRACT_SOURCE); this script is the only code that
// reads it, so a plain clone tests against the extract alone.
//
//   node scripts/contract-refresh.mjs          rewrite the extract from the source
//   node scripts/contract-refresh.mjs --check  exit 1 if the extract differs from what the source gives
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOURCE = resolve(
  ROOT,
  process.env.CONTRACT_SOURCE ?? "../shared/reference/cloudflare-ssl-openapi.json",
);
const EXTRACT = resolve(ROOT, "contract/cloudflare-ssl-openapi.extract.json");
const REFRESH = "npm run contract:refresh";

// Prose and vendor extensions say nothing a validator uses.
const PROSE = new Set(["description", "summary", "example", "examples", "title", "externalDocs"]);
// Keys whose values are maps of names to schemas: the names are data, never keywords to drop.
const NAME_MAPS = new Set(["properties", "patternProperties", "definitions", "$defs"]);

function schemaOnly(node) {
  if (Array.isArray(node)) return node.map(schemaOnly);
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (PROSE.has(key) || key.startsWith("x-")) continue;
    out[key] = NAME_MAPS.has(key)
      ? Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, schemaOnly(inner)]))
      : schemaOnly(value);
  }
  return out;
}

const jsonSchemaOf = (holder) => holder?.content?.["application/json"]?.schema;

function operationOnly(op) {
  const out = {};
  if (op.operationId) out.operationId = op.operationId;
  if (op.deprecated) out.deprecated = true;
  if (op.parameters) {
    out.parameters = op.parameters.map(({ name, in: where, required, schema }) => ({
      name,
      in: where,
      ...(required === undefined ? {} : { required }),
      schema: schemaOnly(schema),
    }));
  }
  const body = jsonSchemaOf(op.requestBody);
  if (body) {
    out.requestBody = {
      ...(op.requestBody.required === undefined ? {} : { required: op.requestBody.required }),
      content: { "application/json": { schema: schemaOnly(body) } },
    };
  }
  out.responses = {};
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    const schema = jsonSchemaOf(response);
    out.responses[status] = schema ? { content: { "application/json": { schema: schemaOnly(schema) } } } : {};
  }
  return out;
}

/** The component schemas reachable from `root`, following $refs through the source's components. */
function referencedSchemas(root, components) {
  const kept = {};
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        const name = /^#\/components\/schemas\/(.+)$/.exec(value)?.[1];
        if (!name) throw new Error(`unsupported $ref ${value}: only #/components/schemas/… is followed`);
        if (name in kept) continue;
        const schema = components[name];
        if (!schema) throw new Error(`$ref ${value} points at nothing in the source`);
        kept[name] = schemaOnly(schema);
        visit(kept[name]);
      } else visit(value);
    }
  };
  visit(root);
  return Object.fromEntries(Object.entries(kept).sort(([a], [b]) => a.localeCompare(b)));
}

function extract(sourceText, sourceName) {
  const source = JSON.parse(sourceText);
  const paths = {};
  for (const [path, item] of Object.entries(source.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!["get", "put", "post", "patch", "delete"].includes(method)) continue;
      paths[path] ??= {};
      paths[path][method] = operationOnly(op);
    }
  }
  return {
    "x-provenance": {
      source: sourceName,
      title: source.info?.title,
      version: source.info?.version,
      extracted_on: source.info?.["x-extracted-on"],
      sha256: createHash("sha256").update(sourceText).digest("hex"),
      regenerate: REFRESH,
    },
    openapi: source.openapi,
    paths,
    components: { schemas: referencedSchemas(paths, source.components?.schemas ?? {}) },
  };
}

const render = (value) => `${JSON.stringify(value, null, 2)}\n`;

function main() {
  const check = process.argv.includes("--check");
  const shown = relative(ROOT, SOURCE);
  if (!existsSync(SOURCE)) {
    if (check) {
      console.log(`no ${shown} beside the clone: the committed extract stands as the contract`);
      return 0;
    }
    console.error(`cannot refresh: ${shown} does not exist; put it there or set CONTRACT_SOURCE to its path`);
    return 1;
  }
  const fresh = render(extract(readFileSync(SOURCE, "utf8"), basename(SOURCE)));
  const current = existsSync(EXTRACT) ? readFileSync(EXTRACT, "utf8") : "";
  if (check) {
    if (current === fresh) {
      console.log(`${relative(ROOT, EXTRACT)} is current with ${shown}`);
      return 0;
    }
    console.error(
      `${relative(ROOT, EXTRACT)} is stale: ${shown} (or the extraction) changed since it was written. Run \`${REFRESH}\` and commit the result.`,
    );
    return 1;
  }
  writeFileSync(EXTRACT, fresh);
  const count = Object.values(JSON.parse(fresh).paths).flatMap(Object.keys).length;
  console.log(`wrote ${relative(ROOT, EXTRACT)}: ${count} operations from ${shown}`);
  return 0;
}

process.exitCode = main();
