import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/helpers/seal-network.ts"],
    globalSetup: ["test/helpers/build-once.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
