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

describe("the floors of src/", () => {
  it("place every file", () => {
    for (const file of files) expect(floorOf(file), file).toBeDefined();
  });

  it("import only down or sideways", () => {
    const upward: string[] = [];
    for (const file of files) {
      const code = readFileSync(join(SRC, file), "utf8");
      for (const [, spec] of code.matchAll(/^\s*(?:import|export)[^"']*from\s+["'](\.[^"']+)["']/gm)) {
        const target = relative(SRC, resolve(dirname(join(SRC, file)), spec as string)).replace(
          /\.js$/,
          ".ts",
        );
        const from = floorOf(file) as number;
        const to = floorOf(target);
        if (to !== undefined && to < from) upward.push(`${file} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
