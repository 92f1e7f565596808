// Builds the Worker exactly as `wrangler deploy` would, without deploying, and fails when the gzipped bundle
// is over budget or still imports a Node built-in (the Worker runs without nodejs_compat, so such an import
// would only fail once deployed). Prints the sizes either way.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { localWranglerEnv, root, wranglerBin } from "./wrangler-local.mjs";

const LIMIT_BYTES = 1024 * 1024;
const outdir = mkdtempSync(join(tmpdir(), "worker-size-"));

try {
  const run = spawnSync(process.execPath, [wranglerBin, "deploy", "--dry-run", "--outdir", outdir], {
    cwd: root,
    env: localWranglerEnv(),
    encoding: "utf8",
    timeout: 120_000,
  });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
  if (run.status !== 0) {
    process.stderr.write(output);
    fail(`wrangler deploy --dry-run failed (${run.error?.message ?? `exit ${run.status}`})`);
  }
  if (/is built into node/i.test(output)) {
    process.stderr.write(output);
    fail("the Worker bundle imports a Node built-in; the Worker runs without nodejs_compat");
  }

  // Source maps and wrangler's README stay on this machine; everything else is uploaded.
  const modules = readdirSync(outdir, { recursive: true, withFileTypes: true }).filter(
    (entry) => entry.isFile() && !entry.name.endsWith(".map") && entry.name !== "README.md",
  );
  let raw = 0;
  let gzipped = 0;
  for (const entry of modules) {
    const bytes = readFileSync(join(entry.parentPath, entry.name));
    raw += bytes.length;
    gzipped += gzipSync(bytes).length;
    const nodeImport = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']node:[\w/]+["']/.exec(
      bytes.toString("utf8"),
    );
    if (nodeImport)
      fail(`${entry.name} still imports ${nodeImport[0]}; the Worker runs without nodejs_compat`);
  }
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const verdict = gzipped <= LIMIT_BYTES ? "within" : "over";
  console.log(
    `worker bundle: ${kib(raw)} raw, ${kib(gzipped)} gzipped in ${modules.length} module(s); ${verdict} the ${kib(LIMIT_BYTES)} gzipped budget`,
  );
  if (gzipped > LIMIT_BYTES) process.exitCode = 1;
} finally {
  rmSync(outdir, { recursive: true, force: true });
}

function fail(message) {
  console.error(`worker-size: ${message}`);
  rmSync(outdir, { recursive: true, force: true });
  process.exit(1);
}
