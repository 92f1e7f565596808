// The Worker as `wrangler deploy` bundles it (one minified module, no code splitting) evaluates its top level
// without throwing. The workers test pool bundles differently, so a module-order fault of the real bundle
// (a lazily imported part sharing a library with the eager part) shows only here or once deployed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
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

const SRC = join(ROOT, "src");
/** Value imports and re-exports of a relative path: what a bundle evaluates before the importer itself. */
const STATIC_IMPORT =
  /^\s*(?:import|export)(?!\s+type\b)[^"';]*?from\s+["'](\.[^"']+)["']|^\s*import\s+["'](\.[^"']+)["']/gm;

/** The src/ files `file` imports statically (relative to src/). */
function staticImports(file: string): string[] {
  const code = readFileSync(join(SRC, file), "utf8");
  return [...code.matchAll(STATIC_IMPORT)].map(([, from, bare]) =>
    relative(SRC, resolve(dirname(join(SRC, file)), (from ?? bare) as string)).replace(/\.js$/, ".ts"),
  );
}

/** Every src/ file the Worker's start evaluates: its entry and what that imports statically, transitively. */
function evaluatedAtStart(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const target of staticImports(file)) visit(target);
  };
  visit(entry);
  return seen;
}

describe("what the Worker evaluates when an isolate starts", () => {
  it("no tool spec: their zod schemas are built with the first tool call, by the registry's dynamic import", () => {
    const eager = evaluatedAtStart("entries/worker.ts");
    // The walk itself reaches the shared app and the consent page, so an empty answer below means something.
    expect(eager).toContain("core/server.ts");
    expect(eager).toContain("oauth/authorize.ts");
    const specFiles = ["tools/registry.ts", ...staticImports("tools/registry.ts")];
    expect(specFiles).toContain("tools/certificate-packs.ts");
    expect(specFiles.filter((file) => eager.has(file))).toEqual([]);
  });

  it("src/ reaches zod through the entry the MCP SDK imports", () => {
    // In a one-file bundle the dynamically imported registry and everything it imports, zod included, run
    // lazily (esbuild's __esm wrappers), and an eager importer calls a wrapper's init first. The SDK imports
    // "zod/v4", a side-effect-free re-export module: outside the lazy part, esbuild drops it and binds the
    // SDK straight to zod's wrapped modules without their init, so the SDK's first z.lazy() at the isolate's
    // start throws "is not a constructor". When src/ imports "zod/v4" too, that module is itself lazy and
    // the SDK calls its init.
    const sdk = readFileSync(
      join(ROOT, "node_modules/@modelcontextprotocol/server/dist", sdkChunkWithZod()),
      "utf8",
    );
    expect(sdk).toMatch(/from "zod\/v4"/);
    const elsewhere: string[] = [];
    for (const file of readdirSync(SRC, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts")) continue;
      for (const [, from] of readFileSync(join(SRC, file), "utf8").matchAll(/from\s+["'](zod[^"']*)["']/g))
        if (from !== "zod/v4") elsewhere.push(`${file}: ${from}`);
    }
    expect(elsewhere).toEqual([]);
  });
});

function sdkChunkWithZod(): string {
  const dist = join(ROOT, "node_modules/@modelcontextprotocol/server/dist");
  const found = readdirSync(dist).find(
    (file) => file.endsWith(".mjs") && /from "zod/.test(readFileSync(join(dist, file), "utf8")),
  );
  if (!found) throw new Error("no chunk of @modelcontextprotocol/server imports zod");
  return found;
}
