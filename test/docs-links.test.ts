// Every relative link in the repository's Markdown resolves: to a file that exists and, where the link names an
// anchor, to a heading of that file. A measured figure is written once, in BENCHMARKS.md, and linked from
// elsewhere, so that a new measurement cannot leave a stale copy behind.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SKIPPED_DIRECTORIES = new Set(["node_modules", "dist", "coverage"]);

function markdownFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory())
      return entry.name.startsWith(".") || SKIPPED_DIRECTORIES.has(entry.name) ? [] : markdownFiles(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

/** The text a reader sees as prose: code blocks and code spans hold examples, not links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
}

/** GitHub's anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, "");
  for (const [, heading] of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (heading as string)
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Relative links of a Markdown file: inline `[text](target)` and reference `[label]: target`. */
function relativeLinks(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] as string);
  const reference = [...text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map(
    (m) => m[1] as string,
  );
  return [...inline, ...reference].filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

const FILES = markdownFiles(ROOT);

describe("the Markdown files", () => {
  it("are found: the README, the docs folder and the guides", () => {
    const names = FILES.map((file) => relative(ROOT, file));
    for (const name of [
      "README.md",
      "CONTRIBUTING.md",
      "ARCHITECTURE.md",
      "BENCHMARKS.md",
      "docs/clients.md",
    ])
      expect(names).toContain(name);
  });

  it.each(FILES.map((file) => [relative(ROOT, file), file]))(
    "%s: every relative link resolves",
    (_, file) => {
      const broken: string[] = [];
      for (const link of relativeLinks(readFileSync(file, "utf8"))) {
        const [pathPart = "", anchor] = link.split("#", 2) as [string, string | undefined];
        const target = pathPart === "" ? file : resolve(dirname(file), decodeURIComponent(pathPart));
        if (!existsSync(target)) {
          broken.push(`${link}: no such file`);
          continue;
        }
        if (anchor === undefined || !target.endsWith(".md") || statSync(target).isDirectory()) continue;
        if (!anchorsOf(readFileSync(target, "utf8")).has(anchor))
          broken.push(`${link}: ${relative(ROOT, target)} has no heading #${anchor}`);
      }
      expect(broken).toEqual([]);
    },
  );

  it("compute GitHub's anchors, so that a broken anchor cannot pass", () => {
    const anchors = anchorsOf("# 6. Installed package\n## The `mcp.json` file: one\n## Tools\n## Tools\n");
    expect([...anchors]).toEqual(["6-installed-package", "the-mcpjson-file-one", "tools", "tools-1"]);
  });

  it("read links from prose only: not from code, and not absolute URLs", () => {
    expect(relativeLinks("[a](docs/x.md#y) `[b](c.md)` [c](https://example.com) [d](#here)")).toEqual([
      "docs/x.md#y",
      "#here",
    ]);
  });
});

describe("measured figures", () => {
  // The installed package and the Worker bundle are measured in BENCHMARKS.md; elsewhere they are linked.
  const FIGURE = /\d+(?:\.\d+)?\s?(?:KiB|MiB|KB|MB)\b/g;
  const MEASURED = /install|gzip|bundle|upload|package/i;

  it.each(
    FILES.filter((file) => relative(ROOT, file) !== "BENCHMARKS.md").map((file) => [
      relative(ROOT, file),
      file,
    ]),
  )("%s quotes no size of the package or the Worker bundle (BENCHMARKS.md does)", (_, file) => {
    const quoted: string[] = [];
    for (const sentence of prose(readFileSync(file, "utf8")).split(/(?<=\.)\s+/)) {
      if (MEASURED.test(sentence) && FIGURE.test(sentence)) quoted.push(sentence.replace(/\s+/g, " "));
      FIGURE.lastIndex = 0;
    }
    expect(quoted).toEqual([]);
  });
});
