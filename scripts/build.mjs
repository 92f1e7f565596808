// Bundles the server into one file: loading one module is several times faster than resolving the SDK's
// many modules at start-up (see BENCHMARKS.md), and it is what `bin` and `npx` run.
import { chmod } from "node:fs/promises";
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli.ts"],
  outfile: "dist/cli.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minifySyntax: true,
  legalComments: "none",
  logLevel: "warning",
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __cjsRequire } from "node:module";\nconst require = __cjsRequire(import.meta.url);',
  },
});
await chmod("dist/cli.js", 0o755);
