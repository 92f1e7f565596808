// Output schemas. They name the fields an agent relies on and stay open (loose, optional) so that every
// answer the official contract allows, including fields added later, passes validation.
import { z } from "zod/v4";

const str = z.string().optional();
const strings = z.array(z.string()).optional();

export const validationRecord = z.looseObject({
  txt_name: str,
  txt_value: str,
  http_url: str,
  http_body: str,
  cname: str,
  cname_target: str,
  emails: strings,
  status: str,
});

export const certificatePack = z.looseObject({
  id: z.string(),
  type: z.string(),
  status: z.string(),
  hosts: strings,
  certificates: z.array(z.looseObject({ id: z.string() })).optional(),
  validation_records: z.array(validationRecord).optional(),
});

export const packSummary = z.looseObject({
  id: z.string(),
  type: z.string(),
  status: z.string(),
  hosts: strings,
  expires_on: str,
});

export const automaticMode = z.looseObject({
  id: str,
  value: z.string().optional(),
  editable: z.boolean().optional(),
  modified_on: str,
  // null is dropped from results (compact), so one type describes every answer clients see.
  next_scheduled_scan: str,
});

/** Drops null, empty arrays and empty objects: they cost a model tokens and say nothing. */
export function compact(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(compact).filter((v) => v !== undefined);
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const c = compact(inner);
      if (c === undefined) continue;
      if (Array.isArray(c) && c.length === 0) continue;
      if (c !== null && typeof c === "object" && !Array.isArray(c) && Object.keys(c).length === 0) continue;
      // Defined, not assigned: an answer's own `__proto__` key stays a field and never becomes a prototype.
      Object.defineProperty(out, key, { value: c, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value === null ? undefined : value;
}

export function asRecord(value: unknown): Record<string, unknown> {
  const c = compact(value);
  return c !== null && typeof c === "object" && !Array.isArray(c) ? (c as Record<string, unknown>) : {};
}
