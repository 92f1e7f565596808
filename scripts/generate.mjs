// Writes every generated file from the code (the tool listing the server serves, its token snapshot, the
// MCPB manifest's tool list, docs/configuration.md, docs/tools.md, docs/triage-rules.md); the list is in
// scripts/generate/files.ts. Writes only what changed, so on a clean checkout it changes nothing.
//
//   node scripts/generate.mjs                 write the generated files
//   node scripts/generate.mjs --check         exit 1, naming each stale file, instead of writing
//   node scripts/generate.mjs --root <dir>    work on a copy of the repository's files at <dir>
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "./load-ts.mjs";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const check = args.includes("--check");
const rootAt = args.indexOf("--root");
const root = rootAt === -1 ? REPO : resolve(args[rootAt + 1] ?? "");

const { generatedFiles } = await importTs(REPO, "scripts/generate/files.ts");
const read = (path) => (existsSync(join(root, path)) ? readFileSync(join(root, path), "utf8") : undefined);
const files = await generatedFiles((path) => {
  const text = read(path);
  if (text === undefined)
    throw new Error(`${path} is missing: it is partly hand-written, so restore it from git`);
  return text;
});
const stale = files.filter((file) => read(file.path) !== file.text);
if (check) {
  if (stale.length > 0) {
    console.error(
      `stale: ${stale.map((f) => f.path).join(", ")}. Run \`npm run generate\` and commit the result.`,
    );
    process.exitCode = 1;
  }
} else {
  for (const file of stale) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.text);
    console.log(`wrote ${file.path}`);
  }
}
