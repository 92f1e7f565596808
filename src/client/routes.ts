// The one place a path is built from an endpoint of the table (endpoints.ts). Every path parameter is encoded
// here, so no argument can add `/`, `?`, `#` or `..` to a request.
import { ENDPOINTS, type Endpoint, type EndpointName, type HttpMethod } from "./endpoints.js";

export type { HttpMethod } from "./endpoints.js";

export class RouteParameterMissing extends Error {
  override name = "RouteParameterMissing";
  constructor(readonly parameter: string) {
    super(`${parameter}: required`);
  }
}

/** The method, the expanded path, and the names of the parameters the path used. */
export function expandEndpoint(
  name: EndpointName,
  params: Readonly<Record<string, unknown>>,
): { method: HttpMethod; path: string; used: readonly string[] } {
  const endpoint: Endpoint = ENDPOINTS[name];
  const path = endpoint.path.replace(/\{(\w+)\}/g, (_, parameter: string) => {
    const value = params[parameter];
    if (typeof value !== "string" || value === "") throw new RouteParameterMissing(parameter);
    return encodeURIComponent(value);
  });
  return { method: endpoint.method, path, used: endpoint.params };
}
