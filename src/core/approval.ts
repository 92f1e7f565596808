// An approval for a destructive call, bound to what the user was shown: the tool, its other arguments, the
// caller's credential and the state read for the plan. It is a signed string the caller hands back, so any
// process holding the key verifies it without server memory (a stateless HTTP server, another Worker).
// It carries no secret and no argument in the clear: only keyed digests, the tool name, the expiry and a
// random nonce. Single use holds wherever the spent-nonce store reaches: one process with the in-memory store,
// every isolate of a Worker with the Durable Object one. Spent nonces are kept per credential until they
// expire; a caller whose share is full is refused new approvals rather than anything being forgotten.
import { memorySpentNonces, type SpentNonceStore } from "./spent-nonces.js";

export const APPROVAL_TTL_MAX_MS = 10 * 60 * 1000;
export const APPROVAL_KEY_MIN_BYTES = 32;

export interface ApprovalSubject {
  tool: string;
  /** The call's other arguments; a top-level `confirm` is ignored, so the same call matches with or without it. */
  args: unknown;
  /** Who is calling, as from `credentialId`: an approval never serves another credential. */
  credential: string;
  /** The state the plan was made from, as canonical JSON (see `canonicalJson`). */
  state: string;
}

export interface Approval {
  confirm: string;
  expires_at: string;
}

export type ApprovalRefusal =
  | "malformed"
  | "bad_signature"
  | "expired"
  | "other_tool"
  | "other_arguments"
  | "other_credential"
  | "used"
  | "state_changed"
  | "crowded";

export type ApprovalCheck = { ok: true } | { ok: false; reason: ApprovalRefusal };

/** The caller holds as many spent approvals as it may until some expire: no new approval is issued to it. */
export class ApprovalsCrowded extends Error {
  constructor() {
    super("too many approvals of this caller are in use");
    this.name = "ApprovalsCrowded";
  }
}

export interface ApprovalSigner {
  /** Throws ApprovalsCrowded when the caller could not spend the approval if it came back now. */
  issue(subject: ApprovalSubject): Promise<Approval>;
  /** On success the approval is spent: a second verify of the same string answers `used`. */
  verify(confirm: unknown, subject: ApprovalSubject): Promise<ApprovalCheck>;
}

export interface ApprovalSignerOptions {
  /** At least 32 bytes. Without it, a random key shared by every signer of this process. */
  key?: string | Uint8Array;
  now?: () => number;
  /** How long an approval stays valid: default and maximum 10 minutes. */
  ttlMs?: number;
  /** Where spent approvals are kept: by default in this signer's memory, `maxUsed` of them per credential. */
  spent?: SpentNonceStore;
  /** With the default store: how many unexpired spent approvals one credential may hold (default 1,000). */
  maxUsed?: number;
}

interface Payload {
  v: 1;
  tool: string;
  args: string;
  credential: string;
  state: string;
  exp: number;
  nonce: string;
}

const encoder = new TextEncoder();
const CONFIRM_SHAPE = /^[A-Za-z0-9_-]{1,1024}\.[A-Za-z0-9_-]{43}$/;
const DIGEST_SHAPE = /^[A-Za-z0-9_-]{22}$/;
const NONCE_SHAPE = /^[A-Za-z0-9_-]{22}$/;

let processKey: Uint8Array | undefined;

