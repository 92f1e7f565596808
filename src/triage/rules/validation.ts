// Packs held up by domain validation: a method that cannot work, errors from the CA, records not yet seen,
// and validation that ran out of time.
import { quoteApiText } from "../../lib/text.js";
import type { NextAction } from "../finding.js";
import { apexOf, hostsText } from "../hosts.js";
import {
  hasExpired,
  packEvidence,
  recheck,
  recordsFor,
  validationErrorsOf,
  wildcardOnHttp,
} from "../packs.js";
import { packRule } from "../rule.js";
import type { RawPack } from "../state.js";

/** The domain each CA checks for in a CAA record. */
const CA_DOMAIN: Record<string, string> = {
  google: "pki.goog",
  lets_encrypt: "letsencrypt.org",
  ssl_com: "ssl.com",
};
/** The most validation error messages kept as evidence. */
const MAX_ERRORS = 5;

const hostsOf = (pack: RawPack): string => hostsText(pack.hosts ?? []);
const switchToTxt = (zoneId: string, pack: RawPack) => ({
  tool: "update_ssl_verification_method",
  arguments: { zone_id: zoneId, certificate_pack_id: pack.id, validation_method: "txt" },
});

export const wildcardHttpValidation = packRule({
  codes: ["wildcard_http_validation"],
  about: "A pack that covers a wildcard host but validates over HTTP, which a wildcard cannot pass.",
  applies: (pack, view) => wildcardOnHttp(pack) && !hasExpired(pack, view.now),
  severity: () => "high",
  summary: (_, pack) => `pack for ${hostsOf(pack)} uses HTTP validation, which cannot validate a wildcard`,
  evidence: (_, pack) => packEvidence(pack),
  nextAction: (_, pack, view) => ({
    ...switchToTxt(view.zoneId, pack),
    do: "Then publish the TXT records that get_ssl_verification shows.",
  }),
});

export const validationErrors = packRule({
  codes: ["validation_errors"],
  about: "A pack whose validation Cloudflare reports errors for.",
  applies: (pack, view) => {
    const errors = validationErrorsOf(pack);
    return errors.length > 0 && !hasExpired(pack, view.now) && { errors };
  },
  severity: () => "high",
  summary: ({ errors }, pack) =>
    `validation of ${hostsOf(pack)} failed: ${quoteApiText(errors[0])}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ""}`,
  evidence: ({ errors }, pack) => packEvidence(pack, { validation_errors: errors.slice(0, MAX_ERRORS) }),
  nextAction: ({ errors }, pack, view): NextAction => {
    if (errors.some((m) => /caa/i.test(m))) {
      const ca = CA_DOMAIN[pack.certificate_authority ?? "google"] ?? "pki.goog";
      return {
        publish: [{ type: "CAA", name: apexOf(pack.hosts ?? []), value: `0 issue "${ca}"` }],
        ...recheck(view.zoneId),
      };
    }
    if (pack.validation_method === "http" && errors.some((m) => /http|acme-challenge|404/i.test(m))) {
      return {
        ...switchToTxt(view.zoneId, pack),
        do: "HTTP validation is not reaching Cloudflare; TXT does not depend on the origin.",
      };
    }
    return { do: "Fix what the messages say, then ask for a recheck.", ...recheck(view.zoneId) };
  },
});

export const validationPending = packRule({
  codes: ["validation_pending"],
  about: "A pack waiting for validation, with the records or files to publish.",
  applies: (pack, view) =>
    pack.status === "pending_validation" &&
    validationErrorsOf(pack).length === 0 &&
    !wildcardOnHttp(pack) && { publish: recordsFor(pack, view.state.verifications) },
  severity: () => "medium",
  summary: (_, pack) => `${quoteApiText(pack.type)} pack for ${hostsOf(pack)} waits for domain validation`,
  evidence: (_, pack) => packEvidence(pack),
  nextAction: ({ publish }, _, view): NextAction =>
    publish.length
      ? { publish, ...recheck(view.zoneId) }
      : {
          tool: "get_ssl_verification",
          arguments: { zone_id: view.zoneId },
          do: "Read the records to publish.",
        },
});

export const validationTimedOut = packRule({
  codes: ["validation_timed_out"],
  about: "A pack whose validation timed out, to restart once the records are in place.",
  applies: (pack, view) =>
    pack.status === "validation_timed_out" && { publish: recordsFor(pack, view.state.verifications) },
  severity: () => "high",
  summary: (_, pack) => `validation of ${hostsOf(pack)} timed out; the certificate was not issued`,
  evidence: (_, pack) => packEvidence(pack),
  nextAction: ({ publish }, pack, view) => ({
    ...(publish.length ? { publish } : { do: "Make sure the validation records are published first." }),
    tool: "restart_certificate_pack_validation",
    arguments: { zone_id: view.zoneId, certificate_pack_id: pack.id },
  }),
});
