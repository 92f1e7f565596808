// What depends only on the credential and not on the request: its one-way id, its redactor, whose patterns
// are built and compiled once rather than for every request, and the clients that speak with it (one per
// backend's settings and budgets). Entries are found by that id (a SHA-256 of the credential, hashed
// synchronously), never by the credential itself; the table is bounded, the least recently used entry going
// first; an entry serves the credential it was made for and no other.
import type { CloudflareClient } from "../client/cloudflare.js";
import { sha256Hex } from "../lib/sha256.js";
import { canonicalJson } from "./approval.js";
import { type Redactor, redactorFor, type SecretCredentials } from "./redact.js";

/** This credential's clients, by the settings they were built with and then the budgets they draw on. */
export type ClientShelf = WeakMap<object, WeakMap<object, CloudflareClient>>;

export interface CredentialParts {
  /** As `credentialId` in approval.ts gives it: SHA-256 (hex) of the canonical credential; "none" for none. */
  credentialId: string;
  redactor: Redactor;
  clients: ClientShelf;
}

const NONE: CredentialParts = {
  credentialId: "none",
  redactor: redactorFor(undefined),
  clients: new WeakMap(),
};

export class CredentialCache {
  private readonly entries = new Map<string, CredentialParts>();

  constructor(private readonly maxEntries = 256) {}

  partsFor(credentials: SecretCredentials | undefined): CredentialParts {
    if (!credentials) return NONE;
    const credentialId = credentialDigest(credentials);
    let parts = this.entries.get(credentialId);
    if (parts) {
      this.entries.delete(credentialId);
    } else {
      parts = { credentialId, redactor: redactorFor(credentials), clients: new WeakMap() };
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    this.entries.set(credentialId, parts);
    return parts;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The same digest as approval.ts's `credentialId`, without the round trip through Web Crypto's promise. */
export function credentialDigest(credentials: SecretCredentials): string {
  const canonical =
    "token" in credentials
      ? canonicalJson({ token: credentials.token })
      : canonicalJson({ email: credentials.email, key: credentials.key });
  return sha256Hex(`cloudflare-ssl-mcp credential\u0000${canonical}`);
}
