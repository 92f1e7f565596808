import { afterEach, expect, it } from "vitest";
import { idFor, DEMO_ZONE_ID as ZONE } from "../../src/sandbox/state.js";
import { browserSuite, useChromium } from "./chromium.js";
import { type OpenDashboard, openDashboard, textIn } from "./dashboard-host.js";

const TIMED_OUT = idFor(ZONE, "pack", "advanced-timed-out");
const EXPIRING = idFor(ZONE, "pack", "advanced-expiring");

browserSuite("dashboard actions in Chromium", () => {
  const browser = useChromium();
  let open: OpenDashboard | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  const settled = (d: OpenDashboard) =>
    d.view.waitForFunction(() => /Updated/.test(document.getElementById("status")?.textContent ?? ""));
  const callsOf = (d: OpenDashboard, name: string) => d.calls.filter((c) => c.name === name);

  it("restarts validation, changes the method and orders a pack, each once, then shows the zone anew", async () => {
    open = await openDashboard(browser(), "triage_certificates", { zone_id: ZONE });
    const d = open;
    await settled(d);
    const card = `article[data-pack-id="${TIMED_OUT}"]`;
    await d.view.locator(`${card} ::-p-text(Restart validation)`).click();
    await d.view.waitForFunction(() => /Restart validation: done/.test(document.body.innerText));
    expect(callsOf(d, "restart_certificate_pack_validation")).toEqual([
      {
        name: "restart_certificate_pack_validation",
        arguments: { zone_id: ZONE, certificate_pack_id: TIMED_OUT },
      },
    ]);
    await settled(d);
    await d.view.select(`${card} select`, "http");
    await d.view.locator(`${card} ::-p-text(Change method)`).click();
    await d.view.waitForFunction(() =>
      /Change validation method to http: done/.test(document.body.innerText),
    );
    expect(callsOf(d, "update_ssl_verification_method")[0]?.arguments).toEqual({
      zone_id: ZONE,
      certificate_pack_id: TIMED_OUT,
      validation_method: "http",
    });
    await settled(d);
    await d.view.locator("input[name=hosts]").fill("example.com, new.example.com");
    await d.view.locator("::-p-text(Order pack)").click();
    await d.view.waitForFunction(() => document.body.innerText.includes("new.example.com"));
    expect(callsOf(d, "order_certificate_pack")[0]?.arguments).toEqual({
      zone_id: ZONE,
      hosts: ["example.com", "new.example.com"],
      validation_method: "txt",
      certificate_authority: "lets_encrypt",
      validity_days: 90,
    });
    expect(d.errors).toEqual([]);
  });

  it("shows the plan to disable Universal SSL and to re-prioritise, and sends neither when cancelled", async () => {
    open = await openDashboard(browser(), "list_certificate_packs", { zone_id: ZONE, status: "all" });
    const d = open;
    await settled(d);
    for (const [button, tool] of [
      ["Disable Universal SSL…", "update_universal_ssl_settings"],
      ["Re-prioritise…", "prioritize_custom_certificates"],
    ]) {
      await d.view.locator(`::-p-text(${button})`).click();
      await d.view.waitForSelector("section.approval .plan");
      const calls = callsOf(d, tool as string);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.arguments?.confirm).toBeUndefined();
      const plan = await d.callTool(tool as string, calls[0]?.arguments ?? {});
      expect(await textIn(d.view, "section.approval .plan")).toBe(
        (plan.structuredContent as { approval: { plan: string } }).approval.plan,
      );
      await d.view.locator("section.approval ::-p-text(Cancel)").click();
      await d.view.waitForSelector("section.approval", { hidden: true });
      expect(callsOf(d, tool as string)).toHaveLength(1);
    }
    const universal = await d.callTool("get_universal_ssl_settings", { zone_id: ZONE });
    expect(universal.structuredContent).toMatchObject({ enabled: true });
    expect(d.errors).toEqual([]);
  });

  it("deletes a pack by keyboard alone: Enter on Delete, the plan takes focus, Tab to Confirm, Enter", async () => {
    open = await openDashboard(browser(), "triage_certificates", { zone_id: ZONE });
    const d = open;
    await settled(d);
    await d.view.focus(`article[data-pack-id="${EXPIRING}"] button.danger`);
    await d.page.keyboard.press("Enter");
    await d.view.waitForFunction(() => document.activeElement?.id === "approval-title");
    await d.page.keyboard.press("Tab");
    expect(await d.view.evaluate(() => document.activeElement?.textContent)).toMatch(/^Confirm: Delete/);
    await d.page.keyboard.press("Enter");
    await d.view.waitForSelector(`article[data-pack-id="${EXPIRING}"]`, { hidden: true });
    expect(callsOf(d, "delete_certificate_pack").filter((c) => c.arguments?.confirm)).toHaveLength(1);
    expect(d.errors).toEqual([]);
  });

  it("copies a record's value to the clipboard", async () => {
    const context = browser().defaultBrowserContext();
    open = await openDashboard(browser(), "triage_certificates", { zone_id: ZONE });
    const d = open;
    await context.overridePermissions(d.hostUrl, [
      "clipboard-read",
      "clipboard-write",
      "clipboard-sanitized-write",
    ]);
    await settled(d);
    const value = await textIn(
      d.view,
      "section[aria-labelledby=records-title] tbody tr td:nth-child(3) code",
    );
    await d.view.locator("section[aria-labelledby=records-title] tbody tr td:nth-child(3) button").click();
    await d.view.waitForFunction(() =>
      /Copied/.test(
        document.querySelector("section[aria-labelledby=records-title] td:nth-child(3) button")
          ?.textContent ?? "",
      ),
    );
    expect(await d.page.evaluate(() => navigator.clipboard.readText())).toBe(value);
    expect(d.errors).toEqual([]);
  });
});
