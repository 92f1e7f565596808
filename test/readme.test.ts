// The README's configuration table and its list of tools that need approval come from the code: the first is
// generated from the settings table, the second is checked against the registry.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { APPROVAL_TOOLS, instructionsFor } from "../src/core/instructions.js";
import { TOOLS } from "../src/tools/registry.js";
import { renderSettingsTable, SETTINGS_END, SETTINGS_START } from "./helpers/settings-table.js";

const README = new URL("../README.md", import.meta.url);

describe("the README", () => {
  it("holds the configuration table generated from src/config/settings.ts (npm run readme rewrites it)", () => {
    const readme = readFileSync(README, "utf8");
    const start = readme.indexOf(SETTINGS_START);
    const end = readme.indexOf(SETTINGS_END);
    expect(start, "README lacks the configuration table markers").toBeGreaterThan(-1);
    expect(end, "README lacks the configuration table end marker").toBeGreaterThan(start);
    const fresh = `${SETTINGS_START}\n${renderSettingsTable()}\n${SETTINGS_END}`;
    const current = readme.slice(start, end + SETTINGS_END.length);
    if (process.env.UPDATE_README === "1" && current !== fresh) {
      writeFileSync(README, readme.replace(current, fresh));
      return;
    }
    expect(current, "the README's configuration table is stale: run npm run readme").toBe(fresh);
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
