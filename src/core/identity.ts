// Who is calling, for one request or one stdio connection: the credentials, the redactor that hides them,
// the one-way id approvals are bound to, and the rate budget of that credential. Built per caller; a server
// built for one caller never holds another's.
import { type ClientOptions, CloudflareClient, type Credentials } from "../client/cloudflare.js";
import type { RateBudgets } from "../client/rate-limit.js";
import { CredentialCache } from "./credential-cache.js";
import type { CallerScope } from "./server.js";

/** Shared by every caller of this process, each entry keyed by its own credential's digest. */
const credentialParts = new CredentialCache();

export type ClientSettings = Omit<ClientOptions, "credentials" | "limiter" | "rateBudget" | "redact">;

export async function callerScope(
  credentials: Credentials | undefined,
  budgets: RateBudgets,
  settings: ClientSettings,
): Promise<CallerScope> {
  const { credentialId: id, redactor } = credentialParts.partsFor(credentials);
  return {
    credentialId: id,
    redactor,
    client: new CloudflareClient({
      ...settings,
      credentials,
      limiter: budgets.for(id),
      redact: redactor.text,
    }),
  };
}

/**
 * The Cloudflare credentials an HTTP request carries: `Authorization: Bearer <API token>`. `undefined` when
 * the header is missing or malformed.
 */
export function bearerCredentials(authorization: string | null | undefined): Credentials | undefined {
  const match = /^Bearer ([\x21-\x7e]{8,512})$/i.exec(authorization?.trim() ?? "");
  return match ? { token: match[1] as string } : undefined;
}
