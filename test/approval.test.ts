// Approvals bound to their plan: each refusal has its own reason, an approval works once and not after its
// expiry, any signer with the same key accepts it, and the string handed to the caller reveals nothing.
import { describe, expect, it } from "vitest";
import {
  APPROVAL_TTL_MAX_MS,
  type ApprovalSubject,
  ApprovalsCrowded,
  canonicalJson,
  createApprovalSigner,
  credentialId,
} from "../src/core/approval.js";
import { memorySpentNonces, SPENT_PER_CREDENTIAL } from "../src/core/spent-nonces.js";

const KEY = "approval-key-for-tests-0123456789abcdef0123456789";
const OTHER_KEY = new Uint8Array(32).fill(7);
const TOKEN = "Zq3_kP9-vT2xLm8NcR4sWb7YhJ5dGf1aEo6uIi0Q";

function clock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

async function subject(overrides: Partial<ApprovalSubject> = {}): Promise<ApprovalSubject> {
  return {
    tool: "delete_certificate_pack",
    args: { zone_id: "023e105f4ecef8ad9ca31a8372d0c353", certificate_pack_id: "3f2a9c1e" },
    credential: await credentialId({ token: TOKEN }),
    state: canonicalJson({ id: "3f2a9c1e", hosts: ["example.com"], status: "active" }),
    ...overrides,
  };
}

const decodePayload = (confirm: string) =>
  atob((confirm.split(".")[0] ?? "").replace(/-/g, "+").replace(/_/g, "/"));

describe("issue and verify", () => {
  it("an approval verifies for the same call, and says when it expires", async () => {
    const time = clock();
    const signer = createApprovalSigner({ key: KEY, now: time.now });
    const approval = await signer.issue(await subject());
    expect(approval.confirm).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(approval.expires_at).toBe(new Date(time.now() + APPROVAL_TTL_MAX_MS).toISOString());
    expect(await signer.verify(approval.confirm, await subject())).toEqual({ ok: true });
  });

  it("the same arguments in another key order, or with confirm among them, are the same call", async () => {
    const signer = createApprovalSigner({ key: KEY });
    const approval = await signer.issue(await subject({ args: { b: [1, { y: 2, x: 1 }], a: "z" } }));
    const reordered = await subject({ args: { confirm: approval.confirm, a: "z", b: [1, { x: 1, y: 2 }] } });
    expect(await signer.verify(approval.confirm, reordered)).toEqual({ ok: true });
  });

  it("each approval is distinct, even for the same call at the same instant", async () => {
    const signer = createApprovalSigner({ key: KEY, now: () => 0 });
    const first = await signer.issue(await subject());
    const second = await signer.issue(await subject());
    expect(first.confirm).not.toBe(second.confirm);
  });
});

