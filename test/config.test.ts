import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBoolean } from "../src/config/boolean.js";
import {
  ConfigError,
  DEFAULT_BASE_URL,
  HELP,
  isLoopbackHost,
  parseInvocation,
  SETTINGS,
} from "../src/config/index.js";
import { workerSettingsOf } from "../src/config/worker-env.js";
import { workerSettings } from "../src/entries/worker-settings.js";
import { oauthMode } from "../src/oauth/settings.js";

const run = (argv: string[], env: Record<string, string> = {}) => {
  const invocation = parseInvocation(argv, env);
  if (invocation.kind !== "run") throw new Error(`expected run, got ${invocation.kind}`);
  return invocation.config;
};

describe("command line and environment", () => {
  it("defaults: production API, no credentials, every tool, 30 s timeout, Cloudflare's rate budget", () => {
    expect(run([])).toMatchObject({
      sandbox: false,
      readOnly: false,
      elicitationOnly: false,
      baseUrl: DEFAULT_BASE_URL,
      credentials: undefined,
      timeoutMs: 30_000,
      rateBudget: { requests: 1200, windowMs: 300_000 },
    });
  });

  it("help and version win over everything else", () => {
    expect(parseInvocation(["--read-only", "--help"], {}).kind).toBe("help");
    expect(parseInvocation(["-v"], {}).kind).toBe("version");
  });

  it("flags and their environment variables", () => {
    expect(
      run(["--sandbox", "--read-only", "--elicitation-only", "--timeout-ms", "5000", "--rate-limit=0"]),
    ).toMatchObject({
      sandbox: true,
      readOnly: true,
      elicitationOnly: true,
      timeoutMs: 5000,
      rateBudget: null,
    });
    expect(
      run([], {
        CLOUDFLARE_SSL_MCP_SANDBOX: "1",
        CLOUDFLARE_SSL_MCP_READ_ONLY: "yes",
        CLOUDFLARE_SSL_MCP_ELICITATION_ONLY: "TRUE",
        CLOUDFLARE_SSL_MCP_TIMEOUT_MS: "2000",
        CLOUDFLARE_SSL_MCP_RATE_LIMIT: "600",
      }),
    ).toMatchObject({
      sandbox: true,
      readOnly: true,
      elicitationOnly: true,
      timeoutMs: 2000,
      rateBudget: { requests: 600 },
    });
    expect(run([], { CLOUDFLARE_SSL_MCP_READ_ONLY: "false" }).readOnly).toBe(false);
  });

  it("credentials: a token, else the email and key pair", () => {
    expect(run([], { CLOUDFLARE_API_TOKEN: " abc123 " }).credentials).toEqual({ token: "abc123" });
    expect(run([], { CLOUDFLARE_EMAIL: "a@b.c", CLOUDFLARE_API_KEY: "k" }).credentials).toEqual({
      email: "a@b.c",
      key: "k",
    });
    const both = run([], { CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_EMAIL: "a@b.c", CLOUDFLARE_API_KEY: "k" });
    expect(both.credentials).toEqual({ token: "t" });
    expect(both.notices.join()).toMatch(/CLOUDFLARE_EMAIL \/ CLOUDFLARE_API_KEY are not used/);
  });

  it("keeps a base URL's path prefix", () => {
    expect(run([], { CLOUDFLARE_BASE_URL: "http://127.0.0.1:8080/proxy/client/v4/" }).baseUrl).toBe(
      "http://127.0.0.1:8080/proxy/client/v4",
    );
  });

  it("sandbox ignores credentials and says so", () => {
    const config = run(["--sandbox"], { CLOUDFLARE_API_TOKEN: "t" });
    expect(config.credentials).toBeUndefined();
    expect(config.notices.join()).toMatch(/sandbox mode/);
  });

  it.each([
    [["--bogus"], {}, /unknown option --bogus/],
    [["--timeout-ms"], {}, /--timeout-ms needs a value/],
    [["--timeout-ms", "fast"], {}, /--timeout-ms="fast" must be a whole number from 1000 to 300000/],
    [["--rate-limit", "-1"], {}, /--rate-limit="-1" must be a whole number/],
    [[], { CLOUDFLARE_SSL_MCP_TIMEOUT_MS: "10" }, /CLOUDFLARE_SSL_MCP_TIMEOUT_MS="10"/],
    [[], { CLOUDFLARE_SSL_MCP_READ_ONLY: "maybe" }, /CLOUDFLARE_SSL_MCP_READ_ONLY="maybe" is not a boolean/],
    [[], { CLOUDFLARE_API_TOKEN: "Bearer abc" }, /without "Bearer " or quotes/],
    [[], { CLOUDFLARE_API_TOKEN: '"abc"' }, /without "Bearer " or quotes/],
    [[], { CLOUDFLARE_EMAIL: "a@b.c" }, /CLOUDFLARE_API_KEY is missing/],
    [[], { CLOUDFLARE_API_KEY: "k" }, /CLOUDFLARE_EMAIL is missing/],
    [[], { CLOUDFLARE_EMAIL: "nobody", CLOUDFLARE_API_KEY: "k" }, /must be the account's email/],
    [[], { CLOUDFLARE_BASE_URL: "api.cloudflare.com" }, /is not a URL/],
    [[], { CLOUDFLARE_BASE_URL: "ftp://x/" }, /http or https/],
    [[], { CLOUDFLARE_BASE_URL: "https://u:p@x/" }, /must not carry credentials/],
  ])("refuses %j %j", (argv, env, message) => {
    expect(() => parseInvocation(argv, env)).toThrow(ConfigError);
    expect(() => parseInvocation(argv, env)).toThrow(message);
  });
});

describe("HTTP mode settings", () => {
  const KEY = "k3y-".repeat(8);

  it("stdio by default; --http listens on 127.0.0.1:8787 with empty allow-lists", () => {
    expect(run([]).http).toBeUndefined();
    expect(run(["--http"]).http).toEqual({
      host: "127.0.0.1",
      port: 8787,
      loopback: true,
      maxInFlight: 64,
      allowedHosts: [],
      allowedOrigins: [],
    });
  });

  it("flags and their environment variables, normalised", () => {
    expect(
      run([
        "--http",
        "--host",
        "0.0.0.0",
        "--port=0",
        "--max-in-flight",
        "8",
        "--allowed-hosts",
        "MCP.Example.com, [::1]",
        "--allowed-hosts=other.example",
        "--allowed-origins",
        "https://App.example.com:443,http://localhost:5173/",
      ]).http,
    ).toEqual({
      host: "0.0.0.0",
      port: 0,
      loopback: false,
      maxInFlight: 8,
      allowedHosts: ["mcp.example.com", "[::1]", "other.example"],
      allowedOrigins: ["https://app.example.com", "http://localhost:5173"],
    });
    expect(
      run([], {
        CLOUDFLARE_SSL_MCP_HTTP: "true",
        CLOUDFLARE_SSL_MCP_HOST: "[::1]",
        CLOUDFLARE_SSL_MCP_PORT: "65535",
        CLOUDFLARE_SSL_MCP_MAX_IN_FLIGHT: "1",
        CLOUDFLARE_SSL_MCP_ALLOWED_HOSTS: "a.example,b.example",
        CLOUDFLARE_SSL_MCP_ALLOWED_ORIGINS: "https://a.example",
      }).http,
    ).toEqual({
      host: "::1",
      port: 65535,
      loopback: true,
      maxInFlight: 1,
      allowedHosts: ["a.example", "b.example"],
      allowedOrigins: ["https://a.example"],
    });
    expect(run(["--http", "--port", "1"], { CLOUDFLARE_SSL_MCP_PORT: "2" }).http?.port).toBe(1);
  });

  it("a non-loopback host needs no allowed origins", () => {
    const config = run(["--http", "--host", "192.0.2.10"]);
    expect(config.http).toMatchObject({ host: "192.0.2.10", loopback: false, allowedOrigins: [] });
    expect(config.notices).toEqual([]);
  });

  it("credentials in the environment are set aside in HTTP mode, with a notice that says so", () => {
    const token = run(["--http"], { CLOUDFLARE_API_TOKEN: "t" });
    expect(token.credentials).toBeUndefined();
    expect(token.notices.join("\n")).toMatch(
      /HTTP mode: CLOUDFLARE_API_TOKEN from the environment is not used/,
    );
    const pair = run(["--http"], { CLOUDFLARE_EMAIL: "a@b.c", CLOUDFLARE_API_KEY: "k" });
    expect(pair.credentials).toBeUndefined();
    expect(pair.notices.join("\n")).toMatch(
      /CLOUDFLARE_EMAIL, CLOUDFLARE_API_KEY from the environment are not used/,
    );
    expect(run(["--http"]).notices).toEqual([]);
    expect(run(["--http"], { CLOUDFLARE_BASE_URL: "https://proxy.example/client/v4" }).baseUrl).toBe(
      "https://proxy.example/client/v4",
    );
  });

  it("the approval key: optional, at least 32 characters, never echoed", () => {
    expect(run([]).approvalKey).toBeUndefined();
    expect(run([], { CLOUDFLARE_SSL_MCP_APPROVAL_KEY: KEY }).approvalKey).toBe(KEY);
    expect(run(["--http"], { CLOUDFLARE_SSL_MCP_APPROVAL_KEY: KEY }).notices.join()).not.toContain(KEY);
    const short = "s3cret-but-too-short";
    let message = "";
    try {
      parseInvocation([], { CLOUDFLARE_SSL_MCP_APPROVAL_KEY: short });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/CLOUDFLARE_SSL_MCP_APPROVAL_KEY is shorter than 32 characters/);
    expect(message).not.toContain(short);
    expect(() => parseInvocation(["--approval-key", KEY], {})).toThrow(/unknown option --approval-key/);
  });

  it.each([
    [["--host", "0.0.0.0"], {}, /--host applies only with --http; add --http to serve HTTP, or drop --host/],
    [["--port", "9000"], {}, /--port applies only with --http/],
    [["--allowed-hosts", "a.example"], {}, /--allowed-hosts applies only with --http/],
    [["--allowed-origins=https://a.example"], {}, /--allowed-origins applies only with --http/],
    [
      [],
      { CLOUDFLARE_SSL_MCP_PORT: "9000" },
      /CLOUDFLARE_SSL_MCP_PORT applies only with --http; .* or unset CLOUDFLARE_SSL_MCP_PORT/,
    ],
    [["--port", "9000"], { CLOUDFLARE_SSL_MCP_HTTP: "false" }, /--port applies only with --http/],
    [["--http", "--port", "65536"], {}, /--port="65536" must be a whole number from 0 to 65535/],
    [["--http", "--port", "-1"], {}, /--port="-1" must be a whole number from 0 to 65535/],
    [["--http", "--port"], {}, /--port needs a value, e.g. --port 8787/],
    [["--http", "--host", "http://0.0.0.0"], {}, /--host="http:\/\/0.0.0.0" is not an address/],
    [["--http", "--host", "localhost:8080"], {}, /without a scheme or port \(the port is --port\)/],
    [
      ["--http", "--allowed-hosts", "a.example:8080"],
      {},
      /--allowed-hosts entry "a.example:8080" is not a host name/,
    ],
    [["--http", "--allowed-hosts", "*.example"], {}, /without a scheme, port, path or wildcard/],
    [["--http", "--allowed-origins", "null"], {}, /--allowed-origins cannot hold "null"/],
    [
      [],
      { CLOUDFLARE_SSL_MCP_HTTP: "1", CLOUDFLARE_SSL_MCP_ALLOWED_ORIGINS: "https://a.example, NULL" },
      /CLOUDFLARE_SSL_MCP_ALLOWED_ORIGINS cannot hold "null"/,
    ],
    [["--http", "--allowed-origins", "*"], {}, /entry "\*" is not an origin/],
    [
      ["--http", "--allowed-origins", "app.example.com"],
      {},
      /is not an origin; an origin is scheme:\/\/host\[:port\]/,
    ],
    [["--http", "--allowed-origins", "https://app.example.com/mcp"], {}, /is not an origin/],
    [["--http", "--allowed-origins", "file:///tmp/x.html"], {}, /is not an origin/],
    [["--http=true"], {}, /--http takes no value; write --http alone/],
    [[], { CLOUDFLARE_SSL_MCP_HTTP: "sometimes" }, /CLOUDFLARE_SSL_MCP_HTTP="sometimes" is not a boolean/],
  ])("refuses %j %j", (argv, env, message) => {
    expect(() => parseInvocation(argv, env)).toThrow(ConfigError);
    expect(() => parseInvocation(argv, env)).toThrow(message);
  });
});

describe("transport trust for the API base URL", () => {
  it.each([
    "http://127.0.0.1:8080/client/v4",
    "http://127.9.8.7/client/v4",
    "http://localhost:8787",
    "http://[::1]:8080",
    "https://api.example.com/client/v4",
    "https://192.0.2.1",
  ])("accepts %s", (url) => {
    expect(run([], { CLOUDFLARE_BASE_URL: url }).baseUrl).toBe(url.replace(/\/$/, ""));
  });

  it.each([
    "http://api.cloudflare.com/client/v4",
    "http://192.0.2.1:8080",
    "http://localhost.example.com",
    "http://[::2]",
  ])("refuses plain http to %s, naming the variable and the fix", (url) => {
    expect(() => run([], { CLOUDFLARE_BASE_URL: url })).toThrow(ConfigError);
    expect(() => run([], { CLOUDFLARE_BASE_URL: url })).toThrow(
      /CLOUDFLARE_BASE_URL uses plain http to .*; use https:\/\/ \(plain http is accepted only for loopback/,
    );
  });

  it("knows loopback in every spelling the URL parser accepts, and nothing else", () => {
    for (const host of [
      "127.0.0.1",
      "127.1",
      "127.255.0.9",
      "localhost",
      "LOCALHOST",
      "::1",
      "[::1]",
      "[0:0:0:0:0:0:0:1]",
      "::ffff:127.0.0.1",
    ])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of [
      "128.0.0.1",
      "0.0.0.0",
      "::",
      "10.0.0.1",
      "localhost.example",
      "example.com",
      "::2",
      "",
    ])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe("--help", () => {
  it("is generated from the settings table: every flag and variable, with its default", () => {
    const text = HELP.replace(/\s+/g, " ");
    const forNode = Object.values(SETTINGS).filter((s): s is typeof s & { env: string } => "env" in s);
    expect(forNode.length).toBeGreaterThan(10);
    for (const setting of forNode) {
      if ("flag" in setting) expect(HELP).toContain(setting.flag);
      expect(HELP).toContain(setting.env);
      if ("default" in setting && setting.default !== undefined)
        expect(text).toContain(`default ${setting.default}`);
    }
    for (const word of ["-h, --help", "-v, --version", "With --http:"]) expect(HELP).toContain(word);
  });

  it("gives secrets no flag, since the command line is visible to other users of the machine", () => {
    for (const setting of Object.values(SETTINGS)) {
      if ("secret" in setting && setting.secret) expect("flag" in setting, setting.help).toBe(false);
    }
  });
});

describe("one boolean grammar", () => {
  it("takes true/1/yes/on and false/0/no/off, trimmed, in any case; nothing else", () => {
    for (const text of ["true", "1", "yes", "on", " TRUE ", "Yes", "oN\t"])
      expect(parseBoolean(text), text).toBe(true);
    for (const text of ["false", "0", "no", "off", " False ", "NO", "Off\n"])
      expect(parseBoolean(text), text).toBe(false);
    for (const text of ["", " ", "maybe", "2", "y", "enabled", "truee"])
      expect(parseBoolean(text), text).toBeUndefined();
  });
});

describe("the Worker's vars, read by the same table", () => {
  it("have the table's defaults when unset or empty", () => {
    const defaults = {
      baseUrl: DEFAULT_BASE_URL,
      approvalKey: undefined,
      allowedOrigins: [],
      readOnly: false,
      sandbox: true,
      timeoutMs: SETTINGS.timeoutMs.default,
      rateLimit: SETTINGS.rateLimit.default,
    };
    expect(workerSettings({})).toEqual(defaults);
    expect(workerSettings({ READ_ONLY: " ", SANDBOX_ENABLED: "", CLOUDFLARE_BASE_URL: "" })).toEqual(
      defaults,
    );
  });

  it("take switches in the CLI's grammar, and values through the CLI's checks", () => {
    expect(
      workerSettings({
        READ_ONLY: " Yes ",
        SANDBOX_ENABLED: "off",
        ALLOWED_ORIGINS: "https://app.example.com, http://localhost:5173",
        CLOUDFLARE_BASE_URL: "http://127.0.0.1:9/client/v4",
      }),
    ).toMatchObject({
      readOnly: true,
      sandbox: false,
      allowedOrigins: ["https://app.example.com", "http://localhost:5173"],
      baseUrl: "http://127.0.0.1:9/client/v4",
    });
    expect(oauthMode({ OAUTH_ENABLED: "ON", OAUTH_KV: {} })).toEqual({
      kind: "on",
      apiBase: DEFAULT_BASE_URL,
    });
    expect(oauthMode({ OAUTH_ENABLED: "0", OAUTH_KV: {} })).toEqual({ kind: "off" });
  });

  it("name the var and the fix when malformed, never a secret's value", () => {
    expect(() => workerSettings({ READ_ONLY: "maybe" })).toThrow(
      new ConfigError('READ_ONLY="maybe" is not a boolean; use true or false (also 1/0, yes/no, on/off)'),
    );
    expect(() => workerSettings({ APPROVAL_KEY: "short-secret-value" })).toThrow(/^APPROVAL_KEY is shorter/);
    expect(() => workerSettings({ APPROVAL_KEY: "short-secret-value" })).not.toThrow(/short-secret-value/);
    expect(oauthMode({ OAUTH_ENABLED: "sometimes", OAUTH_KV: {} })).toEqual({
      kind: "broken",
      problem:
        'OAUTH_ENABLED="sometimes" is not a boolean; use true or false (also 1/0, yes/no, on/off) (in wrangler.jsonc vars).',
    });
  });

  it("are exactly the vars wrangler.jsonc declares, each with the table's default", () => {
    const text = readFileSync(new URL("../wrangler.jsonc", import.meta.url), "utf8");
    const vars = JSON.parse(text.replace(/^\s*\/\/.*$/gm, "")).vars as Record<string, string>;
    const column = workerSettingsOf();
    const declared = column.filter(([, s]) => !s.secret && s.worker !== "CLOUDFLARE_BASE_URL");
    expect(Object.keys(vars).sort()).toEqual(declared.map(([, s]) => s.worker).sort());
    for (const [, setting] of declared) {
      const fallback = setting.type === "list" ? "" : String(("default" in setting && setting.default) ?? "");
      expect(vars[setting.worker], setting.worker).toBe(
        setting.type === "boolean" ? String(setting.default ?? false) : fallback,
      );
    }
  });
});
