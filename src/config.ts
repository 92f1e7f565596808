// Command line and environment to a Config. Pure: the entry point passes argv and env in. Anything
// malformed is a startup error that says what to fix, never a silent default.
import type { Credentials } from "./client/cloudflare.js";
import type { RateBudget } from "./client/rate-limit.js";

export const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

export interface Config {
  sandbox: boolean;
  readOnly: boolean;
  elicitationOnly: boolean;
  debug: boolean;
  baseUrl: string;
  credentials?: Credentials;
  timeoutMs: number;
  rateBudget: RateBudget | null;
  /** Things worth telling the operator on stderr at start-up. */
  notices: string[];
}

export type Invocation = { kind: "help" } | { kind: "version" } | { kind: "run"; config: Config };

export class ConfigError extends Error {
  override name = "ConfigError";
}

export const HELP = `cloudflare-ssl-mcp: an MCP server (stdio) for Cloudflare SSL/TLS certificates.

Usage: cloudflare-ssl-mcp [options]

Options:
  --sandbox              Serve a built-in simulated Cloudflare API (demo zone example.com); no account needed.
  --read-only            Register only the tools that change nothing.
  --elicitation-only     Accept approval of destructive actions only from the user through MCP elicitation,
                         never from the model's confirm: true.
  --timeout-ms <ms>      Per-request timeout, 1000 to 300000 (default 30000).
  --rate-limit <n>       Requests per 5 minutes this server allows itself, 0 for none (default 1200, Cloudflare's limit).
  --debug                Log each API request to stderr (secrets redacted).
  -h, --help             Print this help.
  -v, --version          Print the version.

Environment:
  CLOUDFLARE_API_TOKEN      API token (preferred). Permissions: "SSL and Certificates: Read" for the read tools,
                            "SSL and Certificates: Edit" for the others, on the zones to manage.
  CLOUDFLARE_EMAIL          With CLOUDFLARE_API_KEY: account email and Global API key (legacy).
  CLOUDFLARE_API_KEY
  CLOUDFLARE_BASE_URL       API base URL (default ${DEFAULT_BASE_URL}).
  CLOUDFLARE_SSL_MCP_SANDBOX, CLOUDFLARE_SSL_MCP_READ_ONLY, CLOUDFLARE_SSL_MCP_ELICITATION_ONLY,
  CLOUDFLARE_SSL_MCP_DEBUG  true/false (also 1/0, yes/no): as the flags above.
  CLOUDFLARE_SSL_MCP_TIMEOUT_MS, CLOUDFLARE_SSL_MCP_RATE_LIMIT: as the flags above.

Without credentials the server starts and lists its tools; each call then says what to set.
`;

const BOOLEAN_FLAGS = {
  "--sandbox": "sandbox",
  "--read-only": "readOnly",
  "--elicitation-only": "elicitationOnly",
  "--debug": "debug",
} as const;
const VALUE_FLAGS = { "--timeout-ms": "timeoutMs", "--rate-limit": "rateLimit" } as const;

type Env = Record<string, string | undefined>;

export function parseInvocation(argv: readonly string[], env: Env): Invocation {
  const flags: Partial<Record<"sandbox" | "readOnly" | "elicitationOnly" | "debug", boolean>> = {};
  const values: Partial<Record<"timeoutMs" | "rateLimit", string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-h" || arg === "--help") return { kind: "help" };
    if (arg === "-v" || arg === "--version") return { kind: "version" };
    if (arg in BOOLEAN_FLAGS) {
      flags[BOOLEAN_FLAGS[arg as keyof typeof BOOLEAN_FLAGS]] = true;
      continue;
    }
    const [name, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (name in VALUE_FLAGS) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith("--"))
        throw new ConfigError(`${name} needs a value, e.g. ${name} 30000`);
      values[VALUE_FLAGS[name as keyof typeof VALUE_FLAGS]] = value;
      continue;
    }
    throw new ConfigError(`unknown option ${arg}; see --help`);
  }

  const notices: string[] = [];
  const sandbox = flags.sandbox ?? envBoolean(env, "CLOUDFLARE_SSL_MCP_SANDBOX");
  const timeoutMs = integer(
    values.timeoutMs ?? env.CLOUDFLARE_SSL_MCP_TIMEOUT_MS,
    values.timeoutMs !== undefined ? "--timeout-ms" : "CLOUDFLARE_SSL_MCP_TIMEOUT_MS",
    30_000,
    1000,
    300_000,
  );
  const rateLimit = integer(
    values.rateLimit ?? env.CLOUDFLARE_SSL_MCP_RATE_LIMIT,
    values.rateLimit !== undefined ? "--rate-limit" : "CLOUDFLARE_SSL_MCP_RATE_LIMIT",
    1200,
    0,
    1_000_000,
  );
  const credentials = readCredentials(env, notices);
  const baseUrl = readBaseUrl(env.CLOUDFLARE_BASE_URL);
  if (sandbox && (credentials || env.CLOUDFLARE_BASE_URL)) {
    notices.push(
      "sandbox mode: CLOUDFLARE_* credentials and base URL are ignored; nothing reaches Cloudflare",
    );
  }

  return {
    kind: "run",
    config: {
      sandbox,
      readOnly: flags.readOnly ?? envBoolean(env, "CLOUDFLARE_SSL_MCP_READ_ONLY"),
      elicitationOnly: flags.elicitationOnly ?? envBoolean(env, "CLOUDFLARE_SSL_MCP_ELICITATION_ONLY"),
      debug: flags.debug ?? envBoolean(env, "CLOUDFLARE_SSL_MCP_DEBUG"),
      baseUrl: sandbox ? "" : baseUrl,
      credentials: sandbox ? undefined : credentials,
      timeoutMs,
      rateBudget: rateLimit === 0 ? null : { requests: rateLimit, windowMs: 300_000 },
      notices,
    },
  };
}

function envBoolean(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return false;
  const value = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off"].includes(value)) return false;
  throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a boolean; use true or false`);
}

function integer(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function readCredentials(env: Env, notices: string[]): Credentials | undefined {
  const token = env.CLOUDFLARE_API_TOKEN?.trim() || undefined;
  const email = env.CLOUDFLARE_EMAIL?.trim() || undefined;
  const key = env.CLOUDFLARE_API_KEY?.trim() || undefined;
  if (token) {
    if (/[\s"'<>]/.test(token) || /^bearer$/i.test(token.split(/\s/)[0] ?? "")) {
      throw new ConfigError(
        'CLOUDFLARE_API_TOKEN contains spaces, quotes or angle brackets; set it to the bare token, without "Bearer " or quotes',
      );
    }
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

function readBaseUrl(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === "") return DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(
      `CLOUDFLARE_BASE_URL=${JSON.stringify(raw)} is not a URL; e.g. ${DEFAULT_BASE_URL}`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError("CLOUDFLARE_BASE_URL must be an http or https URL");
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError("CLOUDFLARE_BASE_URL must not carry credentials, a query or a fragment");
  }
  return url.href.replace(/\/$/, "");
}
