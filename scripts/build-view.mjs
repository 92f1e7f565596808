// Builds the certificate dashboard (an MCP App) into one self-contained HTML document: the view's TypeScript
// bundled and minified, with its styles (theme.css, parts.css), inlined into src/view/page.html. The result is written to
// src/view/generated-page.json, which the server imports, so Node and the Worker serve it from their
// bundles without reading a file at run time. A test fails when the file is stale (`npm run build` renews it).
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const VIEW = new URL("../src/view/", import.meta.url);
export const GENERATED = new URL("generated-page.json", VIEW);

export async function buildDashboardHtml() {
  const { outputFiles } = await build({
    entryPoints: [new URL("app.ts", VIEW).pathname],
    bundle: true,
    write: false,
    platform: "browser",
    format: "iife",
    target: "es2022",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
  });
  // An inline script ends at the first "</script"; the bundle must never contain one literally.
  const script = outputFiles[0].text.trim().replaceAll("</script", "<\\/script");
  // The theme first (variables, base elements), then the dashboard's parts, which build on it.
  const css = await Promise.all(
    ["theme.css", "parts.css"].map((name) => readFile(new URL(name, VIEW), "utf8")),
  );
  const styles = css
    .join("\n")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\s*\n\s*/g, "")
    .trim();
  const page = await readFile(new URL("page.html", VIEW), "utf8");
  return page.replace("/*STYLES*/", () => styles).replace("/*SCRIPT*/", () => script);
}

/** Renews the generated file when the view changed; answers whether it did. */
export async function writeDashboard() {
  const json = `${JSON.stringify({ html: await buildDashboardHtml() })}\n`;
  const old = await readFile(GENERATED, "utf8").catch(() => "");
  if (old === json) return false;
  await writeFile(GENERATED, json);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await writeDashboard();
