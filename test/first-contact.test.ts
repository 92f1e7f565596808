// What someone new meets first on the command line: a mistyped option names the one they meant, a secret typed
// as a flag is never echoed, and --help ends with two examples that work and says where the docs are.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HELP, parseInvocation } from "../src/config/index.js";
import { CLI, SEAL } from "./helpers/spawn.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  homepage: string;
};

const failureOf = (argv: string[]) => {
  try {
    parseInvocation(argv, {});
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${argv.join(" ")} was accepted`);
};

describe("an unknown option", () => {
  it.each([
    ["--sanbox", "--sandbox"],
    ["--sandbx", "--sandbox"],
    ["-sandbox", "--sandbox"],
    ["sandbox", "--sandbox"],
    ["--readonly", "--read-only"],
    ["--read_only", "--read-only"],
    ["--Read-Only", "--read-only"],
    ["--timeout", "--timeout-ms"],
    ["--timeout=5000", "--timeout-ms"],
    ["--rate", "--rate-limit"],
    ["--htp", "--http"],
    ["--allowed-host", "--allowed-hosts"],
    ["--hlep", "--help"],
    ["--verison", "--version"],
  ])("%s suggests %s", (typed, meant) => {
    expect(failureOf([typed])).toBe(
      `unknown option ${typed.split("=")[0]}; see --help. Did you mean ${meant}?`,
    );
  });

  it.each([
    ["--api-token", "CLOUDFLARE_API_TOKEN"],
    ["--token", "CLOUDFLARE_API_TOKEN"],
    ["--api-key", "CLOUDFLARE_API_KEY"],
    ["--email", "CLOUDFLARE_EMAIL"],
    ["--approval-key", "CLOUDFLARE_SSL_MCP_APPROVAL_KEY"],
  ])("%s, a secret that has no flag, points to %s", (typed, variable) => {
    expect(failureOf([typed])).toMatch(
      new RegExp(
        `^unknown option ${typed}; see --help\\. Set ${variable} in the environment instead: it has no flag, so that it never shows in the process list\\.$`,
      ),
    );
  });

  it("--base-url points to its variable without calling it a secret", () => {
    expect(failureOf(["--base-url"])).toBe(
      "unknown option --base-url; see --help. Set CLOUDFLARE_BASE_URL in the environment instead: it has no flag.",
    );
  });

  it("never echoes what follows the = (it may be a secret typed on the line)", () => {
    const message = failureOf(["--api-token=tok_5ecretValue_0123456789"]);
    expect(message).not.toContain("5ecret");
    expect(message).toMatch(/^unknown option --api-token;/);
  });

  it("guesses nothing when nothing is near", () => {
    for (const typed of ["--bogus", "-x", "--zzzzzzzz", "--colour"])
      expect(failureOf([typed])).toBe(`unknown option ${typed}; see --help`);
  });

  it("reaches the user from the bin: a suggestion on stderr, nothing on stdout, exit 2", () => {
    const run = spawnSync(process.execPath, ["--import", SEAL, CLI, "--read_only"], {
      env: { PATH: process.env.PATH ?? "" },
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("unknown option --read_only; see --help. Did you mean --read-only?");
  });
});

describe("--help", () => {
  const tail = HELP.slice(HELP.indexOf("\nExamples:\n"));

  it("ends with two examples and where the docs are", () => {
    expect(tail).toMatch(/^\nExamples:\n/);
    const commands = [...tail.matchAll(/^ {2}(\S.*)$/gm)].map((m) => m[1]);
    expect(commands).toHaveLength(2);
    expect(tail).toContain(`Docs: ${pkg.homepage}`);
    expect(tail).toContain("docs/configuration.md");
    expect(HELP.trimEnd().endsWith("docs/configuration.md")).toBe(true);
  });

  it("gives examples that the parser accepts as written", () => {
    const commands = [...tail.matchAll(/^ {2}(\S.*)$/gm)].map((m) => m[1] as string);
    const invocations = commands.map((command) => {
      const words = command.split(" ");
      const env = Object.fromEntries(
        words.filter((w) => /^[A-Z_]+=/.test(w)).map((w) => w.split("=", 2) as [string, string]),
      );
      const argv = words.slice(words.indexOf("cloudflare-ssl-mcp") + 1);
      return parseInvocation(argv, {
        ...env,
        CLOUDFLARE_API_TOKEN: env.CLOUDFLARE_API_TOKEN && "tok_example",
      });
    });
    expect(
      invocations.map((i) => (i.kind === "run" ? [i.config.sandbox, i.config.readOnly] : i.kind)),
    ).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it("is what the bin prints", () => {
    const run = spawnSync(process.execPath, ["--import", SEAL, CLI, "--help"], {
      env: { PATH: process.env.PATH ?? "" },
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(HELP);
  });
});
