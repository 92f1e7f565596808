// The server HTTP builds for one request, and stdio for one connection. A per-request server closes once per
// call, and on close the SDK builds a "Connection closed" error to settle whatever is still pending: capturing
// that error's stack trace was about 3 % of a call's CPU (see BENCHMARKS.md). The error is only ever
// a rejection or abort reason, turned into a one-line message; no one reads its stack, so none is captured.
import { OneLineErrorServer } from "./one-line-errors.js";

export class PerRequestServer extends OneLineErrorServer {
  protected override _onclose(): void {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super._onclose();
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}
