// The web-standard sender, for Cloudflare Workers (and any runtime with `fetch`). Redirects are not followed:
// a 3xx from the API is a failure the client reports, never a place to resend credentials to.
import { type IncomingAnswer, type Send, SendFailure } from "./sender.js";

export function fetchSender(fetchImpl: typeof fetch = fetch): Send {
  return async (req): Promise<IncomingAnswer> => {
    let res: Response;
    try {
      res = await fetchImpl(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: req.signal,
        redirect: "manual",
      });
    } catch (error) {
      if (req.signal.aborted) throw req.signal.reason;
      // fetch does not say whether the request left: count it as possibly sent.
      throw new SendFailure("broken", error instanceof Error ? error.message : String(error));
    }
    const stream = res.body;
    return {
      status: res.status,
      header: (name) => res.headers.get(name) ?? undefined,
      body: stream ? iterate(stream) : empty(),
      discard: () => void stream?.cancel().catch(() => {}),
    };
  };
}

async function* iterate(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function* empty(): AsyncIterable<Uint8Array> {}
