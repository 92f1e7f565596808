// End-to-end tests spawn the bundle that `bin` points at; build it from the current sources first so a
// stale dist/ can never be what is tested.
import { execFileSync } from "node:child_process";

export default function buildOnce() {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
