// What depends only on the credential and not on the request: its one-way id and its redactor, whose
// patterns are built and compiled once rather than for every request. Entries are found by that id (a
// SHA-256 of the credential, hashed synchronously), never by the credential itself; the table is bounded,
// the least recently used entry going first; an entry serves the credential it was made for and no other.
import { sha256Hex } from "../lib/sha256.js";
import { canonicalJson } from "./approval.js";
import { type Redactor, redactorFor, type SecretCredentials } from "./redact.js";

export interface CredentialParts {
  /** As `credentialId` in approval.ts gives it: SHA-256 (hex) of the canonical credential; "none" for none. */
  credentialId: string;
  redactor: Redactor;
}

const NONE: CredentialParts = { credentialId: "none", redactor: redactorFor(undefined) };

export class CredentialCache {
  private readonly entries = new Map<string, Redactor>();

  constructor(private readonly maxEntries = 256) {}

  partsFor(credentials: SecretCredentials | undefined): CredentialParts {
    if (!credentials) return NONE;
    const credentialId = credentialDigest(credentials);
    let redactor = this.entries.get(credentialId);
    if (redactor) {
      this.entries.delete(credentialId);
    } else {
      redactor = redactorFor(credentials);
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    this.entries.set(credentialId, redactor);
    return { credentialId, redactor };
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
