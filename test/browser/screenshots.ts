// Takes the screenshots in docs/images: the dashboard on the sandbox's demo zone and the Worker's landing page,
// each in light and dark, in the same headless Chromium and host harness as the browser tests. Run by
// `npm run screenshots` (scripts/screenshots.mjs), never by the tests: the images change with the clock.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { landingPage } from "../../src/entries/worker-page.js";
import { DEMO_ZONE_ID, idFor } from "../../src/sandbox/state.js";
import { HAVE_CHROMIUM, NO_CHROMIUM, startChromium } from "./chromium.js";
import { openDashboard } from "./dashboard-host.js";

const OUT = new URL("../../docs/images/", import.meta.url).pathname;
const EXPIRING = idFor(DEMO_ZONE_ID, "pack", "advanced-expiring");

export async function takeScreenshots(): Promise<string[]> {
  if (!HAVE_CHROMIUM) throw new Error(NO_CHROMIUM);
  const chromium = await startChromium();
  const written: string[] = [];
  try {
    for (const theme of ["light", "dark"] as const) {
      const d = await openDashboard(
        chromium.browser,
        "triage_certificates",
        { zone_id: DEMO_ZONE_ID },
        { theme },
      );
      try {
        await d.page.setViewport({ width: 1040, height: 900, deviceScaleFactor: 1 });
        await d.view.waitForSelector("article.pack");
        await d.view.waitForFunction(() =>
          /Updated/.test(document.getElementById("status")?.textContent ?? ""),
        );
        const frame = await d.page.$("iframe");
        const path = `${OUT}dashboard-${theme}.png`;
        await frame?.screenshot({ path });
        written.push(path);
        if (theme === "light") {
          // The approval step: the server's plan, shown where the user asked to delete a pack.
          await d.view.locator(`article[data-pack-id="${EXPIRING}"] button.danger`).click();
          await d.view.waitForSelector("section.approval");
          // Clipped from the host page: the section's place in the view, offset by the frame's in the page.
          const outer = await d.page.$eval("iframe", (e) => {
            const r = e.getBoundingClientRect();
            return { x: r.x + window.scrollX, y: r.y + window.scrollY };
          });
          const inner = await d.view.$eval("section[aria-labelledby=packs-title]", (e) => {
            const r = e.getBoundingClientRect();
            return { x: r.x, y: r.y, width: r.width, height: r.height };
          });
          const approval = `${OUT}dashboard-approval-light.png`;
          await d.page.screenshot({
            path: approval,
            captureBeyondViewport: true,
            clip: {
              x: outer.x + inner.x - 8,
              y: outer.y + inner.y - 8,
              width: inner.width + 16,
              height: inner.height + 16,
            },
          });
          written.push(approval);
        }
      } finally {
        await d.close();
      }
    }
    const html = await landingPage(new Request("https://cloudflare-ssl-mcp.example.workers.dev/"), {
      sandbox: true,
      readOnly: false,
      sharedApprovals: true,
    });
    const body = await html.text();
    const csp = html.headers.get("content-security-policy") ?? "";
    const server = createServer((_, response) =>
      response
        .writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": csp })
        .end(body),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const page = await chromium.browser.newPage();
      const shots = [
        ["landing", 1040, "light"],
        ["landing-phone", 390, "dark"],
      ] as const;
      for (const [name, width, theme] of shots) {
        await page.setViewport({ width, height: 800, deviceScaleFactor: 1 });
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: theme }]);
        await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
        const path = `${OUT}${name}-${theme}.png`;
        await page.screenshot({ path, fullPage: true });
        written.push(path);
      }
    } finally {
      server.close();
      server.closeAllConnections();
    }
  } finally {
    await chromium.close();
  }
  return written;
}
