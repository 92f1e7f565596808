// Destructive calls send nothing that changes state until the user approved: by elicitation where the client
// can ask, else by confirm: true. The fake's request log is the proof.
import type { ElicitRequest } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import {
  CUSTOM_CERT,
  type Harness,
  type HarnessOptions,
  PACK,
  startHarness,
  textOf,
  ZONE,
} from "./helpers/harness.js";

let h: Harness;
async function start(options?: HarnessOptions) {
  h = await startHarness(options);
  return h;
}
afterEach(() => h?.close());

const mutations = () => h.fake.log.filter((r) => r.method !== "GET");

const DESTRUCTIVE = [
  {
    tool: "delete_certificate_pack",
    args: { zone_id: ZONE, certificate_pack_id: PACK.expiring },
    plan: [
      /Delete advanced certificate pack/,
      /example\.com, www\.example\.com/,
      /status active/,
      /cannot be undone/,
    ],
  },
  {
    tool: "prioritize_custom_certificates",
    args: { zone_id: ZONE, certificates: [{ id: CUSTOM_CERT.legacy, priority: 9 }] },
    plan: [
      /Re-prioritize custom certificates/,
      new RegExp(
        `${CUSTOM_CERT.legacy} \\(legacy_custom, example\\.com, \\*\\.example\\.com\\): priority 2 -> 9`,
      ),
    ],
  },
  {
    tool: "update_universal_ssl_settings",
    args: { zone_id: ZONE, enabled: false },
    plan: [
      /Disable Universal SSL/,
      /removes the Universal certificate \(example\.com, \*\.example\.com\)/,
      /Every Universal host is covered by another active certificate/,
    ],
  },
];

describe.each(DESTRUCTIVE)("$tool", ({ tool, args, plan }) => {
  it("without elicitation and without confirm: performs nothing and describes what would happen", async () => {
    await start();
    const result = await h.call(tool, args);
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toMatch(/NOT DONE, confirmation required/);
    expect(text).toMatch(/call again with the same arguments and confirm: true/);
    for (const part of plan) expect(text).toMatch(part);
    expect(mutations()).toEqual([]);
  });

  it("without elicitation, confirm: true performs it once", async () => {
    await start();
    const result = await h.call(tool, { ...args, confirm: true });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(mutations()).toHaveLength(1);
  });

  it("with elicitation accepted: asks the user with the plan, then performs it once", async () => {
    const asked: ElicitRequest["params"][] = [];
    await start({
      elicit: (params) => {
        asked.push(params);
        return { action: "accept", content: { approve: true } };
      },
    });
    const result = await h.call(tool, args);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(asked).toHaveLength(1);
    for (const part of plan) expect(asked[0]?.message).toMatch(part);
    expect(mutations()).toHaveLength(1);
  });

  it.each([
    ["decline", { action: "decline" as const }, /the user declined/],
    ["cancel", { action: "cancel" as const }, /dismissed the request/],
    [
      "accept without approval",
      { action: "accept" as const, content: { approve: false } },
      /the user declined/,
    ],
  ])("with elicitation answered %s: performs nothing, even with confirm: true", async (_, answer, said) => {
    await start({ elicit: () => answer });
    const result = await h.call(tool, { ...args, confirm: true });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(said);
    expect(textOf(result)).toMatch(/Nothing was changed/);
    expect(mutations()).toEqual([]);
  });

  it("elicitation-only: a client without elicitation is refused, even with confirm: true", async () => {
    await start({ elicitationOnly: true });
    const result = await h.call(tool, { ...args, confirm: true });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/accept confirmation only from the user through MCP elicitation/);
    expect(mutations()).toEqual([]);
  });

  it("elicitation-only: a client with elicitation is asked and can approve", async () => {
    await start({ elicitationOnly: true, elicit: () => ({ action: "accept", content: { approve: true } }) });
    const result = await h.call(tool, args);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(mutations()).toHaveLength(1);
  });
});

describe("elicitation answers are checked against the schema asked with", () => {
  it("an answer of the wrong type approves nothing", async () => {
    await start({ elicit: () => ({ action: "accept", content: { approve: "yes" } }) });
    const result = await h.call("delete_certificate_pack", {
      zone_id: ZONE,
      certificate_pack_id: PACK.expiring,
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Nothing was changed/);
    expect(mutations()).toEqual([]);
  });
});

describe("plans read the current state", () => {
  it("disabling Universal SSL names hosts that would be left without a certificate", async () => {
    await start();
    const zone = h.fake.zones.get(ZONE);
    for (const pack of zone?.packs.values() ?? []) if (pack.type !== "universal") zone?.packs.delete(pack.id);
    const result = await h.call("update_universal_ssl_settings", { zone_id: ZONE, enabled: false });
    expect(textOf(result)).toMatch(/No other active certificate exists on the zone/);
    expect(textOf(result)).toMatch(/Left with no certificate: example\.com, \*\.example\.com/);
  });

  it("enabling Universal SSL needs no approval", async () => {
    await start();
    const result = await h.call("update_universal_ssl_settings", { zone_id: ZONE, enabled: true });
    expect(result.isError).toBeFalsy();
    expect(mutations()).toHaveLength(1);
  });

  it("deleting a Universal pack is refused before asking, with the right way to do it", async () => {
    let asked = 0;
    await start({
      elicit: () => {
        asked += 1;
        return { action: "accept", content: { approve: true } };
      },
    });
    const result = await h.call("delete_certificate_pack", {
      zone_id: ZONE,
      certificate_pack_id: PACK.universal,
    });
    expect(textOf(result)).toMatch(/only advanced packs can be deleted/);
    expect(textOf(result)).toMatch(/update_universal_ssl_settings/);
    expect(asked).toBe(0);
    expect(mutations()).toEqual([]);
  });

  it("deleting a pack that does not exist fails on the read, before any question", async () => {
    await start();
    const result = await h.call("delete_certificate_pack", {
      zone_id: ZONE,
      certificate_pack_id: "0000",
      confirm: true,
    });
    expect(textOf(result)).toMatch(/HTTP 404/);
    expect(mutations()).toEqual([]);
  });
});
