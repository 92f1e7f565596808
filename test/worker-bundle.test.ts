// The Worker as `wrangler deploy` bundles it (one minified module, no code splitting) evaluates its top level
// without throwing. The workers test pool bundles differently, so a module-order fault of the real bundle
// (a lazily imported part sharing a library with the eager part) shows only here or once deployed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
/** As scripts/wrangler-local.mjs runs wrangler: no metrics, no update check, no account credentials. */
const QUIET = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};
// The one import the bundle keeps, `cloudflare:workers`, stood in for by empty classes.
const LOADER = `export async function resolve(specifier, context, next) {
  if (specifier !== "cloudflare:workers") return next(specifier, context);
  return { shortCircuit: true, url: "data:text/javascript,export class WorkerEntrypoint {} export class DurableObject {} export const env = {};" };
}`;

const dir = mkdtempSync(join(tmpdir(), "worker-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the Worker bundle wrangler deploys", () => {
  it("loads, exporting the Worker", () => {
    const { CLOUDFLARE_API_TOKEN: _, CLOUDFLARE_API_KEY: __, CLOUDFLARE_EMAIL: ___, ...env } = process.env;
    const built = spawnSync(
      process.execPath,
      [WRANGLER, "deploy", "--dry-run", "--outdir", join(dir, "out")],
      {
        cwd: ROOT,
        env: { ...env, ...QUIET },
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    expect(built.status, `${built.stdout}${built.stderr}`).toBe(0);
    writeFileSync(join(dir, "loader.mjs"), LOADER);
    writeFileSync(
      join(dir, "register.mjs"),
      `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(dir, "loader.mjs")).href)});\n`,
    );
    const worker = pathToFileURL(join(dir, "out", "worker.js")).href;
    const loaded = spawnSync(
      process.execPath,
      [
        "--import",
        pathToFileURL(join(dir, "register.mjs")).href,
        "--input-type=module",
        "-e",
        `const m = await import(${JSON.stringify(worker)}); console.log(Object.keys(m).sort().join(","));`,
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(loaded.stderr.split("\n").filter((line) => /Error|at /.test(line))).toEqual([]);
    // The Worker, and every Durable Object class wrangler.jsonc binds (the runtime finds them among the exports).
    const classes = [
      ...readFileSync(join(ROOT, "wrangler.jsonc"), "utf8").matchAll(/"class_name":\s*"(\w+)"/g),
    ];
    const expected = ["createWorker", "default", ...classes.map((m) => m[1] as string)].sort();
    expect(classes.length, "wrangler.jsonc binds no Durable Object class").toBeGreaterThan(0);
    expect(loaded.stdout.trim()).toBe(expected.join(","));
  });
});
