// Input fields shared by many tools. Each error message names the fix, since a model reads it and retries.
import { z } from "zod/v4";

export const zoneId = z.string().regex(/^[0-9a-f]{32}$/, {
  error:
    "must be the zone's id: 32 lowercase hex characters, not its domain name (find_zone turns a name into an id)",
});

// Letters, digits and dashes only: an id can never add `/`, `?`, `#` or `..` to a path.
const safeId = (what: string, max: number, source: string) =>
  z.string().regex(new RegExp(`^[A-Za-z0-9-]{1,${max}}$`), {
    error: `must be a ${what} id: 1 to ${max} letters, digits or dashes, as returned by ${source}`,
  });

export const certificatePackId = safeId("certificate pack", 64, "list_certificate_packs").describe(
  "Certificate pack id, from list_certificate_packs",
);

export const customCertificateId = safeId(
  "custom certificate",
  32,
  "list_certificate_packs with status all (certificates of sni_custom and legacy_custom packs)",
);

const HOSTNAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, { error: "a hostname has at most 253 characters" })
  // A refinement, not a pattern: the check stays in the server and the regex stays out of every model's context.
  .refine((host) => HOSTNAME.test(host), {
    error: "must be a hostname such as example.com or *.example.com",
  });

const VALIDITY_DAYS = [14, 30, 90, 365];

// An integer checked here rather than a numeric enum, which several clients' schema subsets reject.
export const validityDays = z
  .int()
  .min(14, { error: "must be 14, 30, 90 or 365 (days)" })
  .max(365, { error: "must be 14, 30, 90 or 365 (days)" })
  .refine((days) => VALIDITY_DAYS.includes(days), { error: "must be 14, 30, 90 or 365 (days)" })
  .describe("Days: 14, 30, 90 or 365");

export const confirm = z
  .string()
  .min(1)
  .max(2048)
  .optional()
  .describe("The confirm value of the plan the user approved; omit it to get the plan");
