// Headless Chromium from the system's package (Debian: apt-get install chromium), driven by puppeteer-core:
// nothing is downloaded at install time. Without it the browser tests skip and say how to get it.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, launch } from "puppeteer-core";
import { afterAll, beforeAll, describe } from "vitest";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const NO_CHROMIUM = `skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`;

export async function startChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
  const browser = await launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A suite that needs Chromium: skipped, with how to install it in its name, where there is none. A real
 * browser on a shared machine gets generous limits; they guard against a hang and measure nothing.
 */
export function browserSuite(name: string, suite: () => void): void {
  // Said once per file, so a run without Chromium tells why these tests did not run and how to make them.
  if (!HAVE_CHROMIUM) console.warn(`${name}: ${NO_CHROMIUM}`);
  describe.skipIf(!HAVE_CHROMIUM)(
    HAVE_CHROMIUM ? name : `${name} (${NO_CHROMIUM})`,
    { timeout: 60_000 },
    suite,
  );
}

/** Starts Chromium once for the suite it is called in and closes it after; the browser, once started. */
export function useChromium(): () => Browser {
  let chromium: Awaited<ReturnType<typeof startChromium>> | undefined;
  beforeAll(async () => {
    chromium = await startChromium();
  }, 60_000);
  afterAll(() => chromium?.close());
  return () => {
    if (!chromium) throw new Error("Chromium has not started");
    return chromium.browser;
  };
}
