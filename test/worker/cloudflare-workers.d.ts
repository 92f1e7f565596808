// What the Worker tests take from workerd's "cloudflare:workers" module. The runtime's full type package
// declares its own fetch, Request and Response globals, which clash with Node's in this project's one
// tsconfig, so only these two are typed here.
declare module "cloudflare:workers" {
  import type { WorkerEnv } from "../../src/entries/worker.js";

  /** The vars of wrangler.jsonc, as the Worker under test sees them. */
  export const env: WorkerEnv;
  /** The Worker's own exports; a fetch through `exports.default` runs its handler in this isolate. */
  export const exports: {
    default: { fetch(input: string | Request, init?: RequestInit): Promise<Response> };
  };
}
