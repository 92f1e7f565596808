// A scripted chat app and its user's browser: registers, sends the user to /authorize with PKCE, fills in
// the consent page as a person would (cookies kept, hidden fields posted back), follows the continue link
// to the redirect URI and exchanges the code. Each step is a plain HTTP request, so a test can stop at any
// one and try what an attacker would.
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { ORIGIN } from "./oauth-fixtures.js";

export const REDIRECT_URI = "https://chat.example/oauth/callback";
export type Call = (request: Request) => Promise<Response>;

/** A browser: keeps cookies between requests, follows nothing by itself. */
export class Browser {
  private readonly jar = new Map<string, string>();
  constructor(private readonly call: Call) {}

  async open(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size > 0) headers.set("cookie", [...this.jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await this.call(new Request(url, { ...init, headers, redirect: "manual" }));
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const name = pair.slice(0, pair.indexOf("=")).trim();
      if (/max-age=0\b/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, pair.slice(pair.indexOf("=") + 1));
    }
    return response;
  }

  post(url: string, fields: Record<string, string>): Promise<Response> {
    return this.open(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

const unescapeHtml = (text: string) =>
  text.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));

export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no field ${name} on the page`);
  return unescapeHtml(match[1] as string);
}

export function continueLink(html: string): string {
  const match = /<a class="button" href="([^"]+)">/.exec(html);
  if (!match) throw new Error("no continue link on the page");
  return unescapeHtml(match[1] as string);
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

export async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

export interface TokenSet {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  [key: string]: unknown;
}

export class ChatApp {
  readonly browser: Browser;
  clientId = "";
  constructor(readonly call: Call) {
    this.browser = new Browser(call);
  }

  async register(redirectUris = [REDIRECT_URI], authMethod = "none", name = "Chat Example"): Promise<string> {
    const response = await this.call(
      new Request(`${ORIGIN}/oauth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          client_name: name,
          redirect_uris: redirectUris,
          token_endpoint_auth_method: authMethod,
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"],
        }),
      }),
    );
    if (response.status !== 201) throw new Error(`registration answered ${response.status}`);
    this.clientId = ((await response.json()) as { client_id: string }).client_id;
    return this.clientId;
  }

  authorizeUrl(options: {
    challenge?: string;
    method?: string;
    redirectUri?: string;
    resource?: string;
  }): string {
    const url = new URL(`${ORIGIN}/authorize`);
    url.searchParams.set("response_type", "code");
    url.searchParams.set("client_id", this.clientId);
    url.searchParams.set("redirect_uri", options.redirectUri ?? REDIRECT_URI);
    url.searchParams.set("state", "state-123");
    if (options.challenge) url.searchParams.set("code_challenge", options.challenge);
    if (options.method) url.searchParams.set("code_challenge_method", options.method);
    url.searchParams.set("resource", options.resource ?? `${ORIGIN}/mcp`);
    return url.href;
  }

  /** The user's part: opens the page, pastes the token, continues; answers the redirect URL with the code. */
  async consent(url: string, fields: Record<string, string>): Promise<URL> {
    const page = await (await this.browser.open(url)).text();
    const form = {
      handle: hiddenField(page, "handle"),
      csrf: hiddenField(page, "csrf"),
      decision: "approve",
    };
    const summary = await this.browser.post(url, { ...form, ...fields });
    if (summary.status !== 200)
      throw new Error(`consent answered ${summary.status}: ${await summary.text()}`);
    return new URL(continueLink(await summary.text()));
  }

  token(fields: Record<string, string>): Promise<Response> {
    return this.call(
      new Request(`${ORIGIN}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ client_id: this.clientId, ...fields }).toString(),
      }),
    );
  }

  /** Registration, PKCE, consent with `cloudflareToken`, code exchange: a connected app and its tokens. */
  async signIn(cloudflareToken: string, fields: Record<string, string> = {}) {
    if (!this.clientId) await this.register();
    const { verifier, challenge } = await pkce();
    const redirect = await this.consent(this.authorizeUrl({ challenge, method: "S256" }), {
      cloudflare_token: cloudflareToken,
      ...fields,
    });
    const code = redirect.searchParams.get("code") ?? "";
    const response = await this.token({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    if (response.status !== 200) throw new Error(`code exchange answered ${response.status}`);
    return { code, verifier, redirect, tokens: (await response.json()) as TokenSet };
  }

  /** A real MCP client, talking to `path` with the given access token. */
  async mcp(accessToken: string, path = "/mcp"): Promise<Client> {
    const transport = new StreamableHTTPClientTransport(new URL(`${ORIGIN}${path}`), {
      fetch: (input, init) => this.call(new Request(input, init)),
      requestInit: { headers: { authorization: `Bearer ${accessToken}` } },
    });
    const client = new Client({ name: "chat-example", version: "1.0.0" });
    await client.connect(transport);
    return client;
  }
}

/** A POST of one JSON-RPC request to an MCP path, for answers a client library would hide (a 401). */
export function rawMcp(
  call: Call,
  bearer: string | undefined,
  path = "/mcp",
  origin = ORIGIN,
): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
  };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  return call(
    new Request(`${origin}${path}`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "raw", version: "1" },
        },
      }),
    }),
  );
}
