// A 2026-07-28 client that follows tasks: the 2.x SDK client for the connection, and the ext-tasks session
// on top of it, whose task traffic (which the SDK's codecs do not carry) goes as plain JSON-RPC over POST.
import { Client as ModernClient, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { createTaskSessionFromClient } from "@modelcontextprotocol/ext-tasks/client";

const VERSION = "2026-07-28";
const CLIENT_INFO = { name: "tasks-test", version: "1.0.0" };
const TASKS = "io.modelcontextprotocol/tasks";

export interface RpcAnswer {
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One JSON-RPC request in the 2026-07-28 framing, with the routing headers the era asks for. */
export function rpcWith(url: string, token: string | undefined, fetchImpl: Fetch = fetch) {
  let id = 1;
  const send = async (request: { method: string; params?: Record<string, unknown> }): Promise<RpcAnswer> => {
    const params = request.params ?? {};
    const name = (params.taskId ?? params.name) as string | undefined;
    const response = await fetchImpl(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": VERSION,
        "mcp-method": request.method,
        ...(name ? { "mcp-name": name } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: id++, ...request }),
    });
    const text = await response.text();
    const data = text.trimStart().startsWith("{")
      ? text
      : (text
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .at(-1)
          ?.slice(5) ?? "{}");
    return JSON.parse(data) as RpcAnswer;
  };
  /** A request as a tasks-capable client frames it: its capabilities, version and identity in `_meta`. */
  const call = (method: string, params: Record<string, unknown>, tasks = true) =>
    send({
      method,
      params: {
        ...params,
        _meta: {
          "io.modelcontextprotocol/clientCapabilities": tasks ? { extensions: { [TASKS]: {} } } : {},
          "io.modelcontextprotocol/protocolVersion": VERSION,
          "io.modelcontextprotocol/clientInfo": CLIENT_INFO,
        },
      },
    });
  return { send, call };
}

export async function connectTasksClient(url: string, token: string | undefined, fetchImpl: Fetch = fetch) {
  const client = new ModernClient(CLIENT_INFO, { versionNegotiation: { mode: { pin: VERSION } } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
      fetch: fetchImpl,
    }),
  );
  const rpc = rpcWith(url, token, fetchImpl);
  const session = createTaskSessionFromClient(client, {
    endpointId: url,
    rawDispatch: async (request) => {
      const answer = await rpc.send(request as { method: string; params?: Record<string, unknown> });
      return answer.error
        ? { kind: "error", error: { jsonrpc: "2.0", id: null, error: answer.error } as never }
        : { kind: "result", result: answer.result as never };
    },
    v2RequestFraming: { protocolVersion: VERSION, clientInfo: CLIENT_INFO, clientCapabilities: {} },
  });
  return {
    client,
    session,
    rpc,
    close: async () => {
      await session.close();
      await client.close();
    },
  };
}
