// Every setting, once: its flag, its variable, its Worker var, its type, default and check, its help line, and
// the modes it applies to. The Node parser, the Worker's reader (worker-env.ts), `--help` and
// docs/configuration.md all come from this table, so both runtimes share names, defaults and grammar.
import { allowedHost, allowedOrigin, listenAddress } from "./addresses.js";
import { checkBaseUrl, DEFAULT_BASE_URL } from "./base-url.js";
import { checkApprovalKey, checkToken } from "./credentials.js";

/** stdio: one client on this process's stdin/stdout. http: Streamable HTTP, each request with its own token. */
export type Mode = "stdio" | "http";

interface Common {
  flag?: `--${string}`;
  short?: `-${string}`;
  /** The Node process's environment variable. */
  env?: string;
  /** The Worker's var of the same setting (wrangler.jsonc `vars`; a secret is put with `wrangler secret put`). */
  worker?: string;
  /** One line for `--help` and the docs, without a final period; range and default are added to it. */
  help: string;
  /** Where the Node process reads it; a Worker-only setting has none. */
  modes: readonly Mode[];
  /** Never echoed: errors name the variable, not its value. Secrets have no flag (argv is visible to `ps`). */
  secret?: boolean;
}
export interface BooleanSetting extends Common {
  type: "boolean";
  /** When unset; false unless said. */
  default?: boolean;
}
export interface IntegerSetting extends Common {
  type: "integer";
  placeholder: string;
  min: number;
  max: number;
  default: number;
  defaultNote?: string;
}
export interface StringSetting extends Common {
  type: "string";
  placeholder?: string;
  default?: string;
  /** Returns the value normalised, or throws a ConfigError naming `name` (the flag or variable) and the fix. */
  check?: (value: string, name: string) => string;
}
export interface ListSetting extends Common {
  type: "list";
  placeholder: string;
  example: string;
  /** Checks and normalises one comma-separated entry. */
  check: (entry: string, name: string) => string;
}
export type Setting = BooleanSetting | IntegerSetting | StringSetting | ListSetting;

const ANY: readonly Mode[] = ["stdio", "http"];
const HTTP: readonly Mode[] = ["http"];
const STDIO: readonly Mode[] = ["stdio"];
const WORKER_ONLY: readonly Mode[] = [];

