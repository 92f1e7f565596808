// mcp.json, the sample configuration for any client, works as committed, and .mcp.json (the same file under the
// name Claude Code reads at the clone's root) is an exact copy of it: one source of truth. Each server starts
// whether the client runs at the root or in a subfolder (npx finds the clone's own bin from anywhere inside it,
// and the published package outside), and the sandbox entry needs no token and says nothing of one.
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it, vi } from "vitest";
import { TOOLS } from "../src/tools/registry.js";
import { textOf, ZONE } from "./helpers/harness.js";
import { SEAL } from "./helpers/spawn.js";

type Entry = { command: string; args?: string[]; env?: Record<string, string> };
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SAMPLE = readFileSync(new URL("../mcp.json", import.meta.url), "utf8");
const config = JSON.parse(SAMPLE) as { mcpServers: Record<string, Entry> };

/** Claude Code's expansion: ${VAR} and ${VAR:-default}; an unset ${VAR} stays as written. */
const expand = (text: string, env: Record<string, string | undefined>) =>
  text.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (whole, name: string, fallback?: string) => {
    const value = env[name];
    return value !== undefined && value !== "" ? value : (fallback ?? whole);
  });

async function start(entry: Entry, cwd: string, env: Record<string, string | undefined> = {}) {
  const transport = new StdioClientTransport({
    command: expand(entry.command, env),
    args: (entry.args ?? []).map((a) => expand(a, env)),
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      // npx must resolve the clone's own bin without asking a registry, and the server may dial loopback only.
      npm_config_offline: "true",
      NODE_OPTIONS: `--import=${pathToFileURL(SEAL).href}`,
      ...Object.fromEntries(Object.entries(entry.env ?? {}).map(([k, v]) => [k, expand(v, env)])),
    },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const client = new Client({ name: "claude-code", version: "1.0.0" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

const quota = async (client: Client) =>
  (await client.callTool({
    name: "get_certificate_pack_quota",
    arguments: { zone_id: ZONE },
  })) as CallToolResult;

describe(".mcp.json", () => {
  it("is an exact copy of mcp.json, the one source of the sample configuration", () => {
    const claudeCode = readFileSync(new URL("../.mcp.json", import.meta.url), "utf8");
    expect(claudeCode, "mcp.json changed: copy it over .mcp.json (cp mcp.json .mcp.json)").toBe(SAMPLE);
  });
});

describe("mcp.json", () => {
  const { "cloudflare-ssl": real, "cloudflare-ssl-sandbox": sandbox } = config.mcpServers;
  const places = [
    ["the clone's root", ROOT],
    ["a subfolder", fileURLToPath(new URL("../src/tools/", import.meta.url))],
  ] as const;

  it("defines the two servers; only the real one reads a token, with an empty default", () => {
    expect(Object.keys(config.mcpServers).sort()).toEqual(["cloudflare-ssl", "cloudflare-ssl-sandbox"]);
    expect(Object.keys(real?.env ?? {})).toEqual(["CLOUDFLARE_API_TOKEN"]);
    // The empty default keeps an unset variable from arriving as the literal text (and from a warning).
    expect(real?.env?.CLOUDFLARE_API_TOKEN).toMatch(/^\$\{CLOUDFLARE_API_TOKEN:-\}$/);
    expect(JSON.stringify(sandbox)).not.toMatch(/token/i);
  });

  it.each(places)("the sandbox server starts from %s and answers without a token", async (_, cwd) => {
    if (!sandbox) throw new Error("mcp.json lacks cloudflare-ssl-sandbox");
    const { client, stderr } = await start(sandbox, cwd);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
      const result = await quota(client);
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(stderr()).not.toMatch(/token/i);
    } finally {
      await client.close();
    }
  });

  it.each(places)(
    "the real server starts from %s with no token set, and a call says what to set",
    async (_, cwd) => {
      if (!real) throw new Error("mcp.json lacks cloudflare-ssl");
      const { client, stderr } = await start(real, cwd);
      try {
        expect((await client.listTools()).tools).toHaveLength(TOOLS.length);
        // The bin answers the opening before the server proper loads; the warning comes as that server starts.
        await vi.waitFor(() => expect(stderr()).toMatch(/no CLOUDFLARE_API_TOKEN/), { timeout: 10_000 });
        const result = await quota(client);
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(/CLOUDFLARE_API_TOKEN/);
      } finally {
        await client.close();
      }
    },
  );

  it("the real server passes a token set in the shell on to the server", async () => {
    if (!real) throw new Error("mcp.json lacks cloudflare-ssl");
    const { client, stderr } = await start(real, ROOT, { CLOUDFLARE_API_TOKEN: "tok_from_shell" });
    try {
      await client.listTools();
      expect(stderr()).not.toMatch(/no CLOUDFLARE_API_TOKEN/);
    } finally {
      await client.close();
    }
  });
});
