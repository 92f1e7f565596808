// The Node sender: one undici keep-alive pool per process, shared by every caller's requests (credentials are
// per request headers, never per connection). undici loads with the first request: it is half of the bundle
// and is not needed to start or to list tools (see BENCHMARKS.md).
import type { Agent } from "undici";
import { type IncomingAnswer, type OutgoingRequest, type Send, SendFailure } from "./sender.js";

export interface UndiciSender {
  send: Send;
  /** Lets requests in flight finish, then closes the pool. */
  close(): Promise<void>;
  /** Aborts requests in flight and closes the pool. */
  destroy(): Promise<void>;
}

const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

export function undiciSender(
  options: { keepAliveTimeoutMs?: number; connectTimeoutMs?: number; connections?: number } = {},
): UndiciSender {
  let agent: Agent | undefined;
  let undici: Promise<typeof import("undici")> | undefined;
  const load = async () => {
    undici ??= import("undici");
    // undici is CommonJS: loaded as a chunk of the bundle, its exports arrive as the default export.
    const loaded = await undici;
    const module = (loaded as unknown as { default?: typeof loaded }).default ?? loaded;
    agent ??= new module.Agent({
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      // As many as the HTTP server serves requests at once by default (64): with fewer, calls wait in
      // undici's queue, whose upkeep cost about a sixth of a call's CPU at 64 callers (BENCHMARKS.md).
      connections: options.connections ?? 64,
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    });
    return { agent, request: module.request };
  };
  const send: Send = async (req: OutgoingRequest): Promise<IncomingAnswer> => {
    const { agent, request } = await load();
    try {
      const res = await request(req.url, {
        method: req.method as "GET",
        headers: req.headers,
        body: req.body,
        signal: req.signal,
        dispatcher: agent,
        // The caller's deadline governs; these only stop undici from giving up on its own first.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      return {
        status: res.statusCode,
        header: (name) => {
          const value = res.headers[name];
          return Array.isArray(value) ? value[0] : value;
        },
        body: res.body,
        discard: () => res.body.destroy(),
      };
    } catch (error) {
      if (req.signal.aborted) throw req.signal.reason;
      const code = codeOf(error);
      throw new SendFailure(NEVER_SENT.has(code) ? "unreached" : "broken", code);
    }
  };
  return {
    send,
    close: async () => agent?.close(),
    destroy: async () => agent?.destroy(),
  };
}

function codeOf(error: unknown): string {
  const e = error as { code?: string; cause?: { code?: string }; message?: string };
  return e?.code ?? e?.cause?.code ?? e?.message ?? "unknown error";
}
