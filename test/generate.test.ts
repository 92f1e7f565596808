// Every generated file is what `npm run generate` would write from the code, byte for byte, and writing them
// again changes nothing. Tests never write the repository's files: a stale file fails here with the command
// that regenerates it. The script itself runs only on copies in a temporary directory.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GeneratedFile, generatedFiles, LISTING_PATH } from "../scripts/generate/files.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const GENERATE = join(ROOT, "scripts/generate.mjs");
const readCommitted = (path: string) => readFileSync(join(ROOT, path), "utf8");

let files: GeneratedFile[];
beforeAll(async () => {
  files = await generatedFiles(readCommitted);
});

describe("the generated files", () => {
  it("are the six files the docs and the server read", () => {
    expect(files.map((f) => f.path).sort()).toEqual([
      "docs/configuration.md",
      "docs/tools.md",
      "docs/triage-rules.md",
      "manifest.json",
      LISTING_PATH,
      "test/snapshots/tools-list.json",
    ]);
  });

  it("are committed as the generator writes them (npm run generate rewrites them)", () => {
    for (const file of files) {
      expect(readCommitted(file.path), `${file.path} is stale: run npm run generate`).toBe(file.text);
    }
  });

  it("come out byte for byte the same when generated again", async () => {
    const again = await generatedFiles(readCommitted);
    expect(again).toEqual(files);
  });
});

describe("npm run generate", () => {
  let copy: string;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [GENERATE, "--root", copy, ...args], { encoding: "utf8", timeout: 60_000 });
  const copied = (path: string) => readFileSync(join(copy, path), "utf8");

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), "generate-"));
    for (const file of files) cpSync(join(ROOT, file.path), join(copy, file.path), { recursive: true });
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it("on a clean checkout changes nothing, and --check agrees", () => {
    const before = files.map((f) => statSync(join(copy, f.path)).mtimeMs);
    const written = run();
    expect(written.status, written.stderr).toBe(0);
    expect(written.stdout).toBe("");
    expect(files.map((f) => statSync(join(copy, f.path)).mtimeMs)).toEqual(before);
    const checked = run("--check");
    expect(checked.status, checked.stderr).toBe(0);
  });

  it("--check names a stale file and the fix; a run rewrites it, and a second run writes the same bytes", () => {
    writeFileSync(join(copy, LISTING_PATH), "[]\n");
    rmSync(join(copy, "docs/tools.md"));
    const checked = run("--check");
    expect(checked.status).toBe(1);
    expect(checked.stderr).toContain(`stale: ${LISTING_PATH}, docs/tools.md. Run \`npm run generate\``);
    expect(copied(LISTING_PATH)).toBe("[]\n");

    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe(`wrote ${LISTING_PATH}\nwrote docs/tools.md\n`);
    const once = files.map((f) => copied(f.path));
    const second = run();
    expect(second.stdout).toBe("");
    expect(files.map((f) => copied(f.path))).toEqual(once);
    expect(once).toEqual(files.map((f) => f.text));
  });
});
