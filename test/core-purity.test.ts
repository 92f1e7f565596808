// The core runs on Node, in Cloudflare Workers, anywhere with fetch: no module outside the entries (the
// two Node-only senders of bytes, and the Worker's OAuth wrapper) may import a Node built-in or undici, or use
// Buffer or process. This bundles the core for a neutral platform with every Node built-in refused.
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const SRC = new URL("../src/", import.meta.url).pathname;
/** The files allowed to touch a runtime: the entries, the bin, Node's senders of bytes, the Worker's OAuth. */
const RUNTIME_ONLY = [
  /^entries\//,
  /^cli\.ts$/,
  /^client\/send-undici\.ts$/,
  /^sandbox\/node\.ts$/,
  /^oauth\//,
];

const coreFiles = readdirSync(SRC, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .filter((f) => !RUNTIME_ONLY.some((pattern) => pattern.test(f)));
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe("the core", () => {
  it("holds every module but the entries and the Node senders", () => {
    expect(coreFiles).toContain("core/server.ts");
    expect(coreFiles).toContain("core/http-app.ts");
    expect(coreFiles).toContain("client/cloudflare.ts");
    expect(coreFiles).toContain("sandbox/handler.ts");
    // Nested folders and the files every runtime shares: the HTTP pipeline, the endpoint table, the switch
    // grammar, the Worker's settings column, the spent-approval store and the credential cache; what the
    // server declares (read by the SDK server and the stdio front), the tasks extension, the dashboard's
    // resource, fleet triage and its continuation, waiting for a pack, and the dashboard's browser code.
    for (const shared of [
      "core/http/body.ts",
      "core/http/host.ts",
      "core/http/routes.ts",
      "core/spent-nonces.ts",
      "core/credential-cache.ts",
      "core/one-line-errors.ts",
      "core/advertised.ts",
      "core/tasks.ts",
      "core/task-calls.ts",
      "core/dashboard.ts",
      "client/endpoints.ts",
      "config/boolean.ts",
      "config/worker-env.ts",
      "tools/triage-fleet.ts",
      "tools/pack-wait.ts",
      "tools/dashboard-link.ts",
      "triage/fleet.ts",
      "triage/continuation.ts",
      "triage/rules/expiry.ts",
      "view/app.ts",
      "view/bridge.ts",
    ])
      expect(coreFiles).toContain(shared);
    expect(coreFiles.some((f) => f.startsWith("entries/"))).toBe(false);
  });

  it("bundles for a neutral platform with no Node built-in and no undici, dependencies included", async () => {
    const result = await build({
      entryPoints: coreFiles.map((f) => join(SRC, f)),
      bundle: true,
      write: false,
      outdir: "out",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser", "import"],
      mainFields: ["module", "main"],
      format: "esm",
      logLevel: "silent",
      plugins: [
        {
          name: "no-node",
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) =>
              args.path.startsWith("node:") || builtins.has(args.path) || /^undici(\/|$)/.test(args.path)
                ? { errors: [{ text: `${relative(SRC, args.importer)} imports ${args.path}` }] }
                : undefined,
            );
          },
        },
      ],
    });
    expect(result.errors.map((e) => e.text)).toEqual([]);
  }, 60_000);

  it("uses neither Buffer nor process in its own code", () => {
    for (const file of coreFiles) {
      const code = readFileSync(join(SRC, file), "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
      // Uses, not words: `process.env`, `process[...]`, `Buffer.from(...)`, `new Buffer(...)`, `: Buffer`.
      expect(code, file).not.toMatch(/\bprocess\s*[.[]|\bBuffer\s*[.(<]|new\s+Buffer\b|:\s*Buffer\b/);
    }
  });
});
