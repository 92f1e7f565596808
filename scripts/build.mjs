// Bundles the server: loading one module is several times faster than resolving the SDK's many modules at
// start-up (see BENCHMARKS.md), and it is what `bin` and `npx` run.
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { build } from "esbuild";
import { writeDashboard } from "./build-view.mjs";
import { importTs } from "./load-ts.mjs";

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

// tools/list serves the generated listing while calls validate with the specs' zod schemas: built from specs
// the listing no longer matches, the server would advertise one contract and enforce another. The build stops
// and names the fix rather than regenerate, so that building never changes a committed file.
const { listingFile } = await importTs(resolve("."), "scripts/generate/files.ts");
const listing = listingFile();
if ((await readFile(listing.path, "utf8").catch(() => "")) !== listing.text) {
  console.error(
    `${listing.path} is stale: the tool specs changed since it was generated. Run \`npm run generate\` and commit the result.`,
  );
  process.exit(1);
}
// --- The certificate dashboard (MCP App) ---------------------------------------------------------------
// Built first: the server bundles its HTML (src/view/generated-page.json) like any other module.
await writeDashboard();
// --- end of the dashboard step ------------------------------------------------------------------------

// Two parts. The bundle, as ES modules in dist/chunks: entries/main.ts with what a stdio server needs, and the
// HTTP server, the sandbox and undici (half of the code, needed only for a first request) as chunks loaded when
// used. The bin, dist/cli.js: a small CommonJS file (dist/package.json says so) that answers a stdio session's
// opening itself and loads the bundle after it; CommonJS because the ES module loader alone costs a few
// milliseconds of every start (see BENCHMARKS.md).
const ROOT = resolve("dist");
const CHUNKS = join(ROOT, "chunks");
const shared = {
  bundle: true,
  platform: "node",
  target: "node20",
  // Minified, the bundle is about half the size and parses measurably faster at start-up (BENCHMARKS.md).
  // Names are not kept: keeping them wraps every function and class the code makes in a call that renames it,
  // at run time, for each closure of each request (about a tenth of a tools/call's CPU over HTTP), and
  // nothing reads a function's name or a stack trace.
  minify: true,
  keepNames: false,
  legalComments: "none",
  logLevel: "warning",
  write: false,
};
const { outputFiles } = await build({
  ...shared,
  entryPoints: { main: "src/entries/main.ts" },
  outdir: CHUNKS,
  entryNames: "[name]-[hash]",
  chunkNames: "[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  splitting: true,
  format: "esm",
  plugins: [withoutAjv],
  banner: {
    js: 'import { createRequire as __cjsRequire } from "node:module";\nconst require = __cjsRequire(import.meta.url);',
  },
});
// The bin holds the generated tool listing. As a JSON string that JSON.parse reads it loads faster than as the
// object literal esbuild would write: V8 scans a string and parses JSON several times faster than JavaScript.
const jsonAsString = {
  name: "json-as-string",
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, async ({ path }) => ({
      contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(await readFile(path, "utf8"))))});`,
      loader: "js",
    }));
  },
};
const main = outputFiles.find((file) => /[\\/]main-[\w-]+\.mjs$/.test(file.path));
const bin = await build({
  ...shared,
  entryPoints: ["src/cli.ts"],
  outfile: join(ROOT, "cli.js"),
  format: "cjs",
  plugins: [jsonAsString],
  define: { MAIN_MODULE: JSON.stringify(`./chunks/${basename(main.path)}`) },
});
// Chunks are named by their content, so they are written first, beside any older ones; the bin is written
// aside and renamed into place last: a server spawned while a build runs (tests build in parallel with
// servers they start) loads the old build or the new one, never half of one. Chunks no build uses go last.
const BIN = join(ROOT, "cli.js");
await mkdir(CHUNKS, { recursive: true });
await writeFile(join(ROOT, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
const current = new Set();
for (const file of outputFiles) {
  current.add(file.path);
  await writeFile(file.path, file.contents);
}
const aside = `${BIN}.${process.pid}.tmp`;
await writeFile(aside, `#!/usr/bin/env node\n${bin.outputFiles[0].text}`);
await chmod(aside, 0o755);
await rename(aside, BIN);
for (const name of await readdir(CHUNKS)) {
  const path = join(CHUNKS, name);
  if (!current.has(path)) await rm(path, { force: true });
}
