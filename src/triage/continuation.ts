// Where a fleet triage stopped, as a string the caller hands back. It is self-contained: it says where to
// resume in the zone list (sorted by name), never which server memory to read, so any instance, or one
// started since, resumes from it. It is bound to the caller's credential digest and the call's other
// arguments by a SHA-256 over both and the body: another credential, other arguments or an edited body fail.

import type { Severity } from "./finding.js";

export interface FleetProgress {
  /** The last zone started, as name and id: the zones after it in name order are still to do. */
  after?: { name: string; id: string };
  /** Zones before `after` that were started but stopped by the rate limit: the first 12 hex of each id. */
  retry: string[];
  /** What earlier parts found, so the last part can give the totals of the whole fleet. */
  earlier: {
    triaged: number;
    healthy: number;
    unreadable: number;
    counts: Partial<Record<Severity, number>>;
  };
}

export class ContinuationRefused extends Error {
  override name = "ContinuationRefused";
}

const encoder = new TextEncoder();
const SHAPE = /^[A-Za-z0-9_-]{4,4000}\.[A-Za-z0-9_-]{22}$/;
export const RETRY_ID_CHARS = 12;

/** The call's arguments that a continuation must be used with: every argument but the continuation. */
function boundArguments(args: Record<string, unknown>): string {
  const keys = Object.keys(args)
    .filter((k) => k !== "continue" && args[k] !== undefined)
    .sort();
  return JSON.stringify(keys.map((k) => [k, args[k]]));
}

async function binding(credentialId: string, args: Record<string, unknown>, body: string): Promise<string> {
  const text = `fleet-triage continuation\u0000${credentialId}\u0000${boundArguments(args)}\u0000${body}`;
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return toBase64Url(hash.slice(0, 16));
}

export async function encodeContinuation(
  progress: FleetProgress,
  credentialId: string,
  args: Record<string, unknown>,
): Promise<string> {
  const body = toBase64Url(
    encoder.encode(
      JSON.stringify({
        v: 1,
        a: progress.after ? [progress.after.name, progress.after.id] : null,
        r: progress.retry,
        e: progress.earlier,
      }),
    ),
  );
  return `${body}.${await binding(credentialId, args, body)}`;
}

/** The progress a continuation carries, or ContinuationRefused naming what is wrong and what to do. */
export async function decodeContinuation(
  value: string,
  credentialId: string,
  args: Record<string, unknown>,
): Promise<FleetProgress> {
  const malformed = () =>
    new ContinuationRefused(
      "continue: not a continuation from triage_certificates; pass the `continue` value of the last answer unchanged, or call without it to start over",
    );
  if (!SHAPE.test(value)) throw malformed();
  const [body, seal] = value.split(".") as [string, string];
  if (seal !== (await binding(credentialId, args, body))) {
    throw new ContinuationRefused(
      "continue: this continuation belongs to another call (other arguments or another credential); repeat the exact arguments of the call that returned it, or call without continue to start over",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64Url(body)));
  } catch {
    throw malformed();
  }
  const p = parsed as { v?: unknown; a?: unknown; r?: unknown; e?: FleetProgress["earlier"] };
  const after =
    Array.isArray(p.a) && p.a.length === 2 && p.a.every((x) => typeof x === "string") ? p.a : null;
  if (p?.v !== 1 || (p.a !== null && !after) || !Array.isArray(p.r) || typeof p.e?.triaged !== "number") {
    throw malformed();
  }
  return {
    ...(after ? { after: { name: after[0] as string, id: after[1] as string } } : {}),
    retry: p.r.filter((x): x is string => typeof x === "string"),
    earlier: p.e,
  };
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
