import { z } from "zod/v4";
import { zoneId } from "./fields.js";
import { defineTool } from "./spec.js";

export const analyzeTools = [
  defineTool({
    name: "analyze_certificate",
    title: "Analyze certificate",
    description:
      "Check a PEM certificate (with chain) before uploading it: hosts covered, signature algorithm, expiry, and the chain Cloudflare would serve. Changes nothing.",
    // A POST that only reads: nothing is stored, so it is safe to repeat.
    kind: "read",
    idempotent: true,
    endpoint: "analyzeCertificate",
    effect: "none",
    permission: "SSL and Certificates: Read",
    input: z.strictObject({
      zone_id: zoneId,
      certificate: z
        .string()
        .max(65_536, { error: "a PEM chain of at most 64 KiB" })
        .regex(/-----BEGIN CERTIFICATE-----/, {
          error:
            "must be PEM text starting with -----BEGIN CERTIFICATE----- (not a file path or a private key)",
        })
        .describe("PEM certificate, chain may follow"),
      bundle_method: z.enum(["ubiquitous", "optimal", "force"]).optional(),
    }),
    output: z.looseObject({
      hosts: z.array(z.string()).optional(),
      signature: z.string().optional(),
      expires_on: z.string().optional(),
    }),
  }),
];
