// The consent page as a user and an attacker meet it: what it shows and forbids (CSP, framing, caching), the
// CSRF check that comes before any call to Cloudflare, tokens Cloudflare refuses, account-owned tokens, the
// read-only choice, and that the pasted token appears in no page, URL, header or log.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChatApp, continueLink, hiddenField, pkce, REDIRECT_URI } from "./oauth-client.js";
import {
  ACCOUNT_ID,
  ACCOUNT_TOKEN,
  type FakeCloudflare,
  installFakeCloudflare,
  oauthWorker,
  USER_TOKEN,
} from "./oauth-fixtures.js";

let fake: FakeCloudflare;
beforeEach(() => {
  fake = installFakeCloudflare();
});
afterEach(() => fake.restore());

async function openConsent() {
  const app = new ChatApp(oauthWorker().call);
  await app.register();
  const url = app.authorizeUrl({ challenge: (await pkce()).challenge, method: "S256" });
  const response = await app.browser.open(url);
  const page = await response.text();
  const form = { handle: hiddenField(page, "handle"), csrf: hiddenField(page, "csrf"), decision: "approve" };
  return { app, url, response, page, form };
}

describe("the consent page", () => {
  it("asks for the token in a password field, names the permissions, and allows no script or framing", async () => {
    const { response, page } = await openConsent();
    expect(response.status).toBe(200);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toMatch(/form-action 'self' https:\/\/chat\.example(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    const style = /<style>([^<]*)<\/style>/.exec(page)?.[1] ?? "";
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(style));
    expect(csp).toContain(`style-src 'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`);
    expect(page).not.toContain("<script");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const csrfCookie = response.headers.getSetCookie().find((c) => c.startsWith("__Host-ssl-mcp-csrf="));
    expect(csrfCookie).toMatch(/; Secure; HttpOnly; SameSite=Strict;/);
    expect(page).toMatch(/<input type="password" id="cloudflare_token" name="cloudflare_token"/);
    for (const permission of [
      "SSL and Certificates · Read",
      "SSL and Certificates · Edit",
      "Zone · Zone · Read",
    ]) {
      expect(page).toContain(permission);
    }
    expect(page).toContain("<strong>Chat Example</strong> (the app named itself; the name is not verified)");
    expect(page).toContain("Access will be sent to <strong>chat.example</strong>");
  });

  it("escapes what the client chose about itself", async () => {
    const app = new ChatApp(oauthWorker().call);
    await app.register([REDIRECT_URI], "none", '<img src=x onerror="alert(1)">Chat');
    const url = app.authorizeUrl({ challenge: (await pkce()).challenge, method: "S256" });
    const page = await (await app.browser.open(url)).text();
    expect(page).toContain("&#60;img src=x onerror=&#34;alert(1)&#34;&#62;Chat");
    expect(page).not.toContain("<img");
  });

  it("refuses a post without the CSRF value before calling Cloudflare, and the sign-in still works after", async () => {
    const { app, url, form } = await openConsent();
    fake.requests.length = 0;
    const { csrf: _dropped, ...withoutCsrf } = form;
    const refused = await app.browser.post(url, { ...withoutCsrf, cloudflare_token: USER_TOKEN });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("CSRF value is missing or wrong");
    const forged = await app.browser.post(url, {
      ...form,
      csrf: "x".repeat(43),
      cloudflare_token: USER_TOKEN,
    });
    expect(forged.status).toBe(403);
    expect(fake.requests).toEqual([]);
    const accepted = await app.browser.post(url, { ...form, cloudflare_token: USER_TOKEN });
    expect(accepted.status).toBe(200);
  });

  it("refuses a handle that was used or never issued, after the CSRF check", async () => {
    const { app, url, form } = await openConsent();
    expect((await app.browser.post(url, { ...form, cloudflare_token: USER_TOKEN })).status).toBe(200);
    const again = await app.browser.post(url, { ...form, cloudflare_token: USER_TOKEN });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("Start again from your app");
    const invented = await app.browser.post(url, {
      ...form,
      handle: "invented",
      cloudflare_token: USER_TOKEN,
    });
    expect(invented.status).toBe(400);
  });

  it("shows Cloudflare's refusal without echoing the token, and keeps the form usable", async () => {
    const { app, url, form } = await openConsent();
    const wrong = "wR0ng-token-nobody-has-ddddddddddddddddddd";
    const refused = await app.browser.post(url, { ...form, cloudflare_token: wrong });
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain("Cloudflare did not accept this token (HTTP 401, error 1000)");
    expect(page).toContain("For an account-owned token, enter its account id.");
    expect(page).not.toContain(wrong);
    expect(hiddenField(page, "handle")).toBe(form.handle);
    const accepted = await app.browser.post(url, { ...form, cloudflare_token: USER_TOKEN });
    expect(accepted.status).toBe(200);
  });

  it("verifies, lists the zones and the tools, and continues only when the user does", async () => {
    const { app, url, form } = await openConsent();
    const summary = await app.browser.post(url, {
      ...form,
      cloudflare_token: USER_TOKEN,
      access: "read-only",
    });
    const page = await summary.text();
    expect(summary.headers.get("location")).toBeNull();
    expect(page).toContain("Token <code>a11ce0000000000000000000000000u1</code> is active.");
    expect(page).toContain("these 2 zones");
    expect(page).toContain("<li>example.com</li><li>shop.example.org</li>");
    expect(page).toContain("<code>get_universal_ssl_settings</code>");
    expect(page).not.toContain("<code>update_universal_ssl_settings</code>");
    expect(page).not.toContain(USER_TOKEN);
    const next = new URL(continueLink(page));
    expect(`${next.origin}${next.pathname}`).toBe(REDIRECT_URI);
    expect(next.searchParams.get("code")).toBeTruthy();
    const verified = fake.requests.filter((r) => r.url.endsWith("/user/tokens/verify"));
    expect(verified.map((r) => r.authorization)).toEqual([`Bearer ${USER_TOKEN}`]);
  });

  it("finds the account of an account-owned token, or takes it from the form", async () => {
    for (const fields of [{}, { account_id: ACCOUNT_ID }] as Record<string, string>[]) {
      const { app, url, form } = await openConsent();
      fake.requests.length = 0;
      const summary = await app.browser.post(url, { ...form, ...fields, cloudflare_token: ACCOUNT_TOKEN });
      expect(summary.status).toBe(200);
      expect(await summary.text()).toContain(`owned by account <code>${ACCOUNT_ID}</code>`);
      expect(fake.requests.some((r) => r.url.endsWith(`/accounts/${ACCOUNT_ID}/tokens/verify`))).toBe(true);
    }
  });

  it("declines: back to the app with access_denied, nothing sent to Cloudflare", async () => {
    const { app, url, form } = await openConsent();
    fake.requests.length = 0;
    const denied = await app.browser.post(url, { ...form, decision: "deny" });
    expect(denied.status).toBe(302);
    const back = new URL(denied.headers.get("location") ?? "");
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe("state-123");
    expect(fake.requests).toEqual([]);
  });
});

describe("what the user chose is what the app gets", () => {
  it("read only: the app lists no tool that changes anything; read and change: it does", async () => {
    for (const [access, expectWrites] of [
      ["read-only", false],
      ["read-write", true],
    ] as const) {
      const app = new ChatApp(oauthWorker().call);
      const { tokens } = await app.signIn(USER_TOKEN, { access });
      const client = await app.mcp(tokens.access_token);
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      await client.close();
      expect(names).toContain("get_universal_ssl_settings");
      expect(names.includes("update_universal_ssl_settings")).toBe(expectWrites);
      expect(names.includes("delete_certificate_pack")).toBe(expectWrites);
    }
  });
});

describe("the page after consent", () => {
  it("names exactly the tools the app then lists, for either access", async () => {
    for (const access of ["read-only", "read-write"]) {
      const app = new ChatApp(oauthWorker().call);
      await app.register();
      const { verifier, challenge } = await pkce();
      const url = app.authorizeUrl({ challenge, method: "S256" });
      const page = await (await app.browser.open(url)).text();
      const form = {
        handle: hiddenField(page, "handle"),
        csrf: hiddenField(page, "csrf"),
        decision: "approve",
      };
      const summary = await (
        await app.browser.post(url, { ...form, cloudflare_token: USER_TOKEN, access })
      ).text();
      const toolsLine = /<p class="note">Tools: (.*?)\.<\/p>/.exec(summary)?.[1] ?? "";
      const named = [...toolsLine.matchAll(/<code>([^<]+)<\/code>/g)].map((match) => match[1]);
      const code = new URL(continueLink(summary)).searchParams.get("code") ?? "";
      const exchanged = await app.token({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      });
      const client = await app.mcp(((await exchanged.json()) as { access_token: string }).access_token);
      const listed = (await client.listTools()).tools.map((tool) => tool.name);
      await client.close();
      expect(named.length).toBeGreaterThan(0);
      expect([...named].sort()).toEqual([...listed].sort());
      expect(named.includes("delete_certificate_pack")).toBe(access === "read-write");
    }
  });
});

describe("the token stays out of everything but the grant and the calls to Cloudflare", () => {
  it("no response header or body, no URL and no log line carries it", async () => {
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi
        .spyOn(console, level)
        .mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))),
    );
    const seen: string[] = [];
    const worker = oauthWorker();
    const app = new ChatApp(async (request) => {
      seen.push(request.url);
      const response = await worker.call(request);
      seen.push(JSON.stringify([...response.headers]), await response.clone().text());
      return response;
    });
    try {
      const { tokens } = await app.signIn(USER_TOKEN);
      await app.token({ grant_type: "authorization_code", code: "bogus", redirect_uri: REDIRECT_URI });
      const client = await app.mcp(tokens.access_token);
      await client.listTools();
      await client.close();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.filter((text) => text.includes(USER_TOKEN))).toEqual([]);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.filter((line) => line.includes(USER_TOKEN))).toEqual([]);
    const keys = await (worker.env.OAUTH_KV as { list(): Promise<{ keys: { name: string }[] }> }).list();
    expect(keys.keys.some((key) => key.name.startsWith("grant:"))).toBe(true);
    expect(keys.keys.map((key) => key.name).join(" ")).not.toContain(USER_TOKEN);
  });
});
