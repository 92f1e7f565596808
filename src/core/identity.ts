// Who is calling, for one request or one stdio connection: the credentials, the redactor that hides them,
// the one-way id approvals are bound to, and the rate budget of that credential. A server built for one
// caller never holds another's. The client holds nothing of a request (its deadline and signal come with each
// call), so one is kept per credential, backend settings and budgets, and built again for none of them.
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
  const { credentialId: id, redactor, clients } = credentialParts.partsFor(credentials);
  let bySettings = clients.get(settings);
  if (!bySettings) {
    bySettings = new WeakMap();
    clients.set(settings, bySettings);
  }
  let client = bySettings.get(budgets);
  if (!client) {
    client = new CloudflareClient({
      ...settings,
      credentials,
      limiter: budgets.for(id),
      redact: redactor.text,
    });
    bySettings.set(budgets, client);
  }
  return { credentialId: id, redactor, client };
}
