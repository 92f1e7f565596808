// A Cloudflare API stand-in for tests inside workerd: installed in place of the isolate's fetch, so it sees
// every call the Worker makes, records the credential of each, and answers in the v4 envelope. By default each
// bearer token gets an account of its own (a sandbox seeded with the demo zones), so two callers' calls can be
// told apart by what they change as well as by what they sent.
import { vi } from "vitest";
import { createSandbox, type Sandbox } from "../../src/sandbox/handler.js";

/** Where the Worker under test is told the API lives (https, so any host is accepted; never dialled). */
export const API_BASE = "https://api.cloudflare.test/client/v4";

export interface SeenRequest {
  method: string;
  /** Path below the API base, query included. */
  path: string;
  authorization: string | null;
}

export interface FakeCloudflare {
  readonly base: string;
  readonly requests: SeenRequest[];
  /** The account of one token, created on its first request. */
  account(token: string): Sandbox;
  restore(): void;
}

/** Answers one API request, or passes it on with `undefined`. */
export type FakeRoute = (
  request: Request,
  path: string,
) => Response | undefined | Promise<Response | undefined>;

const envelope = (status: number, result: unknown, errors: { code: number; message: string }[] = []) =>
  Response.json({ success: errors.length === 0, errors, messages: [], result }, { status });

/**
 * Replaces fetch for URLs under `base`; any other URL fails the call, as the network seal would. `routes` are
 * tried first, then the caller's own account. The Worker must look `fetch` up when it calls it (not keep a
 * reference from module load) for the fake to see it.
 */
export function installFakeCloudflare(routes: FakeRoute[] = [], base = API_BASE): FakeCloudflare {
  const requests: SeenRequest[] = [];
  const accounts = new Map<string, Sandbox>();
  const account = (token: string) => {
    let sandbox = accounts.get(token);
    if (!sandbox) {
      sandbox = createSandbox({ token });
      accounts.set(token, sandbox);
    }
    return sandbox;
  };
  const prefix = base.replace(/\/$/, "");
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${prefix}/`)) {
      throw new TypeError(`the fake Cloudflare API serves ${prefix}/ only, not ${request.url}`);
    }
    const path = request.url.slice(prefix.length);
    const authorization = request.headers.get("authorization");
    requests.push({ method: request.method, path, authorization });
    const token = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1];
    if (!token) {
      return envelope(400, null, [
        { code: 9106, message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers" },
      ]);
    }
    for (const route of routes) {
      const answer = await route(request.clone(), path.split("?")[0] ?? path);
      if (answer) return answer;
    }
    return account(token).handle(request);
  });
  return { base: prefix, requests, account, restore: () => spy.mockRestore() };
}

/** A proxy that quotes the request's Authorization header back in its error, for every path under `path`. */
export function echoingAuthorization(path: string): FakeRoute {
  return (request, requestPath) =>
    requestPath.startsWith(path)
      ? envelope(403, null, [
          { code: 10000, message: `Authentication error for ${request.headers.get("authorization")}` },
        ])
      : undefined;
}
