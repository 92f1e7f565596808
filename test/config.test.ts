import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_BASE_URL, parseInvocation } from "../src/config.js";

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
