// Bundles the server into one file: loading one module is several times faster than resolving the SDK's
// many modules at start-up (see BENCHMARKS.md), and it is what `bin` and `npx` run.
import { chmod, mkdir, rename, writeFile } from "node:fs/promises";
import { build } from "esbuild";

// The server validates elicitation answers with zod (src/core/schema-validator.ts), so the SDK's default
// JSON Schema validator (ajv on Node) is never used; leaving it out saves loading ajv at every start. The
// SDK reaches it through its runtime shims, which here give Node's `process` and a validator that says so
// loudly should anything ever call it.
export const withoutAjv = {
  name: "without-ajv",
  setup(build) {
    build.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({
      path: "server-shims",
      namespace: "without-ajv",
    }));
    build.onLoad({ filter: /.*/, namespace: "without-ajv" }, () => ({
      contents: [
        'import process from "node:process";',
        "export { process };",
        'export class DefaultJsonSchemaValidator { getValidator() { throw new Error("ajv is not bundled: pass jsonSchemaValidator to the Server"); } }',
      ].join("\n"),
      loader: "js",
    }));
  },
};

const OUT = "dist/cli.js";
const { outputFiles } = await build({
  entryPoints: ["src/cli.ts"],
  outfile: OUT,
  write: false,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Minified, the bundle is about half the size and parses measurably faster at start-up (BENCHMARKS.md);
  // names are kept so that a stack trace still reads.
  minify: true,
  keepNames: true,
  plugins: [withoutAjv],
  legalComments: "none",
  logLevel: "warning",
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __cjsRequire } from "node:module";\nconst require = __cjsRequire(import.meta.url);',
  },
});
// Written aside and renamed into place: a server spawned while a build runs (tests build in parallel with
// servers they start) reads the old file or the new one, never half of one.
const [output] = outputFiles;
const aside = `${OUT}.${process.pid}.tmp`;
await mkdir("dist", { recursive: true });
await writeFile(aside, output.contents);
await chmod(aside, 0o755);
await rename(aside, OUT);
