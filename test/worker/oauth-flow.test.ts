// The whole sign-in of a chat app against a fake Cloudflare API, inside workerd: discovery, registration,
// authorization with PKCE, consent with a token, code exchange, MCP calls that reach Cloudflare with the
// sealed token (never the client's), refresh, revocation, and the 401 that follows.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChatApp, pkce, REDIRECT_URI, rawMcp } from "./oauth-client.js";
import {
  type FakeCloudflare,
  installFakeCloudflare,
  ORIGIN,
  oauthWorker,
  USER_TOKEN,
  ZONE_ID,
} from "./oauth-fixtures.js";

const METADATA_URL = `${ORIGIN}/.well-known/oauth-protected-resource/mcp`;
let fake: FakeCloudflare;
/** The provider's warnings (refused tokens, codes): kept off the test output, and checked to hold no secret. */
let warned: string[];
beforeEach(() => {
  fake = installFakeCloudflare();
  warned = [];
  vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
    warned.push(args.map(String).join(" "));
  });
});
afterEach(() => {
  fake.restore();
  vi.restoreAllMocks();
  for (const line of warned) expect(line).toMatch(/^oauth: [a-z_]+ \([a-z-]+\/[a-z_]+\)$/);
});

describe("a chat app signs in and calls tools", () => {
  it("discovers the server from a 401, registers, signs in, calls, refreshes, revokes and is sent back", async () => {
    const worker = oauthWorker();
    const app = new ChatApp(worker.call);

    const challenge = await rawMcp(worker.call, undefined);
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get("www-authenticate")).toContain(`resource_metadata="${METADATA_URL}"`);
    expect(challenge.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const said = await challenge.text();
    expect(said).toContain("sign in with OAuth");
    expect(said).toContain("`Authorization: Bearer <token>`");

    const resource = (await (await worker.call(new Request(METADATA_URL))).json()) as Record<string, unknown>;
    expect(resource.resource).toBe(`${ORIGIN}/mcp`);
    expect(resource.authorization_servers).toEqual([ORIGIN]);
    const server = (await (
      await worker.call(new Request(`${ORIGIN}/.well-known/oauth-authorization-server`))
    ).json()) as Record<string, unknown>;
    expect(server).toMatchObject({
      issuer: ORIGIN,
      authorization_endpoint: `${ORIGIN}/authorize`,
      token_endpoint: `${ORIGIN}/oauth/token`,
      registration_endpoint: `${ORIGIN}/oauth/register`,
      revocation_endpoint: `${ORIGIN}/oauth/token`,
      code_challenge_methods_supported: ["S256"],
      client_id_metadata_document_supported: true,
    });
    expect(server.grant_types_supported).toEqual(
      expect.arrayContaining(["authorization_code", "refresh_token"]),
    );

    await app.register();
    const { verifier, challenge: codeChallenge } = await pkce();
    const redirect = await app.consent(app.authorizeUrl({ challenge: codeChallenge, method: "S256" }), {
      cloudflare_token: USER_TOKEN,
      access: "read-write",
    });
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get("state")).toBe("state-123");
    expect(redirect.searchParams.get("iss")).toBe(ORIGIN);
    expect(redirect.href).not.toContain(USER_TOKEN);

    const exchanged = await app.token({
      grant_type: "authorization_code",
      code: redirect.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(exchanged.status).toBe(200);
    const tokens = (await exchanged.json()) as Record<string, string>;
    expect(tokens.token_type?.toLowerCase()).toBe("bearer");
    expect(tokens.access_token).toMatch(/^[^:]+:[^:]+:[^:]+$/);
    expect(tokens.refresh_token).toBeTruthy();
    expect(JSON.stringify(tokens)).not.toContain(USER_TOKEN);

    fake.requests.length = 0;
    const client = await app.mcp(tokens.access_token as string);
    const listed = await client.listTools();
    expect(listed.tools.map((tool) => tool.name)).toContain("update_universal_ssl_settings");
    const result = await client.callTool({
      name: "get_universal_ssl_settings",
      arguments: { zone_id: ZONE_ID },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ enabled: true });
    await client.close();
    const settingsCalls = fake.requests.filter((r) =>
      r.url.endsWith(`/zones/${ZONE_ID}/ssl/universal/settings`),
    );
    expect(settingsCalls).toHaveLength(1);
    expect(settingsCalls[0]?.authorization).toBe(`Bearer ${USER_TOKEN}`);
    expect(fake.requests.every((r) => !r.authorization?.includes(tokens.access_token as string))).toBe(true);

    const refreshed = await app.token({
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token ?? "",
    });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as Record<string, string>;
    expect(next.access_token).not.toBe(tokens.access_token);
    expect((await rawMcp(worker.call, next.access_token)).status).toBe(200);

    const revoked = await app.token({ token: next.refresh_token ?? "", token_type_hint: "refresh_token" });
    expect(revoked.status).toBe(200);
    const afterRevoke = await rawMcp(worker.call, next.access_token);
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(afterRevoke.headers.get("www-authenticate")).toContain(`resource_metadata="${METADATA_URL}"`);
    const refreshAfterRevoke = await app.token({
      grant_type: "refresh_token",
      refresh_token: next.refresh_token ?? "",
    });
    expect(refreshAfterRevoke.status).toBe(400);
    expect(((await refreshAfterRevoke.json()) as { error: string }).error).toBe("invalid_grant");
  });
});

describe("what the authorization server refuses", () => {
  it("a redirect URI the client did not register: shown on the page, never redirected to", async () => {
    const app = new ChatApp(oauthWorker().call);
    await app.register();
    const { challenge } = await pkce();
    const url = app.authorizeUrl({ challenge, method: "S256", redirectUri: "https://attacker.example/cb" });
    const response = await app.browser.open(url);
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("Invalid redirect URI");
  });

  // Anyone can register a client with any redirect URI: an error sent there before the user has seen the
  // consent page would make the deployer's domain an open redirector. Such errors are shown on our page.
  it("an authorization request without PKCE, or with the plain method: shown on the page, never redirected", async () => {
    const app = new ChatApp(oauthWorker().call);
    await app.register(["https://attacker.example/landing"]);
    const { verifier } = await pkce();
    const attempts = [
      [app.authorizeUrl({ redirectUri: "https://attacker.example/landing" }), /PKCE/],
      [
        app.authorizeUrl({
          challenge: verifier,
          method: "plain",
          redirectUri: "https://attacker.example/landing",
        }),
        /plain PKCE method is not allowed/,
      ],
    ] as const;
    for (const [url, reason] of attempts) {
      const response = await app.browser.open(url);
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const page = await response.text();
      expect(page).toContain("Sign-in refused");
      expect(page).toMatch(reason);
      expect(page).not.toContain("attacker.example");
    }
    // The provider would let a confidential client skip PKCE; this server does not.
    const confidential = new ChatApp(oauthWorker().call);
    await confidential.register([REDIRECT_URI], "client_secret_post");
    const response = await confidential.browser.open(confidential.authorizeUrl({}));
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("PKCE with S256 is required (code_challenge_method=S256)");
  });

  it("a code used twice, and a code with the wrong PKCE verifier", async () => {
    const app = new ChatApp(oauthWorker().call);
    const first = await app.signIn(USER_TOKEN);
    const replay = await app.token({
      grant_type: "authorization_code",
      code: first.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: first.verifier,
    });
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe("invalid_grant");

    const { challenge } = await pkce();
    const redirect = await app.consent(app.authorizeUrl({ challenge, method: "S256" }), {
      cloudflare_token: USER_TOKEN,
    });
    const wrong = await app.token({
      grant_type: "authorization_code",
      code: redirect.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT_URI,
      code_verifier: (await pkce()).verifier,
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("an access token past its lifetime", async () => {
    const worker = oauthWorker();
    const { tokens } = await new ChatApp(worker.call).signIn(USER_TOKEN);
    expect((await rawMcp(worker.call, tokens.access_token)).status).toBe(200);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + (tokens.expires_in + 1) * 1000);
      const expired = await rawMcp(worker.call, tokens.access_token);
      expect(expired.status).toBe(401);
      expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect(expired.headers.get("www-authenticate")).toContain(`resource_metadata="${METADATA_URL}"`);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a token for another resource (RFC 8707): at authorization, at the token endpoint, and at the API", async () => {
    const worker = oauthWorker();
    const app = new ChatApp(worker.call);
    await app.register();
    const { challenge, verifier } = await pkce();
    const elsewhere = "https://other.example.workers.dev/mcp";
    const refused = await app.browser.open(
      app.authorizeUrl({ challenge, method: "S256", resource: elsewhere }),
    );
    expect(refused.status).toBe(400);
    expect(refused.headers.get("location")).toBeNull();
    expect(await refused.text()).toContain("The resource parameter must name exactly one configured");

    const redirect = await app.consent(app.authorizeUrl({ challenge, method: "S256" }), {
      cloudflare_token: USER_TOKEN,
    });
    const retargeted = await app.token({
      grant_type: "authorization_code",
      code: redirect.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      resource: elsewhere,
    });
    expect(retargeted.status).toBe(400);
    expect(((await retargeted.json()) as { error: string }).error).toBe("invalid_target");

    const { tokens } = await app.signIn(USER_TOKEN);
    const atOther = await rawMcp(
      worker.call,
      tokens.access_token,
      "/mcp",
      "https://other.example.workers.dev",
    );
    expect(atOther.status).toBe(401);
    expect(atOther.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect((await rawMcp(worker.call, tokens.access_token)).status).toBe(200);
  });
});
