// What triage is given: the zone's parts as the API returned them, and what the caller asked. Nothing here is
// trusted text: every string in a RawPack or Verification came from the API.

/** A certificate pack as the API returns it, with the fields triage and the pack tools read. */
export interface RawPack {
  id: string;
  type: string;
  status: string;
  hosts?: string[];
  certificates?: { id: string; hosts?: string[]; status?: string; expires_on?: string; priority?: number }[];
  validation_method?: string;
  validity_days?: number;
  certificate_authority?: string;
  validation_errors?: { message?: string }[];
  validation_records?: Record<string, unknown>[];
}

/** One entry of the zone's verification details. */
export interface Verification {
  cert_pack_uuid?: string;
  validation_method?: string;
  verification_info?: { record_name?: string; record_target?: string };
}

export interface TriageState {
  zoneId: string;
  /** The zone's name, when the caller knows it (a fleet lists it): the apex, even with no pack on it. */
  zoneName?: string;
  now: number;
  horizonDays: number;
  hostFilter?: string[];
  packs: RawPack[];
  verifications?: Verification[];
  universal?: { enabled?: boolean };
  automatic?: { value?: string };
  quota?: { advanced?: { allocated?: number; used?: number } };
  /**
   * Parts that could not be read, with why, in the server's own words (the part's name, the HTTP status and
   * the numeric error code): they are written into findings as they are.
   */
  unavailable: string[];
  /** Why the pack list stopped early, in the server's own words. */
  packsTruncated?: string;
}
