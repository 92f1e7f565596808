import { afterEach, expect, it } from "vitest";
import { FREE_ZONE_ID, idFor, DEMO_ZONE_ID as ZONE } from "../../src/sandbox/state.js";
import { browserSuite, useChromium } from "./chromium.js";
import { type OpenDashboard, openDashboard, textIn } from "./dashboard-host.js";

const EXPIRING = idFor(ZONE, "pack", "advanced-expiring");
type Pack = { id: string; status: string; hosts: string[] };
type Finding = { summary: string; next_action?: { publish?: { value: string }[] } };

browserSuite("the dashboard in Chromium", () => {
  const browser = useChromium();
  let open: OpenDashboard | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  /** No request but the host page, its script and the view's document; no console error. */
  function expectQuietPage(d: OpenDashboard) {
    expect(d.errors).toEqual([]);
    expect(d.requested).toEqual([`${d.hostUrl}/`, `${d.hostUrl}/host.js`, `${d.hostUrl}/view`]);
    expect(d.served).toEqual(["/", "/host.js", "/view"]);
  }

  async function packs(d: OpenDashboard): Promise<Pack[]> {
    const list = await d.callTool("list_certificate_packs", {
      zone_id: ZONE,
      status: "all",
      all_pages: true,
    });
    return (list.structuredContent as { packs: Pack[] }).packs;
  }

  it("shows the zone from triage: every pack with its hosts and status, the findings and the records to publish", async () => {
    open = await openDashboard(browser(), "triage_certificates", { zone_id: ZONE });
    const d = open;
    await d.view.waitForSelector("article.pack");
    // The zone by its apex (the host every pack covers) and its id.
    expect(await textIn(d.view, "h1")).toBe(`example.com · zone ${ZONE}`);
    const all = await packs(d);
    expect(all.length).toBeGreaterThan(3);
    for (const pack of all) {
      const card = await textIn(d.view, `article[data-pack-id="${pack.id}"]`);
      for (const host of pack.hosts) expect(card, pack.id).toContain(host);
      expect(card, pack.id).toContain(pack.status);
    }
    const triage = await d.callTool("triage_certificates", { zone_id: ZONE });
    const findings = (triage.structuredContent as { findings: Finding[] }).findings;
    const shown = await textIn(d.view, "section[aria-labelledby=findings-title]");
    for (const finding of findings) expect(shown).toContain(finding.summary);
    const records = await textIn(d.view, "section[aria-labelledby=records-title]");
    const values = findings.flatMap((f) => f.next_action?.publish ?? []).map((r) => r.value);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) expect(records).toContain(value);
    const copyButtons = await d.view.$$eval("section[aria-labelledby=records-title] button", (b) => b.length);
    expect(copyButtons).toBe(2 * new Set(values).size);
    expect(await textIn(d.view, "section[aria-labelledby=timeline-title]")).toMatch(
      /\d{4}-\d\d-\d\d · \d+ days/,
    );
    // The view read the packs it was not handed through the host, and nothing else.
    expect(d.calls.map((c) => c.name).sort()).toEqual(["list_certificate_packs", "triage_certificates"]);
    expectQuietPage(d);
  });

  it("deletes a pack only after the plan was shown and confirmed in the view", async () => {
    open = await openDashboard(browser(), "list_certificate_packs", { zone_id: ZONE, status: "all" });
    const d = open;
    const remove = `article[data-pack-id="${EXPIRING}"] button.danger`;
    await d.view.waitForSelector(remove);
    await d.view.locator(remove).click();
    await d.view.waitForSelector("section.approval");
    // The plan shows where the user acted, right after the pack's card, not out of sight at the top.
    expect(
      await d.view.$eval("section.approval", (e) => e.previousElementSibling?.getAttribute("data-pack-id")),
    ).toBe(EXPIRING);
    const planCall = await d.callTool("delete_certificate_pack", {
      zone_id: ZONE,
      certificate_pack_id: EXPIRING,
    });
    const plan = (planCall.structuredContent as { approval: { plan: string } }).approval.plan;
    // The plan is API text: shown as text, never parsed into elements.
    expect(await textIn(d.view, "section.approval .plan")).toBe(plan);
    expect(await d.view.$eval("section.approval .plan", (p) => p.childElementCount)).toBe(0);
    const deletes = () => d.calls.filter((c) => c.name === "delete_certificate_pack");
    expect(deletes()).toEqual([
      { name: "delete_certificate_pack", arguments: { zone_id: ZONE, certificate_pack_id: EXPIRING } },
    ]);
    expect((await packs(d)).map((p) => p.id)).toContain(EXPIRING);

    // Cancel sends nothing; a second try, confirmed, sends the plan's confirm value once.
    await d.view.locator("section.approval .actions button:not(.danger)").click();
    await d.view.waitForSelector("section.approval", { hidden: true });
    expect(deletes()).toHaveLength(1);
    await d.view.locator(remove).click();
    await d.view.waitForSelector("section.approval");
    await d.view.locator("section.approval button.danger").click();
    await d.view.waitForSelector(`article[data-pack-id="${EXPIRING}"]`, { hidden: true });
    expect(deletes()).toHaveLength(3);
    expect(deletes()[2]?.arguments?.confirm).toEqual(expect.any(String));
    expect(deletes().filter((c) => c.arguments?.confirm)).toHaveLength(1);
    expect((await packs(d)).map((p) => p.id)).not.toContain(EXPIRING);
    expect(await textIn(d.view, "#status")).toMatch(/Updated|done/);
    expectQuietPage(d);
  });

  it("follows the host's theme and display mode, and names every control", async () => {
    open = await openDashboard(browser(), "triage_certificates", { zone_id: ZONE }, { theme: "dark" });
    const d = open;
    await d.view.waitForSelector("article.pack");
    const background = () => d.view.$eval("body", (b) => getComputedStyle(b).backgroundColor);
    expect(await background()).toBe("rgb(22, 24, 29)");
    await d.page.evaluate(() =>
      (globalThis as unknown as { changeHostContext(c: unknown): void }).changeHostContext({
        theme: "light",
      }),
    );
    await d.view.waitForFunction(() => document.documentElement.dataset.theme === "light");
    expect(await background()).toBe("rgb(255, 255, 255)");
    await d.page.evaluate(() =>
      (globalThis as unknown as { changeHostContext(c: unknown): void }).changeHostContext({
        displayMode: "fullscreen",
      }),
    );
    await d.view.waitForFunction(() => document.documentElement.dataset.mode === "fullscreen");
    // The view's own button asks the host (ui/request-display-mode) and follows its answer.
    await d.view.locator("::-p-text(Exit full screen)").click();
    await d.view.waitForFunction(() => document.documentElement.dataset.mode === "inline");
    expect(await d.view.$$eval("button", (b) => b.map((e) => e.textContent))).toContain("Full screen");
    const unnamed = await d.view.$$eval("button, select, input", (controls) =>
      controls
        .filter(
          (c) =>
            !(
              c.getAttribute("aria-label") ||
              c.textContent?.trim() ||
              c.closest("label")?.textContent?.trim()
            ),
        )
        .map((c) => c.outerHTML),
    );
    expect(unnamed).toEqual([]);
    // Keyboard: the first control takes focus from Tab.
    await d.view.focus("button");
    expect(await d.view.evaluate(() => document.activeElement?.tagName)).toBe("BUTTON");
    expectQuietPage(d);
  });

  it("takes the host's style variables, and tells the host its height", async () => {
    open = await openDashboard(browser(), "triage_certificates", { zone_id: ZONE });
    const d = open;
    await d.view.waitForSelector("article.pack");
    await d.page.evaluate(() =>
      (globalThis as unknown as { changeHostContext(c: unknown): void }).changeHostContext({
        styles: { variables: { "--color-background-primary": "rgb(250, 240, 230)" } },
      }),
    );
    await d.view.waitForFunction(
      () => getComputedStyle(document.body).backgroundColor === "rgb(250, 240, 230)",
    );
    // The harness sizes the frame from ui/notifications/size-changed; it starts at 400px.
    const frameHeight = await d.page.$eval("iframe", (frame) => frame.getBoundingClientRect().height);
    const content = await d.view.evaluate(() => document.documentElement.scrollHeight);
    expect(frameHeight).toBeGreaterThan(400);
    expect(Math.abs(frameHeight - content)).toBeLessThanOrEqual(1);
    expectQuietPage(d);
  });

  it("says what went wrong when a tool fails, in words from the server", async () => {
    const unknown = "0".repeat(32);
    open = await openDashboard(browser(), "triage_certificates", { zone_id: unknown });
    const d = open;
    const failed = await d.callTool("triage_certificates", { zone_id: unknown });
    expect(failed.isError).toBe(true);
    await d.view.waitForFunction(() => document.getElementById("status")?.dataset.tone === "error");
    const said = await textIn(d.view, "#status");
    const first = (failed.content[0] as { text: string }).text.split("\n")[0] ?? "";
    expect(said).toContain(first);
    expectQuietPage(d);
  });

  it("lists the zones of a fleet result and opens one", async () => {
    // The fleet shape: a `zones` array, each zone with its id and its own triage.
    const fleet = (zoneResults: Record<string, unknown>[]) => ({
      content: [{ type: "text" as const, text: "fleet" }],
      structuredContent: { zones: zoneResults },
    });
    open = await openDashboard(browser(), "triage_certificates", { zone_id: FREE_ZONE_ID }, {}, (free) =>
      fleet([
        { zone_id: ZONE, name: "example.com", healthy: false, counts: { high: 2 } },
        { zone_id: FREE_ZONE_ID, name: "example.net", ...(free.structuredContent as object) },
      ]),
    );
    const d = open;
    await d.view.waitForSelector("ul.zones");
    const zones = await textIn(d.view, "ul.zones");
    expect(zones).toContain("example.com");
    expect(zones).toContain("example.net");
    expect(zones).toContain("2 high");
    await d.view.locator("ul.zones li:first-child button").click();
    await d.view.waitForFunction(
      (zone) =>
        document.querySelector("h1")?.textContent?.includes(zone) && document.querySelector("article.pack"),
      {},
      ZONE,
    );
    expect(d.calls.at(-1)?.arguments?.zone_id).toBe(ZONE);
    expectQuietPage(d);
  });

  it("takes messages from its host only: a sibling frame's forged tool result is ignored", async () => {
    open = await openDashboard(browser(), "triage_certificates", { zone_id: ZONE });
    const d = open;
    await d.view.waitForSelector("article.pack");
    await d.page.evaluate(() => {
      const forged = {
        jsonrpc: "2.0",
        method: "ui/notifications/tool-result",
        params: { structuredContent: { zones: [{ zone_id: "f".repeat(32), name: "forged.example" }] } },
      };
      const sibling = document.createElement("iframe");
      sibling.setAttribute("sandbox", "allow-scripts");
      sibling.srcdoc = `<script>parent.frames[0].postMessage(${JSON.stringify(forged)}, "*");</script>`;
      document.body.append(sibling);
      return new Promise((resolve) => sibling.addEventListener("load", resolve));
    });
    // The same message from the host itself is shown, so the one from the sibling was refused, not lost.
    expect(await d.view.evaluate(() => document.body.innerText)).not.toContain("forged.example");
    await d.page.evaluate(() =>
      (
        globalThis as unknown as { hostBridge: { sendToolResult(r: unknown): Promise<void> } }
      ).hostBridge.sendToolResult({
        content: [],
        structuredContent: { zones: [{ zone_id: "e".repeat(32), name: "from-the-host.example" }] },
      }),
    );
    await d.view.waitForFunction(() => document.body.innerText.includes("from-the-host.example"));
    expect(await d.view.evaluate(() => document.body.innerText)).not.toContain("forged.example");
    expectQuietPage(d);
  });

  it("would see it if the view logged an error or tried to reach out (the harness's own check)", async () => {
    open = await openDashboard(browser(), "triage_certificates", { zone_id: ZONE });
    const d = open;
    await d.view.waitForSelector("article.pack");
    await d.view.evaluate(() => {
      console.error("an error in the view");
      void fetch("http://127.0.0.1:9/beacon").catch(() => undefined);
    });
    await expect.poll(() => d.errors.join("\n")).toMatch(/an error in the view/);
    // The CSP the host built refuses the connection before it is made, and says so.
    await expect.poll(() => d.errors.join("\n")).toMatch(/Content Security Policy/);
    expect(d.served).toEqual(["/", "/host.js", "/view"]);
  });
});
