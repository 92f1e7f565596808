// Imports a TypeScript module of this repository from a plain Node script: esbuild bundles it (the project's
// sources included, packages left to node_modules) into node_modules/.cache, where Node imports it and its
// packages resolve as they do for the sources. One file per process, removed after the import, so builds
// that run side by side never read each other's half-written bundle.
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

export async function importTs(root, entry) {
  const dir = join(root, "node_modules", ".cache", "cloudflare-ssl-mcp");
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `${entry.replace(/\W+/g, "-")}-${process.pid}.mjs`);
  await build({
    entryPoints: [resolve(root, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(outfile, { force: true });
  }
}
