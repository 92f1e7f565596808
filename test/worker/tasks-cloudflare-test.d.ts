// What the task tests take from the pool's "cloudflare:test" module: running a Durable Object's alarm now, and
// reading its storage from inside it.
declare module "cloudflare:test" {
  export interface TaskObjectStub {
    fetch(request: Request): Promise<Response>;
  }
  export function runDurableObjectAlarm(stub: TaskObjectStub): Promise<boolean>;
  export function runInDurableObject<R>(
    stub: TaskObjectStub,
    callback: (
      instance: unknown,
      state: { storage: { list(): Promise<Map<string, unknown>> } },
    ) => R | Promise<R>,
  ): Promise<R>;
}
