// Progress notifications for one call, at most one a second: a flood of waits or steps can never become a
// flood of messages. Within a second the latest step is kept and sent when the second is up, if the call
// is still running; the count only goes up.
import type { ServerContext } from "@modelcontextprotocol/server";

export const PROGRESS_INTERVAL_MS = 1000;

interface Step {
  progress: number;
  total?: number;
  message: string;
}

export function throttledProgress(ctx: ServerContext) {
  const token = ctx.mcpReq._meta?.progressToken;
  let step = 0;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let pending: Step | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const deliver = (next: Step) => {
    lastSentAt = Date.now();
    pending = undefined;
    void ctx.mcpReq
      .notify({ method: "notifications/progress", params: { progressToken: token as string, ...next } })
      .catch(() => {});
  };

  const send = async (done: number, total: number | undefined, message: string) => {
    if (token === undefined || stopped) return;
    step = Math.max(step + 1, done);
    const next: Step = { progress: step, ...(total ? { total: Math.max(total, step) } : {}), message };
    const wait = lastSentAt + PROGRESS_INTERVAL_MS - Date.now();
    if (wait <= 0) return deliver(next);
    pending = next;
    timer ??= setTimeout(() => {
      timer = undefined;
      if (pending && !stopped) deliver(pending);
    }, wait);
  };

  return {
    send,
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
