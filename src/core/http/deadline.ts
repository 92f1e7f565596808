// Each request has a deadline: whichever comes first of the deadline and the client leaving ends the
// exchange and stops the call. A JSON answer that is late is replaced by an error for each request of the
// body; an SSE answer (progress was asked for) ends with such an error event.
export const DEADLINE = Symbol("request deadline");
export const GONE = Symbol("client gone");

/**
 * Runs `handle` with a signal that aborts at the deadline or when `gone` (the client left) is, and resolves with its
 * answer, kept under the same deadline until the last byte when it streams. `release` runs once when the
 * exchange is over, however it ends.
 */
export async function withinDeadline(
  gone: AbortSignal,
  body: unknown,
  deadlineMs: number,
  handle: (signal: AbortSignal) => Promise<Response>,
  release: () => void,
): Promise<Response> {
  const deadline = new AbortController();
  let stop: (why: typeof DEADLINE | typeof GONE) => void = () => {};
  const stopped = new Promise<typeof DEADLINE | typeof GONE>((resolve) => {
    stop = resolve;
  });
  const timer = setTimeout(() => {
    stop(DEADLINE);
    deadline.abort(DEADLINE);
  }, deadlineMs);
  const onAbort = () => {
    clearTimeout(timer);
    stop(GONE);
    deadline.abort(gone.reason);
  };
  gone.addEventListener("abort", onAbort, { once: true });
  let released = false;
  const done = () => {
    if (released) return;
    released = true;
    clearTimeout(timer);
    gone.removeEventListener("abort", onAbort);
    release();
  };
  let response: Response | typeof DEADLINE | typeof GONE;
  try {
    const handling = handle(deadline.signal);
    response = await Promise.race([handling, stopped]);
    if (typeof response === "symbol") handling.catch(() => {});
  } catch (error) {
    done();
    throw error;
  }
  if (response === GONE) {
    done();
    return new Response(null, { status: 499 });
  }
  if (response === DEADLINE) {
    done();
    return deadlineAnswer(body, deadlineMs);
  }
  if (response.body === null || !isEventStream(response)) {
    done();
    return response;
  }
  return streamUntilDeadline(response, deadline.signal, done, body, deadlineMs);
}

function isEventStream(response: Response): boolean {
  return response.headers.get("content-type")?.includes("text/event-stream") ?? false;
}

/** The ids of the requests a body holds (one, or several in a 2025-03-26 batch). */
function requestIds(body: unknown): (string | number)[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((m) => {
    const id = (m as { id?: unknown } | null)?.id;
    return typeof id === "string" || typeof id === "number" ? [id] : [];
  });
}

function deadlineErrors(body: unknown, deadlineMs: number) {
  const message = `The request passed this server's deadline of ${deadlineMs} ms and was stopped. A change it asked for may or may not have taken effect: read the state before trying again.`;
  return requestIds(body).map((id) => ({ jsonrpc: "2.0", id, error: { code: -32603, message } }));
}

/** Answers every request of the body with an error that says the deadline passed. */
function deadlineAnswer(body: unknown, deadlineMs: number): Response {
  const errors = deadlineErrors(body, deadlineMs);
  return new Response(JSON.stringify(Array.isArray(body) ? errors : (errors[0] ?? null)), {
    status: errors.length ? 200 : 504,
    headers: { "content-type": "application/json" },
  });
}

/**
 * An SSE answer stays under the same deadline as a JSON one: `release` runs when the stream ends; if the
 * deadline comes first, the stream ends with an error event for the request.
 */
function streamUntilDeadline(
  response: Response,
  deadline: AbortSignal,
  release: () => void,
  body: unknown,
  deadlineMs: number,
): Response {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const encoder = new TextEncoder();
  let over = false;
  const stream = new ReadableStream<Uint8Array>({
    start: (controller) => {
      const onDeadline = () => {
        if (over || deadline.reason !== DEADLINE) return;
        over = true;
        for (const error of deadlineErrors(body, deadlineMs))
          controller.enqueue(encoder.encode(`event: message\ndata: ${JSON.stringify(error)}\n\n`));
        controller.close();
        release();
        void reader.cancel().catch(() => {});
      };
      if (deadline.aborted) onDeadline();
      else deadline.addEventListener("abort", onDeadline, { once: true });
    },
    pull: async (controller) => {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (over) return;
      if (done) {
        over = true;
        release();
        controller.close();
      } else if (value) controller.enqueue(value);
    },
    cancel: () => {
      over = true;
      release();
      void reader.cancel().catch(() => {});
    },
  });
  return new Response(stream, { status: response.status, headers: response.headers });
}
