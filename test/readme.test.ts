// The README's list of tools that need approval is checked against the registry; its generated tables moved to
// docs/ (test/generate.test.ts), and it links to them.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { APPROVAL_TOOLS, instructionsFor } from "../src/core/instructions.js";
import { TOOLS } from "../src/tools/registry.js";

const README = new URL("../README.md", import.meta.url);

describe("the README", () => {
  it("holds no generated table, and links to the generated docs instead", () => {
    const readme = readFileSync(README, "utf8");
    expect(readme).not.toMatch(/<!-- (settings|tools):start/);
    expect(readme).toContain("(docs/configuration.md)");
    expect(readme).toContain("(docs/tools.md)");
  });

  it("names in its safety model exactly the tools that need approval", () => {
    const readme = readFileSync(README, "utf8");
    const bullet = readme.match(/^- \*\*Approval bound to its plan\*\*[\s\S]*?(?=^- \*\*|^#)/m)?.[0];
    expect(bullet, "README lacks the safety model's approval bullet").toBeDefined();
    const toolNames = new Set(TOOLS.map((t) => t.name));
    const named = [...(bullet as string).matchAll(/`(\w+)`/g)]
      .map((m) => m[1] as string)
      .filter((n) => toolNames.has(n));
    expect(
      [...new Set(named)].sort(),
      "README's approval bullet must name every tool with a confirmation plan in its spec",
    ).toEqual([...APPROVAL_TOOLS].sort());
  });
});

describe("the tools that need approval", () => {
  it("are exactly the specs with a confirmation plan", () => {
    expect(APPROVAL_TOOLS).toEqual(TOOLS.filter((t) => t.confirm !== undefined).map((t) => t.name));
  });

  it("include every destructive tool", () => {
    for (const spec of TOOLS.filter((t) => t.kind === "destructive"))
      expect(APPROVAL_TOOLS).toContain(spec.name);
    expect(APPROVAL_TOOLS.length).toBeGreaterThan(0);
  });

  it("are all named in the instructions, unless the server runs read-only", () => {
    const full = instructionsFor({ readOnly: false, sandbox: false });
    for (const name of APPROVAL_TOOLS) expect(full).toMatch(new RegExp(`\\b${name}\\b.*approval`));
    const readOnly = instructionsFor({ readOnly: true, sandbox: false });
    for (const name of APPROVAL_TOOLS) expect(readOnly).not.toContain(name);
  });
});
