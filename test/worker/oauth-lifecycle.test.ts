// A connection's life after sign-in: the user revokes it on the page, or Cloudflare stops accepting its token
// (found on a later call or refresh), and the app is sent back through sign-in. Beside it, callers who send
// their own Cloudflare token as the bearer keep working as without OAuth, and chat apps that identify
// themselves by a client metadata document sign in without registering.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { REVERIFY_AFTER_MS } from "../../src/oauth/grant.js";
import { Browser, ChatApp, continueLink, hiddenField, pkce, rawMcp } from "./oauth-client.js";
import {
  type FakeCloudflare,
  installFakeCloudflare,
  ORIGIN,
  OTHER_TOKEN,
  oauthWorker,
  USER_TOKEN,
  ZONE_ID,
} from "./oauth-fixtures.js";

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
  vi.useRealTimers();
  for (const line of warned) expect(line).toMatch(/^oauth: [a-z_]+ \([a-z-]+\/[a-z_]+\)$/);
});

const REVOKE_URL = `${ORIGIN}/oauth/revoke`;

describe("revoking on the page", () => {
  it("ends every connection made with the pasted token, and only those", async () => {
    const worker = oauthWorker();
    const mine = await new ChatApp(worker.call).signIn(USER_TOKEN);
    const theirs = await new ChatApp(worker.call).signIn(OTHER_TOKEN);
    const browser = new Browser(worker.call);
    const form = await browser.open(REVOKE_URL);
    expect(form.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const csrf = hiddenField(await form.text(), "csrf");

    const forged = await browser.post(REVOKE_URL, { cloudflare_token: USER_TOKEN });
    expect(forged.status).toBe(403);
    expect((await rawMcp(worker.call, mine.tokens.access_token)).status).toBe(200);

    const revoked = await browser.post(REVOKE_URL, { csrf, cloudflare_token: USER_TOKEN });
    expect(revoked.status).toBe(200);
    const page = await revoked.text();
    expect(page).toMatch(/<li>Chat Example, connected \d{4}-\d\d-\d\dT/);
    expect(page).not.toContain(USER_TOKEN);
    const after = await rawMcp(worker.call, mine.tokens.access_token);
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toContain("resource_metadata=");
    expect((await rawMcp(worker.call, theirs.tokens.access_token)).status).toBe(200);

    const again = await browser.post(REVOKE_URL, { csrf, cloudflare_token: USER_TOKEN });
    expect(await again.text()).toContain("Nothing to revoke");
  });

  it("says so when Cloudflare no longer accepts the token", async () => {
    const browser = new Browser(oauthWorker().call);
    const csrf = hiddenField(await (await browser.open(REVOKE_URL)).text(), "csrf");
    fake.tokens.delete(USER_TOKEN);
    const refused = await browser.post(REVOKE_URL, { csrf, cloudflare_token: USER_TOKEN });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("its connections end by themselves");
  });
});

describe("signing in again from the same app", () => {
  it("abandoned at the confirmation page, leaves the existing connection working; exchanged, replaces it", async () => {
    const worker = oauthWorker();
    const app = new ChatApp(worker.call);
    const first = await app.signIn(USER_TOKEN);
    const otherApp = await new ChatApp(worker.call).signIn(USER_TOKEN);
    expect((await rawMcp(worker.call, first.tokens.access_token)).status).toBe(200);

    // The user posts the token again, sees the summary, and closes the window instead of continuing.
    const { challenge, verifier } = await pkce();
    const abandoned = await app.consent(app.authorizeUrl({ challenge, method: "S256" }), {
      cloudflare_token: USER_TOKEN,
    });
    expect((await rawMcp(worker.call, first.tokens.access_token)).status).toBe(200);
    const refreshed = await app.token({
      grant_type: "refresh_token",
      refresh_token: first.tokens.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    const current = (await refreshed.json()) as { access_token: string };
    expect((await rawMcp(worker.call, current.access_token)).status).toBe(200);

    // Had the user continued, the app would exchange the code: then the new connection replaces the old one.
    const exchanged = await app.token({
      grant_type: "authorization_code",
      code: abandoned.searchParams.get("code") ?? "",
      redirect_uri: abandoned.origin + abandoned.pathname,
      code_verifier: verifier,
    });
    expect(exchanged.status).toBe(200);
    const replacement = (await exchanged.json()) as { access_token: string };
    expect((await rawMcp(worker.call, replacement.access_token)).status).toBe(200);
    expect((await rawMcp(worker.call, current.access_token)).status).toBe(401);
    // Another app's connection with the same Cloudflare token is not the same connection: it stays.
    expect((await rawMcp(worker.call, otherApp.tokens.access_token)).status).toBe(200);
  });
});

describe("a Cloudflare token that stops verifying", () => {
  it("is checked again after a few minutes; once refused, the call gets a 401 and the grant is gone", async () => {
    const worker = oauthWorker();
    const app = new ChatApp(worker.call);
    const { tokens } = await app.signIn(USER_TOKEN);
    (fake.tokens.get(USER_TOKEN) as { status: string }).status = "disabled";
    fake.requests.length = 0;
    expect((await rawMcp(worker.call, tokens.access_token)).status).toBe(200);
    expect(fake.requests.filter((r) => r.url.endsWith("/tokens/verify"))).toEqual([]);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + REVERIFY_AFTER_MS + 1000);
    const refused = await rawMcp(worker.call, tokens.access_token);
    expect(refused.status).toBe(401);
    const challenge = refused.headers.get("www-authenticate") ?? "";
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toContain(`resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource/mcp"`);
    expect(await refused.json()).toMatchObject({
      error_description: expect.stringContaining("no longer verifies"),
    });
    const refresh = await app.token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token });
    expect(((await refresh.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("is checked at every refresh, which fails with invalid_grant and ends the grant", async () => {
    const worker = oauthWorker();
    const app = new ChatApp(worker.call);
    const { tokens } = await app.signIn(USER_TOKEN);
    const fine = await app.token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token });
    expect(fine.status).toBe(200);
    const next = (await fine.json()) as { access_token: string; refresh_token: string };
    fake.tokens.delete(USER_TOKEN);
    const refused = await app.token({ grant_type: "refresh_token", refresh_token: next.refresh_token });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_grant");
    expect((await rawMcp(worker.call, next.access_token)).status).toBe(401);
  });

  it("an outage at Cloudflare's verify endpoint does not end the connection", async () => {
    const worker = oauthWorker();
    const { tokens } = await new ChatApp(worker.call).signIn(USER_TOKEN);
    fake.tokens.delete(USER_TOKEN);
    const realFetch = vi.mocked(globalThis.fetch).getMockImplementation();
    vi.mocked(globalThis.fetch).mockImplementation(async (input, init) =>
      new Request(input, init).url.endsWith("/tokens/verify")
        ? new Response("upstream unavailable", { status: 503 })
        : (realFetch as typeof fetch)(input, init),
    );
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + REVERIFY_AFTER_MS + 1000);
    expect((await rawMcp(worker.call, tokens.access_token)).status).toBe(200);
  });
});

describe("both kinds of caller on one deployment", () => {
  it("a Cloudflare API token as the bearer goes straight to the MCP app, as with OAuth off", async () => {
    const worker = oauthWorker();
    const app = new ChatApp(worker.call);
    const client = await app.mcp(USER_TOKEN);
    const result = await client.callTool({
      name: "get_universal_ssl_settings",
      arguments: { zone_id: ZONE_ID },
    });
    await client.close();
    expect(result.structuredContent).toMatchObject({ enabled: true });
    const calls = fake.requests.filter((r) => r.url.includes("/ssl/universal/settings"));
    expect(calls.map((r) => r.authorization)).toEqual([`Bearer ${USER_TOKEN}`]);
    expect(fake.requests.filter((r) => r.url.endsWith("/tokens/verify"))).toEqual([]);
  });

  it("a bearer in the provider's shape that it never issued is refused with the sign-in challenge", async () => {
    const refused = await rawMcp(oauthWorker().call, "someone:somegrant:somesecret");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain("resource_metadata=");
    expect(fake.requests).toEqual([]);
  });
});

describe("a chat app identified by a client metadata document", () => {
  it("signs in without registering; the page names its verified domain", async () => {
    const clientId = "https://chat.example/oauth/client-metadata.json";
    fake.documents.set(clientId, {
      client_id: clientId,
      client_name: "Chat Example",
      redirect_uris: ["https://chat.example/oauth/callback"],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    });
    const worker = oauthWorker();
    const app = new ChatApp(worker.call);
    app.clientId = clientId;
    const { challenge, verifier } = await pkce();
    const url = app.authorizeUrl({ challenge, method: "S256" });
    const page = await (await app.browser.open(url)).text();
    expect(page).toContain("<strong>Chat Example</strong>, published by <strong>chat.example</strong>,");
    const form = {
      handle: hiddenField(page, "handle"),
      csrf: hiddenField(page, "csrf"),
      decision: "approve",
    };
    const summary = await app.browser.post(url, { ...form, cloudflare_token: USER_TOKEN });
    const code = new URL(continueLink(await summary.text())).searchParams.get("code") ?? "";
    const exchanged = await app.token({
      grant_type: "authorization_code",
      code,
      redirect_uri: "https://chat.example/oauth/callback",
      code_verifier: verifier,
    });
    expect(exchanged.status).toBe(200);
    const { access_token } = (await exchanged.json()) as { access_token: string };
    expect((await rawMcp(worker.call, access_token)).status).toBe(200);
  });
});

describe("a deployment that turned OAuth on but got the settings wrong", () => {
  it.each([
    [{ OAUTH_ENABLED: "yes" }, 'OAUTH_ENABLED="yes" is not a switch'],
    [{ OAUTH_KV: undefined }, "no KV namespace is bound as OAUTH_KV"],
  ])("%o answers 500 naming the fix", async (vars, message) => {
    const response = await oauthWorker(vars as Record<string, undefined>).call(new Request(`${ORIGIN}/`));
    expect(response.status).toBe(500);
    expect(await response.text()).toContain(message);
  });
});
