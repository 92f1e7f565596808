// Builds dist/cloudflare-ssl-mcp-<version>.mcpb, the MCP Bundle that Claude Desktop installs from a file with one
// click: manifest.json, the built server (dist/cli.js, CommonJS by dist/package.json, and its ES module
// chunks) and a package.json with the package's name and version. The manifest is validated by the packer, which stops on any error.
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packExtension } from "@anthropic-ai/mcpb";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8"));
if (manifest.version !== pkg.version) {
  console.error(
    `manifest.json has version ${manifest.version}, package.json ${pkg.version}: make them equal`,
  );
  process.exit(1);
}

const built = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
if (built.status !== 0) process.exit(built.status ?? 1);

const stage = mkdtempSync(join(tmpdir(), "cloudflare-ssl-mcp-bundle-"));
const output = join(ROOT, "dist", `${pkg.name}-${pkg.version}.mcpb`);
try {
  mkdirSync(join(stage, "dist", "chunks"), { recursive: true });
  const chunks = readdirSync(join(ROOT, "dist", "chunks")).map((name) => `dist/chunks/${name}`);
  for (const file of ["manifest.json", "LICENSE", "README.md", "dist/cli.js", "dist/package.json", ...chunks])
    copyFileSync(join(ROOT, file), join(stage, file));
  const { name, version, description, license, type } = pkg;
  writeFileSync(
    join(stage, "package.json"),
    `${JSON.stringify({ name, version, description, license, type }, null, 2)}\n`,
  );
  const packed = await packExtension({ extensionPath: stage, outputPath: output, silent: true });
  if (!packed) {
    console.error(
      "manifest.json is not a valid MCPB manifest: `npx mcpb validate manifest.json` names the fields",
    );
    process.exitCode = 1;
  } else console.log(`wrote ${output}`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
