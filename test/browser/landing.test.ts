// The Worker's landing page in Chromium, under the CSP it is sent with: styled (its hashed style applies), a
// working copy button (its hashed script runs), light and dark, readable on a phone, and quiet: no console
// error, no request but the page itself.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { landingPage, type PageFacts } from "../../src/entries/worker-page.js";
import { browserSuite, startChromium } from "./chromium.js";

const FACTS: PageFacts = { sandbox: true, readOnly: false, sharedApprovals: true };

browserSuite("the landing page in Chromium", () => {
  let chromium: Awaited<ReturnType<typeof startChromium>>;
  let browser: Browser;
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    chromium = await startChromium();
    browser = chromium.browser;
    server = createServer(async (request, response) => {
      const page = await landingPage(new Request(`${origin}${request.url}`), FACTS);
      response.writeHead(page.status, Object.fromEntries(page.headers)).end(await page.text());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    server?.close();
    server?.closeAllConnections();
    await chromium?.close();
  });

  async function open(theme: "light" | "dark", width: number) {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requested: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => requested.push(r.url()));
    await page.setViewport({ width, height: 800 });
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: theme }]);
    await page.goto(`${origin}/`);
    return { page, errors, requested };
  }

  const background = (page: Page) => page.$eval("body", (b) => getComputedStyle(b).backgroundColor);

  it("is styled in light and dark, says what it is, and gives a config per client for the sandbox", async () => {
    for (const [theme, colour] of [
      ["light", "rgb(251, 251, 252)"],
      ["dark", "rgb(17, 19, 24)"],
    ] as const) {
      const { page, errors, requested } = await open(theme, 1040);
      expect(await background(page)).toBe(colour);
      const sandbox = await page.$$eval("#try ~ details summary", (s) => s.map((e) => e.textContent));
      expect(sandbox.slice(0, 5)).toEqual([
        "Claude Code",
        "Claude Desktop",
        "VS Code",
        "Cursor",
        "A chat app (custom connector)",
      ]);
      const configs = await page.$$eval("pre code", (c) => c.map((e) => e.textContent ?? ""));
      expect(configs.filter((c) => c.includes(`${origin}/sandbox/mcp`)).length).toBeGreaterThanOrEqual(5);
      for (const config of configs.filter((c) => c.startsWith("{")))
        expect(() => JSON.parse(config)).not.toThrow();
      expect(await page.$eval("footer a", (a) => a.getAttribute("href"))).toMatch(/^https:\/\/github\.com\//);
      expect(errors).toEqual([]);
      expect(requested).toEqual([`${origin}/`]);
      await page.close();
    }
  });

  it("copies a config with its button (the hashed script runs under the page's CSP)", async () => {
    const { page, errors } = await open("light", 1040);
    await page.locator("#try ~ details[open] button.copy").click();
    await page.waitForFunction(() =>
      /Copied|Select and copy/.test(
        document.querySelector("#try ~ details[open] button.copy")?.textContent ?? "",
      ),
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it("fits a phone's width without sideways scrolling", async () => {
    const { page, errors } = await open("dark", 390);
    await page.$$eval("details", (all) => {
      for (const d of all) d.open = true;
    });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
