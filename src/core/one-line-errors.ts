// The SDK checks each request against its schema before our handler runs, and reports a failure as an
// internal error (-32603) whose message is the schema library's whole issue list, JSON spread over lines. A
// client sent bad params; it is told so (-32602) in one line that names the field and what was wrong.
import {
  type JSONRPCRequest,
  ProtocolError,
  ProtocolErrorCode,
  type Result,
  Server,
  type ServerContext,
} from "@modelcontextprotocol/server";

type Handler = (request: JSONRPCRequest, ctx: ServerContext) => Promise<Result>;

export class OneLineErrorServer extends Server {
  protected override _wrapHandler(method: string, handler: Handler): Handler {
    const wrapped = super._wrapHandler(method, handler);
    return (request, ctx) =>
      wrapped(request, ctx).catch((error: unknown) => {
        const line = issueLine(error);
        if (line === undefined) throw error;
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid params for ${method}: ${line}`);
      });
  }
}

interface Issue {
  path: (string | number)[];
  message: string;
}

/** "params.cursor: expected string, received object", for an error that is a schema issue list. */
export function issueLine(error: unknown): string | undefined {
  if (!(error instanceof Error) || error instanceof ProtocolError || !error.message.startsWith("["))
    return undefined;
  let issues: Issue[];
  try {
    issues = JSON.parse(error.message) as Issue[];
  } catch {
    return undefined;
  }
  const first = issues[0];
  if (!Array.isArray(issues) || !first || !Array.isArray(first.path) || typeof first.message !== "string")
    return undefined;
  const field = first.path.length ? first.path.join(".") : "the request";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `${field}: ${first.message.replace(/^Invalid input: /, "").replace(/\s+/g, " ")}${more}`;
}
