// What the OAuth tests take from the pool's "cloudflare:test" module: an execution context for calling a
// Worker's fetch directly, as the runtime would (the OAuth provider hangs a grant's props on it).
declare module "cloudflare:test" {
  export interface TestExecutionContext {
    waitUntil(promise: Promise<unknown>): void;
    passThroughOnException(): void;
  }
  export function createExecutionContext(): TestExecutionContext;
  export function waitOnExecutionContext(ctx: TestExecutionContext): Promise<void>;
}
