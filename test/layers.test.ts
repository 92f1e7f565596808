// Data flows one way: entry → server and runner (core) → tool specs → triage → client → the leaves. An import
// may go down or sideways, never back up a floor, so each floor can be read, tested and replaced without the
// ones above it.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = new URL("../src/", import.meta.url).pathname;
/** Lower numbers are higher floors. */
const FLOORS: [RegExp, number][] = [
  [/^(cli\.ts|entries\/|oauth\/)/, 0],
  [/^config\//, 1],
  [/^core\//, 1],
  [/^tools\//, 2],
  [/^triage\//, 3],
  [/^(client|sandbox)\//, 4],
  [/^(lib\/|version\.ts)/, 5],
  // The dashboard's browser code: it imports nothing of the server; the server imports its built HTML.
  [/^view\//, 5],
];
const floorOf = (file: string) => FLOORS.find(([pattern]) => pattern.test(file))?.[1];

const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));

/** What a file imports by a relative path, static or dynamic, as paths below src/ ("../x" when outside it). */
function relativeImports(file: string): string[] {
  const code = readFileSync(join(SRC, file), "utf8");
  const specs = [
    ...code.matchAll(/^\s*(?:import|export)[^"';]*?from\s+["'](\.[^"']+)["']/gm),
    ...code.matchAll(/^\s*import\s+["'](\.[^"']+)["']/gm),
    // A dynamic import may carry options (`with: { type: "json" }`) after its path.
    ...code.matchAll(/\bimport\(\s*["'](\.[^"']+)["']\s*[,)]/g),
  ].map((m) => m[1] as string);
  return specs.map((spec) => relative(SRC, resolve(dirname(join(SRC, file)), spec)).replace(/\.js$/, ".ts"));
}

describe("the floors of src/", () => {
  it("place every file", () => {
    for (const file of files) expect(floorOf(file), file).toBeDefined();
  });

  it("place a nested folder on its parent's floor, and find the files in nested folders", () => {
    expect(files).toContain("core/http/body.ts");
    expect(files).toContain("triage/rules/expiry.ts");
    expect(floorOf("core/http/body.ts")).toBe(floorOf("core/server.ts"));
    expect(floorOf("triage/rules/expiry.ts")).toBe(floorOf("triage/findings.ts"));
    // Anchored at src/: a folder named like another floor, nested deeper, stays on its parent's floor.
    expect(floorOf("tools/core/x.ts")).toBe(floorOf("tools/registry.ts"));
    expect(floorOf("lib/entries/x.ts")).toBe(floorOf("lib/text.ts"));
  });

  it("import only down or sideways, statically or dynamically", () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = floorOf(file) as number;
      for (const target of relativeImports(file)) {
        const to = floorOf(target);
        if (to !== undefined && to < from) upward.push(`${file} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("import every relative module from inside src/ (package.json's data aside)", () => {
    const outside: string[] = [];
    for (const file of files)
      for (const target of relativeImports(file))
        if (target.startsWith("..") && target !== "../package.json") outside.push(`${file} → ${target}`);
        else if (!target.startsWith("..") && floorOf(target) === undefined)
          outside.push(`${file} → ${target}`);
    expect(outside).toEqual([]);
  });

  it("read every kind of relative import, so that an upward one cannot hide", () => {
    expect(relativeImports("core/http/host.ts")).toContain("config/addresses.ts");
    expect(relativeImports("core/server.ts")).toContain("tools/registry.ts");
    expect(relativeImports("cli.ts")).toContain("entries/main.ts");
    expect(relativeImports("config/help.ts")).toContain("../package.json");
    expect(relativeImports("core/dashboard.ts")).toContain("view/generated-page.json");
  });

  it("keep the dashboard's browser code apart: src/view/ imports only itself, and only its built page is imported", () => {
    const crossings: string[] = [];
    for (const file of files)
      for (const target of relativeImports(file)) {
        const inView = file.startsWith("view/");
        if (inView && !target.startsWith("view/")) crossings.push(`${file} → ${target}`);
        if (!inView && target.startsWith("view/") && target !== "view/generated-page.json")
          crossings.push(`${file} → ${target}`);
      }
    expect(crossings).toEqual([]);
  });
});

describe("the size of src/ files", () => {
  it("no source file is over 300 lines: each answers one question", () => {
    const long = files
      .map((file) => ({ file, lines: readFileSync(join(SRC, file), "utf8").split("\n").length - 1 }))
      .filter(({ lines }) => lines > 300)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(long, "split the file by the questions it answers").toEqual([]);
  });
});
