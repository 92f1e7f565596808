// Renews the screenshots in docs/images (the dashboard and the Worker's landing page, light and dark) with
// the system's Chromium (apt-get install chromium). Needs a build first: `npm run screenshots` does both.
// The harness is TypeScript shared with the browser tests, so it is bundled here and run from a file beside
// the test it came from, where it finds the repository's dist/ and node_modules as the tests do.
import { mkdir, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

await mkdir(new URL("../docs/images/", import.meta.url), { recursive: true });
const out = fileURLToPath(new URL(`../test/helpers/.screenshots-${process.pid}.mjs`, import.meta.url));
try {
  await build({
    entryPoints: [new URL("../test/browser/screenshots.ts", import.meta.url).pathname],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  const { takeScreenshots } = await import(out);
  for (const path of await takeScreenshots()) console.log(`wrote ${path}`);
} finally {
  await rm(out, { force: true });
}
