// The docs' lists of tools that need approval are checked against the registry; the generated tables live in
// docs/ (test/generate.test.ts compares them). The README stays a front page: short, with the two-command quick
// start, linking to the generated docs, and with no measured figure of its own (BENCHMARKS.md holds them).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { APPROVAL_TOOLS, instructionsFor } from "../src/core/instructions.js";
import { TOOLS } from "../src/tools/registry.js";

const README = new URL("../README.md", import.meta.url);
const SAFETY = new URL("../docs/safety.md", import.meta.url);

describe("the README's links to generated docs", () => {
  it("holds no generated table, and links to the generated docs instead", () => {
    const readme = readFileSync(README, "utf8");
    expect(readme).not.toMatch(/<!-- (settings|tools):start/);
    expect(readme).toContain("(docs/configuration.md)");
    expect(readme).toContain("(docs/tools.md)");
  });
});

/** The tool names in a passage of prose, each once, sorted. */
function toolsNamedIn(text: string): string[] {
  const toolNames = new Set(TOOLS.map((t) => t.name));
  const named = [...text.matchAll(/`(\w+)`/g)].map((m) => m[1] as string).filter((n) => toolNames.has(n));
  return [...new Set(named)].sort();
}

describe("the safety model", () => {
  it("names in docs/safety.md exactly the tools that need approval", () => {
    const safety = readFileSync(SAFETY, "utf8");
    const bullet = safety.match(/^- \*\*Approval bound to its plan\*\*[\s\S]*?(?=^- \*\*|^#)/m)?.[0];
    expect(bullet, "docs/safety.md lacks the approval bullet").toBeDefined();
    expect(
      toolsNamedIn(bullet as string),
      "the approval bullet of docs/safety.md must name every tool with a confirmation plan in its spec",
    ).toEqual([...APPROVAL_TOOLS].sort());
  });

  it("names in the README's safety section exactly the tools that need approval", () => {
    const section = readFileSync(README, "utf8").match(/^## Safety\n[\s\S]*?(?=^## )/m)?.[0];
    expect(section, "README lacks its Safety section").toBeDefined();
    expect(toolsNamedIn(section as string)).toEqual([...APPROVAL_TOOLS].sort());
  });
});

describe("the README", () => {
  const readme = readFileSync(README, "utf8");

  it("is a front page of at most 12,000 characters; the rest lives in docs/", () => {
    expect(readme.length, "move detail into docs/ and link it").toBeLessThanOrEqual(12_000);
  });

  it("keeps the quick start for a fresh machine: exactly the two commands", () => {
    const quickStart = readme.match(/^## Quick start\n[\s\S]*?```sh\n([\s\S]*?)```/m)?.[1];
    expect(quickStart, "README lacks its Quick start block").toBeDefined();
    const commands = (quickStart as string)
      .split("\n")
      .map((line) => line.replace(/#.*$/, "").trim())
      .filter(Boolean);
    expect(commands).toEqual(["npm ci && npm run demo", "npm ci && npm test"]);
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
