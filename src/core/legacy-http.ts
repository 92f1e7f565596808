// One 2025-era request over stateless Streamable HTTP: a fresh server, a transport for this exchange only,
// and the answer as plain JSON unless the call asked for progress, which then streams as SSE. The transport
// reads neither the body (it is given parsed) nor the request's signal: the exchange ends on `signal` (the
// deadline, or the client leaving).
import { type Server, WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/server";

export async function serveLegacy(
  server: Server,
  request: Request,
  signal: AbortSignal,
  options: { parsedBody: unknown },
): Promise<Response> {
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: !asksForProgress(options.parsedBody),
  });
  await server.connect(transport);
  const teardown = () => {
    transport.close().catch(() => {});
    server.close().catch(() => {});
  };
  signal.addEventListener("abort", teardown, { once: true });
  const response = await transport.handleRequest(request, options);
  if (response.body === null || !response.headers.get("content-type")?.includes("text/event-stream")) {
    signal.removeEventListener("abort", teardown);
    teardown();
    return response;
  }
  // A stream: the server lives until the client has read the last event.
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) {
        controller.close();
        teardown();
      } else controller.enqueue(value);
    },
    cancel: () => {
      void reader.cancel().catch(() => {});
      teardown();
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

function asksForProgress(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((m) => {
    const meta = (m as { params?: { _meta?: { progressToken?: unknown } } } | null)?.params?._meta;
    return meta?.progressToken !== undefined;
  });
}
