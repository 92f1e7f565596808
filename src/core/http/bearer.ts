// The one reader of `Authorization: Bearer <token>`, for every route and every runtime. The scheme is case
// blind and may be followed by spaces or tabs (RFC 9110 §11.4); the token is 8 to 512 visible ASCII
// characters, which every Cloudflare API token and every OAuth access token of this server is.
const BEARER = /^Bearer[ \t]+([\x21-\x7e]{8,512})$/i;

/** The bearer token the header carries, or undefined when it is missing or not of that shape. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  return BEARER.exec(authorization?.trim() ?? "")?.[1];
}
