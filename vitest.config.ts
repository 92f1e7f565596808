import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { fetch, type Request, type Response } from "miniflare";
import { defineConfig } from "vitest/config";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/;

function sealedOutbound(request: Request): Promise<Response> {
  const { hostname } = new URL(request.url);
  if (!LOOPBACK.test(hostname)) {
    throw new Error(`network sealed in tests: refused to connect to ${hostname}`);
  }
  return fetch(request);
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
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
    ],
  },
});
