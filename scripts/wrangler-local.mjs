// Wrangler for local work only (dev, dry-run builds, conformance runs): it sends no metrics or error reports,
// skips its update check, never fetches the Request.cf sample, and sees no account credentials, so nothing it
// does can reach Cloudflare or log in. `npm run deploy` does not use this: deploying needs the credentials.
//   node scripts/wrangler-local.mjs <wrangler arguments>
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const wranglerBin = join(root, "node_modules/wrangler/bin/wrangler.js");

const CREDENTIALS = [
  "CLOUDFLARE_API_TOKEN",
  "CLOUDFLARE_API_KEY",
  "CLOUDFLARE_EMAIL",
  "CLOUDFLARE_ACCOUNT_ID",
];

export function localWranglerEnv(base = process.env) {
  const env = {
    ...base,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    // The banner is where wrangler asks the registry for a newer version.
    WRANGLER_HIDE_BANNER: "true",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
  };
  for (const name of CREDENTIALS) delete env[name];
  return env;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const child = spawn(process.execPath, [wranglerBin, ...process.argv.slice(2)], {
    cwd: root,
    env: localWranglerEnv(),
    stdio: "inherit",
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