export function createApprovalSigner(options: ApprovalSignerOptions = {}): ApprovalSigner {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? APPROVAL_TTL_MAX_MS;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0 || ttlMs > APPROVAL_TTL_MAX_MS) {
    throw new RangeError(`ttlMs: must be more than 0 and at most ${APPROVAL_TTL_MAX_MS} (10 minutes)`);
  }
  const maxUsed = options.maxUsed;
  if (maxUsed !== undefined && (!Number.isInteger(maxUsed) || maxUsed < 1)) {
    throw new RangeError("maxUsed: must be a positive integer");
  }
  const keyBytes = keyFrom(options.key);
  const hmacKey = crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
  const spent = options.spent ?? memorySpentNonces({ perCredential: maxUsed });
  const hmac = async (text: string) =>
    new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey, encoder.encode(text)));

  // Digests are keyed so that one cannot test guesses of the arguments or state against an approval.
  const digest = async (label: string, text: string) =>
    toBase64Url((await hmac(`${label}\u0000${text}`)).slice(0, 16));
  const digestsOf = async (subject: ApprovalSubject) => ({
    args: await digest("args", canonicalJson(withoutConfirm(subject.args))),
    credential: await digest("credential", subject.credential),
    state: await digest("state", subject.state),
  });

  return {
    async issue(subject) {
      const digests = await digestsOf(subject);
      const at = now();
      if (!(await spent.hasRoom(digests.credential, at))) throw new ApprovalsCrowded();
      const exp = at + ttlMs;
      const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
      const payload: Payload = { v: 1, tool: subject.tool, ...digests, exp, nonce };
      const body = toBase64Url(encoder.encode(JSON.stringify(payload)));
      const signature = toBase64Url(await hmac(`approval\u0000${body}`));
      return { confirm: `${body}.${signature}`, expires_at: new Date(exp).toISOString() };
    },

    async verify(confirm, subject) {
      if (typeof confirm !== "string" || !CONFIRM_SHAPE.test(confirm)) return refuse("malformed");
      const [body, signature] = confirm.split(".") as [string, string];
      // One approval, one string: a variant spelling of the same bytes is not accepted as another.
      if (!isCanonicalBase64Url(body) || !isCanonicalBase64Url(signature)) return refuse("malformed");
      const payload = parsePayload(body);
      if (!payload) return refuse("malformed");
      const signed = await crypto.subtle.verify(
        "HMAC",
        await hmacKey,
        fromBase64Url(signature),
        encoder.encode(`approval\u0000${body}`),
      );
      if (!signed) return refuse("bad_signature");
      const expected = await digestsOf(subject);
      const at = now();
      if (at >= payload.exp) return refuse("expired");
      // This signer never issues beyond its TTL: such an expiry is not one it wrote.
      if (payload.exp > at + ttlMs) return refuse("malformed");
      if (payload.tool !== subject.tool) return refuse("other_tool");
      if (payload.args !== expected.args) return refuse("other_arguments");
      if (payload.credential !== expected.credential) return refuse("other_credential");
      if (payload.state !== expected.state) {
        // After a successful use the state has usually changed, and "used" is the truth. A changed state does
        // not spend the approval: the state may come back, and the approval then holds again.
        return refuse(
          (await spent.isSpent(payload.credential, payload.nonce, at)) ? "used" : "state_changed",
        );
      }
      // The store decides atomically: of concurrent verifies of one approval, one at most is spent.
      const outcome = await spent.spend(payload.credential, payload.nonce, payload.exp, at);
      if (outcome === "used") return refuse("used");
      if (outcome === "full") return refuse("crowded");
      return { ok: true };
    },
  };
}

/**
 * A stable identity for credentials: SHA-256 (hex) of their canonical form. One-way; equal for the same
 * credentials in every process. `"none"` when there are none (the sandbox).
 */
export async function credentialId(
  credentials: { token: string } | { email: string; key: string } | undefined,
): Promise<string> {
  if (!credentials) return "none";
  const canonical =
    "token" in credentials
      ? canonicalJson({ token: credentials.token })
      : canonicalJson({ email: credentials.email, key: credentials.key });
  const hash = await crypto.subtle.digest(
    "SHA-256",
    encoder.encode(`cloudflare-ssl-mcp credential\u0000${canonical}`),
  );
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** JSON with object keys sorted at every depth and only own enumerable keys: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? "null";
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return sortKeys((value as { toJSON: () => unknown }).toJSON());
  }
  if (Array.isArray(value)) return value.map(sortKeys);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    Object.defineProperty(out, key, {
      value: sortKeys((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function withoutConfirm(args: unknown): unknown {
  if (args === null || typeof args !== "object" || Array.isArray(args) || !Object.hasOwn(args, "confirm")) {
    return args;
  }
  const { confirm: _ignored, ...rest } = args as Record<string, unknown>;
  return rest;
}

function refuse(reason: ApprovalRefusal): ApprovalCheck {
  return { ok: false, reason };
}

function parsePayload(body: string): Payload | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64Url(body)));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== "object") return undefined;
  const p = parsed as Record<string, unknown>;
  const valid =
    p.v === 1 &&
    typeof p.tool === "string" &&
    [p.args, p.credential, p.state].every((d) => typeof d === "string" && DIGEST_SHAPE.test(d)) &&
    typeof p.exp === "number" &&
    Number.isSafeInteger(p.exp) &&
    typeof p.nonce === "string" &&
    NONCE_SHAPE.test(p.nonce);
  return valid ? (p as unknown as Payload) : undefined;
}

function keyFrom(key: string | Uint8Array | undefined): Uint8Array<ArrayBuffer> {
  if (key === undefined) {
    processKey ??= crypto.getRandomValues(new Uint8Array(32));
    return new Uint8Array(processKey);
  }
  const bytes = typeof key === "string" ? encoder.encode(key) : new Uint8Array(key);
  if (bytes.length < APPROVAL_KEY_MIN_BYTES) {
    throw new RangeError(
      `approval key: at least ${APPROVAL_KEY_MIN_BYTES} bytes are needed; use a random value such as the output of \`openssl rand -hex 32\``,
    );
  }
  return bytes;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function isCanonicalBase64Url(text: string): boolean {
  try {
    return toBase64Url(fromBase64Url(text)) === text;
  } catch {
    return false;
  }
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
