import { fileURLToPath } from "node:url";
import { Client, type ClientOptions } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
export const SEAL = fileURLToPath(new URL("./seal-network.mjs", import.meta.url));

/** Starts the built server over stdio as an IDE would, with only the environment given (plus PATH). */
export async function spawnServer(
  args: string[],
  env: Record<string, string> = {},
  clientOptions?: ClientOptions,
) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--import", SEAL, CLI, ...args],
    env: { PATH: process.env.PATH ?? "", ...env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const client = new Client({ name: "e2e", version: "1.0.0" }, clientOptions);
  await client.connect(transport);
  return { client, transport, stderr: () => stderr, close: () => client.close() };
}
