// The package as a user gets it: `npm pack`, installed into an empty folder with no registry, and the installed
// bin driven by a real MCP client. The bundle holds every runtime module, so the package depends on nothing
// and installing it runs no script.
import { execFileSync, spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOLS } from "../src/tools/registry.js";
import { textOf, ZONE } from "./helpers/harness.js";
import { SEAL } from "./helpers/spawn.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepare"];
/** The targets for what `npm install cloudflare-ssl-mcp` adds. */
const TARGET = { packages: 3, bytes: 3 * 1024 * 1024 };
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", [...args, "--no-audit", "--no-fund", "--no-update-notifier"], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
    stdio: ["ignore", "pipe", "pipe"],
  });

function sizeOf(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

/** Installed packages under node_modules (scoped ones counted one by one), npm's own files aside. */
function packagesIn(modules: string): string[] {
  return readdirSync(modules)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) =>
      name.startsWith("@") ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`) : [name],
    );
}

describe("the published package", () => {
  let dir: string;
  let app: string;
  let packed: { filename: string; files: { path: string }[] };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cloudflare-ssl-mcp-pack-"));
    // prepack builds dist/ (the bin last and atomically, so servers other tests spawn meanwhile are unaffected).
    const out = npm(["pack", "--json", "--pack-destination", dir], ROOT);
    packed = JSON.parse(out.slice(out.indexOf("[")))[0];
    app = join(dir, "app");
    mkdirSync(app);
    npm(["install", "--offline", join(dir, packed.filename)], app);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("declares no dependencies and no install-time script, and builds on prepack", () => {
    const fix = "the bundle holds the runtime modules: list them under devDependencies";
    expect(Object.keys(pkg.dependencies ?? {}), fix).toEqual([]);
    const lifecycle = INSTALL_SCRIPTS.filter((name) => name in (pkg.scripts ?? {}));
    expect(lifecycle, "installing must run nothing: build on prepack instead").toEqual([]);
    expect(pkg.scripts.prepack).toBe("node scripts/build.mjs");
    for (const field of ["license", "repository", "homepage", "bugs", "mcpName"])
      expect(pkg[field], field).toBeDefined();
  });

  it("holds the bundle (the bin and its chunks), package.json, README and LICENSE, nothing else", () => {
    const paths = packed.files.map((f) => f.path).sort();
    const chunks = paths.filter((p) => p.startsWith("dist/chunks/"));
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) expect(chunk).toMatch(/^dist\/chunks\/[\w-]+\.mjs$/);
    // dist/package.json makes the bin CommonJS (scripts/build.mjs says why); the chunks are ES modules by name.
    expect(paths.filter((p) => !chunks.includes(p))).toEqual([
      "LICENSE",
      "README.md",
      "dist/cli.js",
      "dist/package.json",
      "package.json",
    ]);
  });

  it(`installs offline as at most ${TARGET.packages} packages and ${TARGET.bytes / 2 ** 20} MB`, () => {
    const modules = join(app, "node_modules");
    const installed = packagesIn(modules);
    expect(installed).toEqual(["cloudflare-ssl-mcp"]);
    expect(installed.length).toBeLessThanOrEqual(TARGET.packages);
    expect(sizeOf(modules)).toBeLessThanOrEqual(TARGET.bytes);
  });

  it("the installed bin serves a real MCP client", async () => {
    const bin = join(app, "node_modules", ".bin", "cloudflare-ssl-mcp");
    const transport = new StdioClientTransport({
      command: bin,
      args: ["--sandbox"],
      env: { PATH: process.env.PATH ?? "", NODE_OPTIONS: `--import=${pathToFileURL(SEAL).href}` },
      stderr: "pipe",
    });
    const client = new Client({ name: "installed", version: "1.0.0" });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: pkg.name, version: pkg.version });
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
      const result = (await client.callTool({
        name: "get_certificate_pack_quota",
        arguments: { zone_id: ZONE },
      })) as CallToolResult;
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ advanced: { allocated: expect.any(Number) } });
    } finally {
      await client.close();
    }
  });

  it("npx finds the installed bin without a registry", () => {
    const run = spawnSync("npx", ["--offline", "--no-install", "cloudflare-ssl-mcp", "--version"], {
      cwd: app,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.stdout.trim(), run.stderr).toBe(pkg.version);
  });
});
