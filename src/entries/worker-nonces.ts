// Spent approvals on the Worker: one Durable Object per credential (named by the credential's keyed digest)
// holds that credential's spent nonces until they expire, so a confirm acts once across every isolate and
// location. A Durable Object runs one request at a time and its SQL storage answers synchronously, so a
// check and its insert cannot interleave with another request's.
import { SPENT_PER_CREDENTIAL, type SpendOutcome, type SpentNonceStore } from "../core/spent-nonces.js";

/** What this module uses of a Durable Object namespace binding (the runtime's full types are not loaded). */
export interface SpentApprovalsNamespace {
  idFromName(name: string): unknown;
  get(id: never): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

interface SqlCursor {
  toArray(): Record<string, unknown>[];
}

/** What this module uses of the state workerd hands a Durable Object. */
interface SpentApprovalsState {
  storage: {
    sql: { exec(query: string, ...bindings: unknown[]): SqlCursor };
    getAlarm(): Promise<number | null>;
    setAlarm(at: number): Promise<void>;
  };
}

interface SpendRequest {
  nonce: string;
  expiresAt: number;
  now: number;
}

const ORIGIN = "https://spent-approvals.internal";

/** The Durable Object class: exported from the Worker's main module and declared in wrangler.jsonc. */
export class SpentApprovals {
  private readonly sql: SpentApprovalsState["storage"]["sql"];

  constructor(private readonly state: SpentApprovalsState) {
    this.sql = state.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS spent (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)");
  }

  async fetch(request: Request): Promise<Response> {
    const asked = parseRequest(await request.json().catch(() => undefined));
    if (!asked) return new Response("bad request", { status: 400 });
    const { pathname } = new URL(request.url);
    this.sql.exec("DELETE FROM spent WHERE expires_at <= ?", asked.now);
    const spent = this.sql.exec("SELECT 1 FROM spent WHERE nonce = ?", asked.nonce).toArray().length > 0;
    const count = Number(this.sql.exec("SELECT COUNT(*) AS n FROM spent").toArray()[0]?.n ?? 0);
    const room = count < SPENT_PER_CREDENTIAL;
    if (pathname === "/spent") return Response.json({ spent });
    if (pathname === "/room") return Response.json({ room });
    if (pathname !== "/spend") return new Response("not found", { status: 404 });
    let outcome: SpendOutcome = "spent";
    if (spent) outcome = "used";
    else if (!room) outcome = "full";
    else this.sql.exec("INSERT INTO spent (nonce, expires_at) VALUES (?, ?)", asked.nonce, asked.expiresAt);
    if (outcome === "spent") await this.wakeBy(asked.expiresAt);
    return Response.json({ outcome });
  }

  /** Clears what expired, so an idle credential's object keeps nothing for long. */
  async alarm(): Promise<void> {
    this.sql.exec("DELETE FROM spent WHERE expires_at <= ?", Date.now());
    const next = this.sql.exec("SELECT MIN(expires_at) AS at FROM spent").toArray()[0]?.at;
    if (typeof next === "number") await this.state.storage.setAlarm(next);
  }

  private async wakeBy(at: number): Promise<void> {
    const alarm = await this.state.storage.getAlarm();
    if (alarm === null || alarm > at) await this.state.storage.setAlarm(at);
  }
}

/** The spent-nonce store of the Worker's API: each credential's nonces in that credential's object. */
export function durableSpentNonces(namespace: SpentApprovalsNamespace): SpentNonceStore {
  const ask = async (credential: string, path: string, body: SpendRequest) => {
    const stub = namespace.get(namespace.idFromName(credential) as never);
    const response = await stub.fetch(`${ORIGIN}${path}`, { method: "POST", body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`spent approvals: HTTP ${response.status} from the Durable Object`);
    return (await response.json()) as Record<string, unknown>;
  };
  return {
    async spend(credential, nonce, expiresAt, now) {
      const { outcome } = await ask(credential, "/spend", { nonce, expiresAt, now });
      return outcome === "spent" || outcome === "used" || outcome === "full" ? outcome : "full";
    },
    async isSpent(credential, nonce, now) {
      return (await ask(credential, "/spent", { nonce, expiresAt: now, now })).spent === true;
    },
    async hasRoom(credential, now) {
      return (await ask(credential, "/room", { nonce: "", expiresAt: now, now })).room === true;
    },
  };
}

function parseRequest(value: unknown): SpendRequest | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const { nonce, expiresAt, now } = value as Record<string, unknown>;
  if (typeof nonce !== "string" || nonce.length > 64) return undefined;
  if (!Number.isSafeInteger(expiresAt) || !Number.isSafeInteger(now)) return undefined;
  return { nonce, expiresAt: expiresAt as number, now: now as number };
}