describe("refusals", () => {
  it("refuses another tool, other arguments, another credential and a changed state", async () => {
    const signer = createApprovalSigner({ key: KEY });
    const { confirm } = await signer.issue(await subject());
    const cases: Array<[Partial<ApprovalSubject>, string]> = [
      [{ tool: "update_universal_ssl_settings" }, "other_tool"],
      [
        { args: { zone_id: "023e105f4ecef8ad9ca31a8372d0c353", certificate_pack_id: "other" } },
        "other_arguments",
      ],
      [{ args: { zone_id: "023e105f4ecef8ad9ca31a8372d0c353" } }, "other_arguments"],
      [{ credential: await credentialId({ token: `${TOKEN}x` }) }, "other_credential"],
      [{ credential: await credentialId({ email: "a@example.org", key: TOKEN }) }, "other_credential"],
      [
        { state: canonicalJson({ id: "3f2a9c1e", hosts: ["example.com"], status: "deleted" }) },
        "state_changed",
      ],
    ];
    for (const [change, reason] of cases) {
      expect(await signer.verify(confirm, await subject(change)), reason).toEqual({ ok: false, reason });
    }
    // None of those refusals spent it.
    expect(await signer.verify(confirm, await subject())).toEqual({ ok: true });
  });

  it("refuses a string that is not an approval", async () => {
    const signer = createApprovalSigner({ key: KEY });
    const { confirm } = await signer.issue(await subject());
    const [body, signature] = confirm.split(".") as [string, string];
    const notJson = btoa("not json").replace(/=/g, "");
    const wrongShape = btoa(JSON.stringify({ v: 1, tool: "x" })).replace(/=/g, "");
    for (const bad of [
      true,
      "true",
      "",
      undefined,
      42,
      body,
      `${body}.${signature}.x`,
      `${body}.${signature.slice(1)}`,
      `${body}!.${signature}`,
      `${notJson}.${signature}`,
      `${wrongShape}.${signature}`,
      `${"A".repeat(5000)}.${signature}`,
    ]) {
      expect(await signer.verify(bad, await subject()), String(bad)).toEqual({
        ok: false,
        reason: "malformed",
      });
    }
  });

  it("refuses a tampered payload or signature", async () => {
    const signer = createApprovalSigner({ key: KEY });
    const { confirm } = await signer.issue(await subject());
    const [body, signature] = confirm.split(".") as [string, string];
    const payload = JSON.parse(decodePayload(confirm));
    const forged = btoa(JSON.stringify({ ...payload, exp: payload.exp + 3_600_000 }))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    expect(await signer.verify(`${forged}.${signature}`, await subject())).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    const flipped = `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
    expect(await signer.verify(`${body}.${flipped}`, await subject())).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("refuses an expired approval, by the injected clock", async () => {
    const time = clock();
    const signer = createApprovalSigner({ key: KEY, now: time.now, ttlMs: 60_000 });
    const late = await signer.issue(await subject());
    const inTime = await signer.issue(await subject());
    time.advance(59_999);
    expect(await signer.verify(inTime.confirm, await subject())).toEqual({ ok: true });
    time.advance(1);
    expect(await signer.verify(late.confirm, await subject())).toEqual({ ok: false, reason: "expired" });
  });

  it("orders reasons: a bad signature before expiry, expiry before a mismatch, spent before a changed state", async () => {
    const time = clock();
    const signer = createApprovalSigner({ key: KEY, now: time.now });
    const stranger = createApprovalSigner({ key: OTHER_KEY, now: time.now });
    const foreign = await stranger.issue(await subject());
    const { confirm } = await signer.issue(await subject());
    expect(await signer.verify(confirm, await subject())).toEqual({ ok: true });
    const changed = await subject({ state: "{}" });
    expect(await signer.verify(confirm, changed)).toEqual({ ok: false, reason: "used" });
    time.advance(APPROVAL_TTL_MAX_MS);
    expect(await signer.verify(confirm, await subject({ tool: "other" }))).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(await signer.verify(foreign.confirm, await subject())).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });
});

describe("single use", () => {
  it("a replay is refused", async () => {
    const signer = createApprovalSigner({ key: KEY });
    const { confirm } = await signer.issue(await subject());
    expect(await signer.verify(confirm, await subject())).toEqual({ ok: true });
    expect(await signer.verify(confirm, await subject())).toEqual({ ok: false, reason: "used" });
  });

  it("two verifies racing for one approval: exactly one succeeds", async () => {
    const signer = createApprovalSigner({ key: KEY });
    const { confirm } = await signer.issue(await subject());
    const results = await Promise.all(
      Array.from({ length: 8 }, async () => signer.verify(confirm, await subject())),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "used")).toHaveLength(7);
  });

  it("a caller at its cap of spent approvals is refused new ones; nothing unexpired is forgotten", async () => {
    const time = clock();
    const signer = createApprovalSigner({ key: KEY, maxUsed: 2, now: time.now, ttlMs: 60_000 });
    const approvals = [];
    for (let i = 0; i < 3; i++) approvals.push((await signer.issue(await subject())).confirm);
    expect(await signer.verify(approvals[0], await subject())).toEqual({ ok: true });
    expect(await signer.verify(approvals[1], await subject())).toEqual({ ok: true });
    expect(await signer.verify(approvals[2], await subject())).toEqual({ ok: false, reason: "crowded" });
    await expect(signer.issue(await subject())).rejects.toBeInstanceOf(ApprovalsCrowded);
    expect(await signer.verify(approvals[0], await subject())).toEqual({ ok: false, reason: "used" });
    expect(await signer.verify(approvals[1], await subject())).toEqual({ ok: false, reason: "used" });
    // Once the spent ones expire, the caller has room again.
    time.advance(60_000);
    const fresh = await signer.issue(await subject());
    expect(await signer.verify(fresh.confirm, await subject())).toEqual({ ok: true });
  });
});

describe("spent approvals are kept per credential", () => {
  it("10,050 approvals spent by another caller do not push out a spent one: its replay is still used", async () => {
    const signer = createApprovalSigner({ key: KEY });
    const real = await subject();
    const { confirm } = await signer.issue(real);
    expect(await signer.verify(confirm, real)).toEqual({ ok: true });
    const crowd = await subject({ credential: "none" });
    let spent = 0;
    let refused = 0;
    for (let i = 0; i < 10_050; i++) {
      try {
        const next = await signer.issue(crowd);
        if ((await signer.verify(next.confirm, crowd)).ok) spent++;
      } catch (error) {
        expect(error).toBeInstanceOf(ApprovalsCrowded);
        refused++;
      }
    }
    expect(spent).toBe(SPENT_PER_CREDENTIAL);
    expect(refused).toBe(10_050 - SPENT_PER_CREDENTIAL);
    expect(await signer.verify(confirm, real)).toEqual({ ok: false, reason: "used" });
    // The crowded caller does not crowd out another.
    const other = await subject({ credential: await credentialId({ token: `${TOKEN}-other` }) });
    expect(await signer.verify((await signer.issue(other)).confirm, other)).toEqual({ ok: true });
  });

  it("past the total cap, the caller who would add is refused, and every spent approval stays spent", async () => {
    const store = memorySpentNonces({ perCredential: 3, total: 4 });
    const at = 1_000;
    for (const nonce of ["a1", "a2", "a3"])
      expect(await store.spend("A", nonce, at + 60_000, at)).toBe("spent");
    expect(await store.spend("B", "b1", at + 60_000, at)).toBe("spent");
    expect(await store.hasRoom("B", at)).toBe(false);
    expect(await store.spend("B", "b2", at + 60_000, at)).toBe("full");
    expect(await store.spend("C", "c1", at + 60_000, at)).toBe("full");
    for (const nonce of ["a1", "a2", "a3"])
      expect(await store.spend("A", nonce, at + 60_000, at)).toBe("used");
    expect(await store.spend("B", "b1", at + 60_000, at)).toBe("used");
    expect(await store.hasRoom("C", at + 60_000)).toBe(true);
    expect(await store.spend("C", "c1", at + 120_000, at + 60_000)).toBe("spent");
  });

  it("refuses limits that are not positive whole numbers", () => {
    expect(() => memorySpentNonces({ perCredential: 0 })).toThrow(/perCredential/);
    expect(() => memorySpentNonces({ total: 1.5 })).toThrow(/total/);
  });
});

describe("strict verify", () => {
  it("refuses a non-canonical spelling of a valid approval", async () => {
    const signer = createApprovalSigner({ key: KEY });
    const { confirm } = await signer.issue(await subject());
    const [body, signature] = confirm.split(".") as [string, string];
    // The last of 43 characters carries two unused bits: setting one decodes to the same 32 bytes.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(signature.slice(-1));
    const variant = `${signature.slice(0, -1)}${alphabet[last | 1]}`;
    expect(variant).not.toBe(signature);
    expect(await signer.verify(`${body}.${variant}`, await subject())).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(await signer.verify(confirm, await subject())).toEqual({ ok: true });
  });

  it("refuses an expiry further ahead than this signer's lifetime, even under the same key", async () => {
    const long = createApprovalSigner({ key: KEY, ttlMs: APPROVAL_TTL_MAX_MS });
    const short = createApprovalSigner({ key: KEY, ttlMs: 60_000 });
    const { confirm } = await long.issue(await subject());
    expect(await short.verify(confirm, await subject())).toEqual({ ok: false, reason: "malformed" });
    expect(await long.verify(confirm, await subject())).toEqual({ ok: true });
  });
});

describe("across instances", () => {
  it("another signer with the same key accepts the approval; one with another key does not", async () => {
    const issuer = createApprovalSigner({ key: KEY });
    const sameKey = createApprovalSigner({ key: new TextEncoder().encode(KEY) });
    const otherKey = createApprovalSigner({ key: OTHER_KEY });
    const { confirm } = await issuer.issue(await subject());
    expect(await otherKey.verify(confirm, await subject())).toEqual({ ok: false, reason: "bad_signature" });
    expect(await sameKey.verify(confirm, await subject())).toEqual({ ok: true });
  });

  it("signers without a key share this process's random key", async () => {
    const { confirm } = await createApprovalSigner().issue(await subject());
    expect(await createApprovalSigner().verify(confirm, await subject())).toEqual({ ok: true });
    expect(await createApprovalSigner({ key: KEY }).verify(confirm, await subject())).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });
});

describe("what the approval reveals", () => {
  it("holds no secret and no argument, in the clear or encoded", async () => {
    const secret = "SECRET-zone-id-Qx7Wq2Lp9Zr4Vt8N";
    const signer = createApprovalSigner({ key: KEY });
    const call = await subject({
      args: { zone_id: secret, note: `Bearer ${TOKEN}` },
      credential: TOKEN,
      state: canonicalJson({ owner: secret }),
    });
    const { confirm } = await signer.issue(call);
    const payload = decodePayload(confirm);
    for (const text of [confirm, payload]) {
      for (const needle of [secret, TOKEN, "zone_id", btoa(secret).slice(0, 20), btoa(TOKEN).slice(0, 20)]) {
        expect(text).not.toContain(needle);
      }
    }
    expect(Object.keys(JSON.parse(payload)).sort()).toEqual(
      ["args", "credential", "exp", "nonce", "state", "tool", "v"].sort(),
    );
    expect(JSON.parse(payload).tool).toBe("delete_certificate_pack");
    expect(await signer.verify(confirm, call)).toEqual({ ok: true });
  });

  it("a credential id is a one-way, stable digest", async () => {
    const id = await credentialId({ token: TOKEN });
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).toBe(await credentialId({ token: TOKEN }));
    expect(id).not.toBe(await credentialId({ token: `${TOKEN}.` }));
    expect(await credentialId({ email: "a@example.org", key: "k1" })).not.toBe(
      await credentialId({ email: "a@example.org", key: "k2" }),
    );
    expect(await credentialId(undefined)).toBe("none");
  });
});

describe("configuration", () => {
  it("refuses a lifetime over 10 minutes and a short key, saying what to use", () => {
    expect(() => createApprovalSigner({ ttlMs: APPROVAL_TTL_MAX_MS + 1 })).toThrow(/ttlMs.*10 minutes/);
    expect(() => createApprovalSigner({ ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => createApprovalSigner({ key: "short" })).toThrow(/at least 32 bytes.*openssl rand -hex 32/);
    expect(() => createApprovalSigner({ maxUsed: 0 })).toThrow(/maxUsed/);
  });

  it("canonical JSON sorts keys at every depth and keeps __proto__ as data", () => {
    const parsed = JSON.parse('{"b":1,"__proto__":{"z":1,"a":2},"a":[{"d":1,"c":2}]}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"a":2,"z":1},"a":[{"c":2,"d":1}],"b":1}');
    expect(canonicalJson(undefined)).toBe("null");
  });
});
