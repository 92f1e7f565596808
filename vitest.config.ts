import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { fetch, type Request, type Response } from "miniflare";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/;

function sealedOutbound(request: Request): Promise<Response> {
  const { hostname } = new URL(request.url);
  if (!LOOPBACK.test(hostname)) {
    throw new Error(`network sealed in tests: refused to connect to ${hostname}`);
  }
  return fetch(request);
}

/**
 * Loads a dependency without its source map when the map names sources the package does not ship (the 1.x MCP
 * SDK maps to a src/ it leaves out). Such a map cannot help a stack trace, and Vite warns about each one.
 */
function withoutDanglingSourceMaps(): Plugin {
  return {
    name: "without-dangling-source-maps",
    enforce: "pre",
    load(id) {
      const file = id.split("?")[0] as string;
      if (!file.includes("/node_modules/") || !/\.m?js$/.test(file) || !existsSync(file)) return null;
      const code = readFileSync(file, "utf8");
      const link = /\n\/\/# sourceMappingURL=(?!data:)(\S+)\s*$/.exec(code);
      if (!link) return null;
      const mapFile = resolve(dirname(file), link[1] as string);
      if (!existsSync(mapFile)) return { code: code.slice(0, link.index), map: null };
      const map = JSON.parse(readFileSync(mapFile, "utf8")) as { sources?: string[]; sourceRoot?: string };
      const root = resolve(dirname(mapFile), map.sourceRoot ?? "");
      const dangling = (map.sources ?? []).some((source) => !existsSync(resolve(root, source)));
      return dangling ? { code: code.slice(0, link.index), map: null } : null;
    },
  };
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          exclude: ["test/worker/**"],
          setupFiles: ["test/helpers/seal-network.ts"],
          globalSetup: ["test/helpers/build-once.ts"],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        // Runs inside workerd, next to the Worker from wrangler.jsonc in the same isolate, so a test can
        // replace globalThis.fetch and see every call the Worker makes.
        plugins: [
          withoutDanglingSourceMaps(),
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            remoteBindings: false,
            miniflare: {
              // The seal of test/helpers/seal-network.ts, for workerd: only loopback may be dialled.
              outboundService: sealedOutbound,
            },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/worker/**/*.test.ts"],
          globalSetup: ["test/helpers/quiet-pool-teardown.ts"],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
    ],
  },
});
