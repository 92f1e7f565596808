// Builds a benchmark (TypeScript, importing the project's sources) into bench/.out and runs it with node.
// Usage: node bench/run.mjs [suite|soak] [args...]
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { build } from "esbuild";

const [which = "suite", ...args] = process.argv.slice(2);
mkdirSync("bench/.out", { recursive: true });
copyFileSync("package.json", "bench/.out/package.json");
spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
await build({
  entryPoints: [`bench/${which}.ts`],
  outfile: `bench/.out/${which}.mjs`,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
const result = spawnSync(process.execPath, ["--expose-gc", `bench/.out/${which}.mjs`, ...args], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
