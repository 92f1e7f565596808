// The docs' configuration table and their lists of tools that need approval come from the code: the first is
// generated from the settings table, the second is checked against the registry. The README stays a front page:
// short, with the two-command quick start, and with no measured figure of its own (BENCHMARKS.md holds them).
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { APPROVAL_TOOLS, instructionsFor } from "../src/core/instructions.js";
import { TOOLS } from "../src/tools/registry.js";
import { renderSettingsTable, SETTINGS_END, SETTINGS_START } from "./helpers/settings-table.js";

const README = new URL("../README.md", import.meta.url);
const CONFIGURATION = new URL("../docs/configuration.md", import.meta.url);
const SAFETY = new URL("../docs/safety.md", import.meta.url);

// "README" in the name keeps it in `npm run readme`, which regenerates the tables by test name.
describe("the README's configuration page, docs/configuration.md", () => {
  it("holds the configuration table generated from src/config/settings.ts (npm run readme rewrites it)", () => {
    const readme = readFileSync(CONFIGURATION, "utf8");
    const start = readme.indexOf(SETTINGS_START);
    const end = readme.indexOf(SETTINGS_END);
    expect(start, "README lacks the configuration table markers").toBeGreaterThan(-1);
    expect(end, "README lacks the configuration table end marker").toBeGreaterThan(start);
    const fresh = `${SETTINGS_START}\n${renderSettingsTable()}\n${SETTINGS_END}`;
    const current = readme.slice(start, end + SETTINGS_END.length);
    if (process.env.UPDATE_README === "1" && current !== fresh) {
      writeFileSync(CONFIGURATION, readme.replace(current, fresh));
      return;
    }
    expect(current, "docs/configuration.md's table is stale: run npm run readme").toBe(fresh);
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
