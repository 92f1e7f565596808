// A route is data: `METHOD /path/{param}`. This is the one place a path is built, and every path parameter
// is encoded here, so no argument can add `/`, `?`, `#` or `..` to a request.

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
export type Route = `${HttpMethod} /${string}`;
export type ReadRoute = `GET /${string}`;

export class RouteParameterMissing extends Error {
  override name = "RouteParameterMissing";
  constructor(readonly parameter: string) {
    super(`${parameter}: required`);
  }
}

/** The method, the expanded path, and the names of the parameters the path used. */
export function expandRoute(
  route: Route,
  params: Readonly<Record<string, unknown>>,
): { method: HttpMethod; path: string; used: string[] } {
  const space = route.indexOf(" ");
  const method = route.slice(0, space) as HttpMethod;
  const used: string[] = [];
  const path = route.slice(space + 1).replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== "string" || value === "") throw new RouteParameterMissing(name);
    used.push(name);
    return encodeURIComponent(value);
  });
  return { method, path, used };
}

/** The parameter names a route's path needs. */
export function routeParameters(route: Route): string[] {
  return [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
}
