// npm run bench:install: what a user installs and how fast the installed bin answers. Packs the tarball,
// installs it offline into an empty folder, counts what landed, times a first `npx` from an empty cache, and
// times spawn to tools/list of the installed bin against bare `node -e ""` in the same run.
// Writes bench/results/install.json.
import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { coldStart, percentile, round, table, timeProcess } from "./lib.js";

const quick = process.argv.includes("--quick");
const runs = quick ? 5 : 15;
const env = { CLOUDFLARE_API_TOKEN: "bench-token", CLOUDFLARE_BASE_URL: "http://127.0.0.1:9/client/v4" };
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", [...args, "--no-audit", "--no-fund", "--no-update-notifier"], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });

function sizeOf(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

const packages = (modules: string) =>
  readdirSync(modules)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) => (name.startsWith("@") ? readdirSync(join(modules, name)) : [name])).length;

const dir = mkdtempSync(join(tmpdir(), "cloudflare-ssl-mcp-bench-"));
try {
  const out = npm(["pack", "--json", "--pack-destination", dir], process.cwd());
  const packed = JSON.parse(out.slice(out.indexOf("[")))[0] as { filename: string; size: number };
  const tarball = join(dir, packed.filename);
  const app = join(dir, "app");
  mkdirSync(app);
  let started = performance.now();
  npm(["install", "--offline", tarball], app);
  const installMs = performance.now() - started;
  const modules = join(app, "node_modules");

  // A first npx fetches and installs into its own cache; an empty cache per run makes each run a first one.
  const firstNpx: number[] = [];
  for (let i = 0; i < 3; i++) {
    const cache = join(dir, `cache-${i}`);
    started = performance.now();
    execFileSync("npx", ["--cache", cache, "-y", "--package", tarball, "cloudflare-ssl-mcp", "--version"], {
      cwd: dir,
      stdio: "ignore",
    });
    firstNpx.push(performance.now() - started);
  }

  const bin = join(modules, ".bin", "cloudflare-ssl-mcp");
  const installed: number[] = [];
  const viaNpx: number[] = [];
  const bare: number[] = [];
  // Interleaved, so that a busy moment of the machine touches every variant alike; 2 warm-up rounds.
  for (let i = 0; i < runs + 2; i++) {
    const b = await coldStart(bin, [], env);
    const n = await coldStart("npx", ["--prefix", app, "--no-install", "cloudflare-ssl-mcp"], env);
    const node = await timeProcess(process.execPath, ["-e", ""], env);
    if (i < 2) continue;
    installed.push(b.list);
    viaNpx.push(n.list);
    bare.push(node);
  }
  const bareP50 = percentile(bare, 50);
  const figures = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
    tarballBytes: packed.size,
    installedPackages: packages(modules),
    installedBytes: sizeOf(modules),
    installOfflineMs: round(installMs),
    firstNpxMs: firstNpx.map((ms) => round(ms)),
    runs,
    toolsListP50Ms: {
      installedBin: round(percentile(installed, 50)),
      npxInstalled: round(percentile(viaNpx, 50)),
      bareNode: round(bareP50),
    },
    ratioToBareNode: {
      installedBin: round(percentile(installed, 50) / bareP50),
      npxInstalled: round(percentile(viaNpx, 50) / bareP50),
    },
  };
  console.log("\n## Installed package");
  console.log(
    table([
      ["tarball", "packages installed", "installed size", "offline install", "first npx (empty cache)"],
      [
        `${round(packed.size / 2 ** 20)} MiB`,
        figures.installedPackages,
        `${round(figures.installedBytes / 2 ** 20)} MiB`,
        `${round(installMs)} ms`,
        firstNpx.map((ms) => `${round(ms)} ms`).join(", "),
      ],
    ]),
  );
  console.log(`\n## Spawn to tools/list answer (ms, ${runs} runs)`);
  const row = (name: string, samples: number[]) => [
    name,
    round(percentile(samples, 50)),
    round(percentile(samples, 10)),
    round(percentile(samples, 90)),
    round(percentile(samples, 50) / bareP50),
  ];
  console.log(
    table([
      ["variant", "p50", "p10", "p90", "× bare node"],
      row("installed bin (node_modules/.bin)", installed),
      row("npx cloudflare-ssl-mcp, installed", viaNpx),
      row('node -e "" (exit)', bare),
    ]),
  );
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/install.json", `${JSON.stringify(figures, null, 2)}\n`);
  console.log("\nwrote bench/results/install.json");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
