import { z } from "zod/v4";
import { PACK_NOT_FOUND } from "./certificate-packs.js";
import { certificatePackId, zoneId } from "./fields.js";
import { asRecord } from "./outputs.js";
import { defineTool } from "./spec.js";

export const verificationTools = [
  defineTool({
    name: "get_ssl_verification",
    title: "Get SSL verification details",
    description:
      "Domain-control validation of the zone's certificates: status, method and the record (name and target) to publish. retry: true asks for a recheck now.",
    kind: "read",
    idempotent: true,
    endpoint: "getVerification",
    effect: "none",
    permission: "SSL and Certificates: Read",
    input: z.strictObject({
      zone_id: zoneId,
      retry: z.boolean().optional().describe("true: recheck validation immediately"),
    }),
    output: z.looseObject({
      verifications: z.array(
        z.looseObject({
          cert_pack_uuid: z.string().optional(),
          certificate_status: z.string(),
          validation_method: z.string().optional(),
          verification_info: z.looseObject({}).optional(),
        }),
      ),
    }),
    // The API takes retry=true only: false or absent sends no retry parameter.
    request: ({ retry }) => ({ query: retry ? { retry: true } : {} }),
    shape: (response) => ({
      verifications: (Array.isArray(response.result) ? response.result : []).map(asRecord),
    }),
  }),
  defineTool({
    name: "update_ssl_verification_method",
    title: "Change validation method",
    description:
      "Change how a pending pack proves domain control, then publish the new record (get_ssl_verification). Sending the current method asks for a recheck. Not for active certificates.",
    kind: "write",
    idempotent: true,
    endpoint: "editVerificationMethod",
    effect: "changes",
    permission: "SSL and Certificates: Edit",
    input: z.strictObject({
      zone_id: zoneId,
      certificate_pack_id: certificatePackId,
      validation_method: z.enum(["http", "cname", "txt", "email"]),
    }),
    output: z.looseObject({ status: z.string().optional(), validation_method: z.string().optional() }),
    hints: { notFound: PACK_NOT_FOUND },
  }),
];
