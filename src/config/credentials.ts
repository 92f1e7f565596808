// Cloudflare credentials from the environment: a token, else the legacy email and Global API key pair. No
// message here ever carries a credential's value.
import type { Credentials } from "../client/cloudflare.js";
import { ConfigError } from "./error.js";

export function checkToken(token: string, name: string): string {
  if (/[\s"'<>]/.test(token) || /^bearer$/i.test(token.split(/\s/)[0] ?? "")) {
    throw new ConfigError(
      `${name} contains spaces, quotes or angle brackets; set it to the bare token, without "Bearer " or quotes`,
    );
  }
  return token;
}

/** The signing key must be long enough that guessing it is hopeless; its value is never echoed. */
export function checkApprovalKey(key: string, name: string): string {
  if (key.length < 32) {
    throw new ConfigError(
      `${name} is shorter than 32 characters; set it to a random secret of at least 32 (for example the output of \`openssl rand -hex 32\`), or unset it`,
    );
  }
  return key;
}

/** Picks the credentials in use from what was set; notes when a set variable is passed over. */
export function pickCredentials(
  set: { token?: string; email?: string; key?: string },
  notices: string[],
): Credentials | undefined {
  const { token, email, key } = set;
  if (token) {
    if (email || key)
      notices.push("CLOUDFLARE_API_TOKEN is set, so CLOUDFLARE_EMAIL / CLOUDFLARE_API_KEY are not used");
    return { token };
  }
  if (email || key) {
    if (!email || !key) {
      throw new ConfigError(
        `${email ? "CLOUDFLARE_API_KEY" : "CLOUDFLARE_EMAIL"} is missing: the Global API key needs both CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY (or use CLOUDFLARE_API_TOKEN)`,
      );
    }
    if (!email.includes("@")) throw new ConfigError("CLOUDFLARE_EMAIL must be the account's email address");
    return { email, key };
  }
  return undefined;
}
