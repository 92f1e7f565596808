// A Cloudflare API stand-in for tests inside workerd: installed in place of the isolate's fetch, so it sees
// every call the Worker makes, records the credential of each, and answers in the v4 envelope.
import { vi } from "vitest";

export interface SeenRequest {
  method: string;
  /** Path below the API base, query included. */
  path: string;
  authorization: string | null;
}

export interface FakeCloudflare {
  readonly base: string;
  readonly requests: SeenRequest[];
  restore(): void;
}

/** Answers one API request; the default accepts any bearer token and knows only `GET /user/tokens/verify`. */
export type FakeRoute = (
  request: Request,
  path: string,
) => Response | undefined | Promise<Response | undefined>;

const envelope = (status: number, result: unknown, errors: { code: number; message: string }[] = []) =>
  Response.json({ success: errors.length === 0, errors, messages: [], result }, { status });

const verifyRoute: FakeRoute = (request, path) => {
  if (request.method === "GET" && path === "/user/tokens/verify") {
    return envelope(200, { id: "0123456789abcdef0123456789abcdef", status: "active" });
  }
  return undefined;
};

/**
 * Replaces fetch for URLs under `base`; any other URL fails the call, as the network seal would. The Worker
 * must look `fetch` up when it calls it (not keep a reference from module load) for the fake to see it.
 */
export function installFakeCloudflare(base: string, routes: FakeRoute[] = [verifyRoute]): FakeCloudflare {
  const requests: SeenRequest[] = [];
  const prefix = base.replace(/\/$/, "");
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${prefix}/`)) {
      throw new TypeError(`the fake Cloudflare API serves ${prefix}/ only, not ${request.url}`);
    }
    const path = request.url.slice(prefix.length);
    requests.push({ method: request.method, path, authorization: request.headers.get("authorization") });
    if (!request.headers.get("authorization")?.startsWith("Bearer ")) {
      return envelope(400, null, [
        { code: 9106, message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers" },
      ]);
    }
    for (const route of routes) {
      const answer = await route(request, path.split("?")[0] ?? path);
      if (answer) return answer;
    }
    return envelope(404, null, [{ code: 7003, message: `No route for the URI: ${path}` }]);
  });
  return { base: prefix, requests, restore: () => spy.mockRestore() };
}