export const SETTINGS = {
  apiToken: {
    type: "string",
    env: "CLOUDFLARE_API_TOKEN",
    help: 'API token (preferred). Permissions: "SSL and Certificates: Read" for the read tools, "SSL and Certificates: Edit" for the others, on the zones to manage',
    check: checkToken,
    secret: true,
    modes: STDIO,
  },
  email: {
    type: "string",
    env: "CLOUDFLARE_EMAIL",
    help: "With CLOUDFLARE_API_KEY: the account's email for the legacy Global API key, used only when no token is set",
    secret: true,
    modes: STDIO,
  },
  apiKey: {
    type: "string",
    env: "CLOUDFLARE_API_KEY",
    help: "With CLOUDFLARE_EMAIL: the legacy Global API key",
    secret: true,
    modes: STDIO,
  },
  baseUrl: {
    type: "string",
    env: "CLOUDFLARE_BASE_URL",
    help: "API base URL, path prefix kept; plain http is refused unless the host is loopback",
    worker: "CLOUDFLARE_BASE_URL",
    default: DEFAULT_BASE_URL,
    check: checkBaseUrl,
    modes: ANY,
  },
  sandbox: {
    type: "boolean",
    flag: "--sandbox",
    env: "CLOUDFLARE_SSL_MCP_SANDBOX",
    help: "Serve a built-in simulated Cloudflare API (demo zone example.com); no account or token needed",
    modes: ANY,
  },
  readOnly: {
    type: "boolean",
    flag: "--read-only",
    env: "CLOUDFLARE_SSL_MCP_READ_ONLY",
    worker: "READ_ONLY",
    help: "Register only the tools that change nothing",
    modes: ANY,
  },
  elicitationOnly: {
    type: "boolean",
    flag: "--elicitation-only",
    env: "CLOUDFLARE_SSL_MCP_ELICITATION_ONLY",
    help: "Accept approval of destructive actions only from the user through MCP elicitation, never from a plan's confirm value sent by the model",
    modes: ANY,
  },
  timeoutMs: {
    type: "integer",
    flag: "--timeout-ms",
    env: "CLOUDFLARE_SSL_MCP_TIMEOUT_MS",
    placeholder: "<ms>",
    help: "Per-request timeout in milliseconds",
    min: 1000,
    max: 300_000,
    default: 30_000,
    modes: ANY,
  },
  rateLimit: {
    type: "integer",
    flag: "--rate-limit",
    env: "CLOUDFLARE_SSL_MCP_RATE_LIMIT",
    placeholder: "<n>",
    help: "Requests per 5 minutes this server allows itself, 0 for none",
    min: 0,
    max: 1_000_000,
    default: 1200,
    defaultNote: "1200, Cloudflare's limit",
    modes: ANY,
  },
  debug: {
    type: "boolean",
    flag: "--debug",
    env: "CLOUDFLARE_SSL_MCP_DEBUG",
    help: "Log each API request (method, path, status, time) to stderr, secrets redacted",
    modes: ANY,
  },
  http: {
    type: "boolean",
    flag: "--http",
    env: "CLOUDFLARE_SSL_MCP_HTTP",
    help: "Serve Streamable HTTP instead of stdio; each request brings its own token in Authorization: Bearer",
    modes: ANY,
  },
  host: {
    type: "string",
    flag: "--host",
    env: "CLOUDFLARE_SSL_MCP_HOST",
    placeholder: "<addr>",
    help: "Address to listen on; a non-loopback address serves other machines",
    default: "127.0.0.1",
    check: listenAddress,
    modes: HTTP,
  },
  port: {
    type: "integer",
    flag: "--port",
    env: "CLOUDFLARE_SSL_MCP_PORT",
    placeholder: "<n>",
    help: "Port to listen on, 0 for any free port",
    min: 0,
    max: 65_535,
    default: 8787,
    modes: HTTP,
  },
  maxInFlight: {
    type: "integer",
    flag: "--max-in-flight",
    env: "CLOUDFLARE_SSL_MCP_MAX_IN_FLIGHT",
    placeholder: "<n>",
    help: "Requests served at once; more are answered 503 with Retry-After before their body is read",
    min: 1,
    max: 10_000,
    default: 64,
    modes: HTTP,
  },
  allowedHosts: {
    type: "list",
    flag: "--allowed-hosts",
    env: "CLOUDFLARE_SSL_MCP_ALLOWED_HOSTS",
    placeholder: "<list>",
    help: "Comma-separated host names added to the Host header allow-list",
    example: "mcp.example.com",
    check: allowedHost,
    modes: HTTP,
  },
  allowedOrigins: {
    type: "list",
    flag: "--allowed-origins",
    env: "CLOUDFLARE_SSL_MCP_ALLOWED_ORIGINS",
    worker: "ALLOWED_ORIGINS",
    placeholder: "<list>",
    help: "Comma-separated browser origins allowed to call (null is never allowed)",
    example: "https://app.example.com,http://localhost:5173",
    check: allowedOrigin,
    modes: HTTP,
  },
  approvalKey: {
    type: "string",
    env: "CLOUDFLARE_SSL_MCP_APPROVAL_KEY",
    worker: "APPROVAL_KEY",
    help: "Secret of at least 32 characters that signs approvals, so that every instance sharing it accepts them; a random one per process when unset",
    check: checkApprovalKey,
    secret: true,
    modes: ANY,
  },
  sandboxEndpoint: {
    type: "boolean",
    worker: "SANDBOX_ENABLED",
    help: "Serve POST /sandbox/mcp, the simulated API anyone can try without a token",
    default: true,
    modes: WORKER_ONLY,
  },
  oauth: {
    type: "boolean",
    worker: "OAUTH_ENABLED",
    help: "Turn on sign-in for chat apps (OAuth); needs a KV namespace bound as OAUTH_KV. While off, nothing about OAuth is served or advertised",
    modes: WORKER_ONLY,
  },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

/** The value a setting yields after parsing: lists are arrays, and a string without a default may be unset. */
export type SettingValue<S> = S extends BooleanSetting
  ? boolean
  : S extends IntegerSetting
    ? number
    : S extends ListSetting
      ? string[]
      : S extends { default: string }
        ? string
        : string | undefined;

export type SettingValues = { -readonly [K in SettingName]: SettingValue<(typeof SETTINGS)[K]> };

/** Flags that do something instead of configuring a run; they win over everything else on the line. */
export const COMMANDS = [
  { kind: "help", flag: "--help", short: "-h", help: "Print this help" },
  { kind: "version", flag: "--version", short: "-v", help: "Print the version" },
] as const;
