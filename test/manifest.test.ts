// What describes the package to the places that install it: manifest.json for MCP Bundles (Claude Desktop's
// one-click install, checked with the MCPB toolchain's own schema and variable substitution), and server.json
// for the MCP registry. Both must agree with package.json.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getMcpConfigForManifest, MANIFEST_SCHEMAS, unpackExtension } from "@anthropic-ai/mcpb";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOLS } from "../src/tools/registry.js";
import { textOf, ZONE } from "./helpers/harness.js";
import { SEAL } from "./helpers/spawn.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const read = (file: string) => readJson(join(ROOT, file));
const pkg = read("package.json");
const manifest = read("manifest.json");
const serverJson = read("server.json");
/** MCPB's substitution syntax, `${name}`, which the host replaces when it starts the server. */
const variable = (name: string) => `\${${name}}`;
const FIX_MANIFEST =
  "fix manifest.json (its format: MANIFEST.md of @anthropic-ai/mcpb; `npx mcpb validate manifest.json` rechecks it)";

/** Every way `data` breaks the MCPB schema of the version it declares, one line each; empty when valid. */
function manifestProblems(data: Record<string, unknown>): string[] {
  const version = String(data.manifest_version ?? data.dxt_version);
  const schema = MANIFEST_SCHEMAS[version as keyof typeof MANIFEST_SCHEMAS];
  if (!schema)
    return [`manifest_version: ${version} is not one of ${Object.keys(MANIFEST_SCHEMAS).join(", ")}`];
  const result = schema.safeParse(data);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".") || "manifest"}: ${issue.message}`);
}

describe("manifest.json (MCP Bundle)", () => {
  it("is valid by the MCPB toolchain's own schema", () => {
    expect(manifestProblems(manifest).join("\n"), FIX_MANIFEST).toBe("");
  });

  it("a malformed manifest is refused, naming each field", () => {
    const broken = structuredClone(manifest);
    broken.server.type = "deno";
    delete broken.user_config.sandbox.title;
    const problems = manifestProblems(broken).join("\n");
    expect(problems).toMatch(/^server\.type: .*'node'/m);
    expect(problems).toMatch(/^user_config\.sandbox\.title: Required/m);
    expect(manifestProblems({ ...manifest, manifest_version: "9.9" })).toEqual([
      `manifest_version: 9.9 is not one of ${Object.keys(MANIFEST_SCHEMAS).join(", ")}`,
    ]);
  });

  it("runs the bundled server with node, asks for the token as a secret and offers a sandbox switch", () => {
    expect(manifest.server).toMatchObject({
      type: "node",
      entry_point: "dist/cli.js",
      mcp_config: { command: "node", args: [`${variable("__dirname")}/dist/cli.js`] },
    });
    expect(pkg.bin["cloudflare-ssl-mcp"]).toBe(manifest.server.entry_point);
    expect(manifest.user_config.api_token).toMatchObject({
      type: "string",
      sensitive: true,
      required: false,
    });
    expect(manifest.user_config.sandbox).toMatchObject({ type: "boolean", default: false });
    expect(manifest.server.mcp_config.env).toMatchObject({
      CLOUDFLARE_API_TOKEN: variable("user_config.api_token"),
      CLOUDFLARE_SSL_MCP_SANDBOX: variable("user_config.sandbox"),
    });
  });

  it("lists the registry's tools (npm run generate rewrites the list)", () => {
    const tools = TOOLS.map((t) => ({ name: t.name, description: t.description }));
    expect(manifest.tools, "run `npm run generate` to copy the registry's tools into manifest.json").toEqual(
      tools,
    );
  });
});

describe("server.json (MCP registry)", () => {
  it("names the package by its mcpName, at its version, with the token as a secret", () => {
    const fix = "make server.json agree with package.json (name = mcpName, versions = version)";
    expect(serverJson.$schema).toMatch(
      /^https:\/\/static\.modelcontextprotocol\.io\/schemas\/\d{4}-\d{2}-\d{2}\/server\.schema\.json$/,
    );
    expect(serverJson.name, fix).toBe(pkg.mcpName);
    expect(serverJson.name).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    expect(serverJson.description.length, "the registry takes at most 100 characters").toBeLessThanOrEqual(
      100,
    );
    expect(serverJson.version, fix).toBe(pkg.version);
    expect(serverJson.packages).toHaveLength(1);
    const [npm] = serverJson.packages;
    expect(npm, fix).toMatchObject({
      registryType: "npm",
      identifier: pkg.name,
      version: pkg.version,
      transport: { type: "stdio" },
    });
    expect(npm.environmentVariables).toContainEqual(
      expect.objectContaining({ name: "CLOUDFLARE_API_TOKEN", isSecret: true }),
    );
    expect(serverJson.repository.url).toBe(pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, ""));
  });

  it("the manifest carries the package's version too", () => {
    expect(manifest.version, "set manifest.json's version to package.json's").toBe(pkg.version);
    expect(manifest.name).toBe(pkg.name);
  });
});

describe("npm run bundle", () => {
  let dir: string;
  let unpacked: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cloudflare-ssl-mcp-mcpb-"));
    const built = spawnSync(process.execPath, ["scripts/bundle.mjs"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(built.status, `${built.stdout}${built.stderr}`).toBe(0);
    unpacked = join(dir, "bundle");
    const ok = await unpackExtension({
      mcpbPath: join(ROOT, "dist", `${pkg.name}-${pkg.version}.mcpb`),
      outputDir: unpacked,
      silent: true,
    });
    expect(ok).toBe(true);
  }, 90_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts the unpacked bundle as Claude Desktop does: its manifest's command, with the user's settings. */
  async function startAsDesktop(userConfig: Record<string, string | boolean>) {
    const config = await getMcpConfigForManifest({
      manifest,
      extensionPath: unpacked,
      systemDirs: {},
      userConfig,
      pathSeparator: "/",
    });
    if (!config) throw new Error("the manifest gave no server configuration");
    expect(JSON.stringify(config), "every variable is substituted").not.toMatch(/\$\{/);
    const transport = new StdioClientTransport({
      command: config.command === "node" ? process.execPath : config.command,
      args: ["--import", SEAL, ...(config.args ?? [])],
      env: { PATH: process.env.PATH ?? "", ...config.env },
      stderr: "pipe",
    });
    const client = new Client({ name: "desktop", version: "1.0.0" });
    await client.connect(transport);
    return client;
  }

  it("holds the manifest, the server and the package.json files that say how Node reads each part", () => {
    expect(readJson(join(unpacked, "manifest.json"))).toEqual(manifest);
    expect(readJson(join(unpacked, "package.json"))).toMatchObject({ type: "module", version: pkg.version });
    for (const file of [
      "dist/cli.js",
      "dist/package.json",
      ...readdirSync(join(ROOT, "dist/chunks")).map((n) => `dist/chunks/${n}`),
    ]) {
      expect(readFileSync(join(unpacked, file), "utf8"), file).toBe(readFileSync(join(ROOT, file), "utf8"));
    }
  });

  it("with the sandbox switch on and no token, the server answers from the simulated zone", async () => {
    const client = await startAsDesktop({ sandbox: true });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
      const result = (await client.callTool({
        name: "get_universal_ssl_settings",
        arguments: { zone_id: ZONE },
      })) as CallToolResult;
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(textOf(result)).toMatch(/\[sandbox\]/);
    } finally {
      await client.close();
    }
  });

  it("with nothing set, it starts, lists its tools and says which setting a call needs", async () => {
    const client = await startAsDesktop({});
    try {
      expect((await client.listTools()).tools).toHaveLength(TOOLS.length);
      const result = (await client.callTool({
        name: "get_universal_ssl_settings",
        arguments: { zone_id: ZONE },
      })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/CLOUDFLARE_API_TOKEN/);
    } finally {
      await client.close();
    }
  });
});
