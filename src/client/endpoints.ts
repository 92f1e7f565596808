// Every Cloudflare API endpoint this server calls, once: the tools name a row, the OAuth sign-in names a row,
// the sandbox keys its handlers by the same names, and the contract test walks the table against the OpenAPI
// extract in contract/. A path template's `{param}`s are listed in `params`, in order; the contract test holds
// the two together.

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface Endpoint {
  method: HttpMethod;
  /** Below the API base (…/client/v4), starting with `/`. */
  path: `/${string}`;
  params: readonly string[];
  /** Set on the rows the SSL/TLS contract extract does not cover, saying whose API they belong to. */
  outsideContract?: string;
}

const ACCOUNTS_API = "Accounts and API tokens API, outside the SSL/TLS extract";

export const ENDPOINTS = {
  listZones: {
    method: "GET",
    path: "/zones",
    params: [],
    outsideContract: "Zones API, outside the SSL/TLS extract",
  },
  verifyUserToken: { method: "GET", path: "/user/tokens/verify", params: [], outsideContract: ACCOUNTS_API },
  listAccounts: { method: "GET", path: "/accounts", params: [], outsideContract: ACCOUNTS_API },
  verifyAccountToken: {
    method: "GET",
    path: "/accounts/{account_id}/tokens/verify",
    params: ["account_id"],
    outsideContract: ACCOUNTS_API,
  },
  listCertificatePacks: {
    method: "GET",
    path: "/zones/{zone_id}/ssl/certificate_packs",
    params: ["zone_id"],
  },
  orderCertificatePack: {
    method: "POST",
    path: "/zones/{zone_id}/ssl/certificate_packs/order",
    params: ["zone_id"],
  },
  getCertificatePackQuota: {
    method: "GET",
    path: "/zones/{zone_id}/ssl/certificate_packs/quota",
    params: ["zone_id"],
  },
  getCertificatePack: {
    method: "GET",
    path: "/zones/{zone_id}/ssl/certificate_packs/{certificate_pack_id}",
    params: ["zone_id", "certificate_pack_id"],
  },
  editCertificatePack: {
    method: "PATCH",
    path: "/zones/{zone_id}/ssl/certificate_packs/{certificate_pack_id}",
    params: ["zone_id", "certificate_pack_id"],
  },
  deleteCertificatePack: {
    method: "DELETE",
    path: "/zones/{zone_id}/ssl/certificate_packs/{certificate_pack_id}",
    params: ["zone_id", "certificate_pack_id"],
  },
  getVerification: { method: "GET", path: "/zones/{zone_id}/ssl/verification", params: ["zone_id"] },
  editVerificationMethod: {
    method: "PATCH",
    path: "/zones/{zone_id}/ssl/verification/{certificate_pack_id}",
    params: ["zone_id", "certificate_pack_id"],
  },
  getUniversalSettings: {
    method: "GET",
    path: "/zones/{zone_id}/ssl/universal/settings",
    params: ["zone_id"],
  },
  editUniversalSettings: {
    method: "PATCH",
    path: "/zones/{zone_id}/ssl/universal/settings",
    params: ["zone_id"],
  },
  getAutomaticMode: {
    method: "GET",
    path: "/zones/{zone_id}/settings/ssl_automatic_mode",
    params: ["zone_id"],
  },
  setAutomaticMode: {
    method: "PATCH",
    path: "/zones/{zone_id}/settings/ssl_automatic_mode",
    params: ["zone_id"],
  },
  getRecommendation: { method: "GET", path: "/zones/{zone_id}/ssl/recommendation", params: ["zone_id"] },
  prioritizeCustomCertificates: {
    method: "PUT",
    path: "/zones/{zone_id}/custom_certificates/prioritize",
    params: ["zone_id"],
  },
  analyzeCertificate: { method: "POST", path: "/zones/{zone_id}/ssl/analyze", params: ["zone_id"] },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;

/** The endpoints a GET reaches: reads change nothing, so a failed one may be sent again. */
export type ReadEndpoint = {
  [K in EndpointName]: (typeof ENDPOINTS)[K]["method"] extends "GET" ? K : never;
}[EndpointName];

/** `METHOD /path/{param}`, as documentation and errors show an endpoint. */
export function describeEndpoint(name: EndpointName): string {
  const { method, path } = ENDPOINTS[name] as Endpoint;
  return `${method} ${path}`;
}
