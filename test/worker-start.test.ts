// What a Worker isolate evaluates when it starts: the modules its entry imports statically. The tool specs
// (each builds its zod schemas as it loads) must not be among them; they load with the first tool call.
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

/** The source files in the entry's chunk and every chunk it imports statically. */
function loadedAtStart(metafile: Metafile, entry: string): Set<string> {
  const outputs = Object.entries(metafile.outputs);
  const first = outputs.find(([, output]) => output.entryPoint === entry)?.[0];
  if (!first) throw new Error(`no output for ${entry}`);
  const seen = new Set<string>();
  const sources = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const output = metafile.outputs[path];
    for (const input of Object.keys(output?.inputs ?? {})) sources.add(input);
    for (const imported of output?.imports ?? [])
      if (imported.kind === "import-statement") visit(imported.path);
  };
  visit(first);
  return sources;
}

describe("the Worker's start", () => {
  it("loads no tool spec, whichever of its parts (OAuth included) names the tools", async () => {
    const entry = "src/entries/worker.ts";
    const { metafile } = await build({
      entryPoints: [entry],
      bundle: true,
      splitting: true,
      write: false,
      outdir: "out",
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser", "import"],
      mainFields: ["module", "main"],
      external: ["cloudflare:*"],
      metafile: true,
      logLevel: "silent",
    });
    const atStart = [...loadedAtStart(metafile, entry)];
    expect(atStart).toContain("src/oauth/authorize.ts");
    expect(atStart).toContain("src/tools/listing.generated.json");
    const specs = atStart.filter((path) =>
      /^src\/tools\/(registry|certificate-packs|triage|zones|universal-ssl|verification)\.ts$/.test(path),
    );
    expect(specs).toEqual([]);
  });
});
