import { fileURLToPath } from "node:url";
import { Client as ModernClient } from "@modelcontextprotocol/client";
import { StdioClientTransport as ModernStdioTransport } from "@modelcontextprotocol/client/stdio";
import { Client, type ClientOptions } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
export const SEAL = fileURLToPath(new URL("./seal-network.mjs", import.meta.url));

/** The protocol eras a client can speak: 2025 (initialize handshake) and 2026-07-28 (stateless envelope). */
export type Era = "2025" | "2026-07-28";
export const ERAS: Era[] = ["2025", "2026-07-28"];

/** What the tests use of a client, the same for both eras' SDKs. */
export interface EraClient {
  listTools(): Promise<{ tools: Tool[] }>;
  callTool(
    params: { name: string; arguments?: Record<string, unknown> },
    resultSchema?: undefined,
    options?: { onprogress?: (progress: unknown) => void; signal?: AbortSignal },
  ): Promise<CallToolResult | Record<string, unknown>>;
  getInstructions(): string | undefined;
  getServerVersion(): { name: string; version: string } | undefined;
  close(): Promise<void>;
}

/** How a client starts the built server: node with the network seal, and only the environment given (plus PATH). */
function serverProcess(args: string[], env: Record<string, string>) {
  return {
    command: process.execPath,
    args: ["--import", SEAL, CLI, ...args],
    env: { PATH: process.env.PATH ?? "", ...env },
    stderr: "pipe" as const,
  };
}

function collect(stream: { on(event: "data", listener: (chunk: Buffer) => void): unknown } | null) {
  let text = "";
  stream?.on("data", (chunk) => {
    text += chunk.toString("utf8");
  });
  return () => text;
}

/** Starts the built server over stdio as an IDE would. */
export async function spawnServer(
  args: string[],
  env: Record<string, string> = {},
  clientOptions?: ClientOptions,
) {
  const transport = new StdioClientTransport(serverProcess(args, env));
  const stderr = collect(transport.stderr);
  const client = new Client({ name: "e2e", version: "1.0.0" }, clientOptions);
  await client.connect(transport);
  return { client, transport, stderr, close: () => client.close() };
}

/** The same, with a client of the given era: the 2025 SDK client, or the modern one pinned to 2026-07-28. */
export async function spawnEraServer(era: Era, args: string[], env: Record<string, string> = {}) {
  if (era === "2025") {
    const s = await spawnServer(args, env);
    return { ...s, client: s.client as unknown as EraClient };
  }
  const transport = new ModernStdioTransport(serverProcess(args, env));
  const stderr = collect(transport.stderr);
  const client = new ModernClient(
    { name: "e2e-modern", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  await client.connect(transport);
  if (client.getProtocolEra() !== "modern")
    throw new Error(`expected the modern era, got ${client.getProtocolEra()}`);
  return { client: client as unknown as EraClient, stderr, close: () => client.close() };
}
