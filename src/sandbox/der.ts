// Reads the few fields the analyze endpoint reports from a PEM certificate, with a small DER reader instead of
// a platform X.509 module (there is none on Workers). Names print as Node's X509Certificate prints them (short
// field names, RFC 2253 escaping), so the sandbox's answers do not depend on where it runs.

export interface CertificateFields {
  /** The DNS names of the subject alternative name extension. */
  hosts: string[];
  signature: string;
  issuer: string;
  subject: string;
  expiresOn: Date;
}

export class CertificateParseError extends Error {}

interface Element {
  tag: number;
  /** Where the contents start and end in the buffer. */
  start: number;
  end: number;
}

function readElement(der: Uint8Array, at: number, limit: number): Element {
  const tag = der[at];
  let lengthByte = der[at + 1];
  if (tag === undefined || lengthByte === undefined || (tag & 0x1f) === 0x1f) {
    throw new CertificateParseError("truncated or unsupported tag");
  }
  let start = at + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new CertificateParseError("unsupported length");
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = der[start + i];
      if (lengthByte === undefined) throw new CertificateParseError("truncated length");
      length = length * 256 + lengthByte;
    }
    start += count;
  }
  const end = start + length;
  if (end > limit) throw new CertificateParseError("element runs past its parent");
  return { tag, start, end };
}

function childrenOf(der: Uint8Array, parent: Element): Element[] {
  const children: Element[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = readElement(der, at, parent.end);
    children.push(child);
    at = child.end;
  }
  return children;
}

function required(element: Element | undefined, tag: number, what: string): Element {
  if (!element || element.tag !== tag) throw new CertificateParseError(`${what} is missing`);
  return element;
}

function oidOf(der: Uint8Array, element: Element): string {
  const arcs: number[] = [];
  let value = 0;
  for (let i = element.start; i < element.end; i++) {
    const byte = der[i] as number;
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length === 0)
        arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join(".");
}

const SIGNATURES: Record<string, string> = {
  "1.2.840.113549.1.1.5": "SHA1WithRSA",
  "1.2.840.113549.1.1.11": "SHA256WithRSA",
  "1.2.840.113549.1.1.12": "SHA384WithRSA",
  "1.2.840.113549.1.1.13": "SHA512WithRSA",
  "1.2.840.10045.4.3.2": "ECDSAWithSHA256",
  "1.2.840.10045.4.3.3": "ECDSAWithSHA384",
  "1.2.840.10045.4.3.4": "ECDSAWithSHA512",
  "1.3.101.112": "Ed25519",
};

const FIELD_NAMES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "street",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.12": "title",
  "2.5.4.13": "description",
  "2.5.4.15": "businessCategory",
  "2.5.4.17": "postalCode",
  "2.5.4.41": "name",
  "2.5.4.42": "GN",
  "2.5.4.43": "initials",
  "2.5.4.44": "generationQualifier",
  "2.5.4.45": "x500UniqueIdentifier",
  "2.5.4.46": "dnQualifier",
  "2.5.4.65": "pseudonym",
  "2.5.4.97": "organizationIdentifier",
  "1.2.840.113549.1.9.1": "emailAddress",
  "0.9.2342.19200300.100.1.1": "UID",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionL",
  "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionST",
  "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionC",
};

const UTF8_STRING = 0x0c;
const UNIVERSAL_STRING = 0x1c;
const BMP_STRING = 0x1e;

function textOf(der: Uint8Array, element: Element): string {
  const bytes = der.subarray(element.start, element.end);
  if (element.tag === UTF8_STRING) return new TextDecoder().decode(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text = "";
  if (element.tag === BMP_STRING) {
    for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode(view.getUint16(i));
  } else if (element.tag === UNIVERSAL_STRING) {
    for (let i = 0; i + 3 < bytes.length; i += 4) text += String.fromCodePoint(view.getUint32(i));
  } else {
    // The other string types are read byte for byte, as OpenSSL prints them.
    for (const byte of bytes) text += String.fromCharCode(byte);
  }
  return text;
}

/** RFC 2253 escaping as OpenSSL applies it: specials, a leading # or space, a trailing space, controls. */
function escapeValue(value: string): string {
  const chars = [...value];
  return chars
    .map((char, i) => {
      if (',+"\\<>;'.includes(char)) return `\\${char}`;
      if ((i === 0 && (char === "#" || char === " ")) || (i === chars.length - 1 && char === " "))
        return `\\${char}`;
      const code = char.charCodeAt(0);
      if (code < 0x20 || code === 0x7f) return `\\${code.toString(16).toUpperCase().padStart(2, "0")}`;
      return char;
    })
    .join("");
}

/** One line per relative name, "FIELD=value", several values of one name joined by " + ". */
function nameOf(der: Uint8Array, name: Element): string {
  return childrenOf(der, name)
    .map((relative) =>
      childrenOf(der, relative)
        .map((pair) => {
          const [type, value] = childrenOf(der, pair);
          const oid = oidOf(der, required(type, 0x06, "an attribute type"));
          if (!value) throw new CertificateParseError("an attribute value is missing");
          return `${FIELD_NAMES[oid] ?? oid}=${escapeValue(textOf(der, value))}`;
        })
        .join(" + "),
    )
    .join("\n");
}

function timeOf(der: Uint8Array, element: Element): Date {
  const text = textOf(der, element);
  const match =
    element.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
  if (!match) throw new CertificateParseError("the validity period is malformed");
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as number[];
  const fullYear = element.tag === 0x17 ? ((year as number) < 50 ? 2000 : 1900) + (year as number) : year;
  return new Date(Date.UTC(fullYear as number, (month as number) - 1, day, hour, minute, second));
}

const SUBJECT_ALT_NAME = "2.5.29.17";
const DNS_NAME = 0x82;

function dnsNamesOf(der: Uint8Array, extensions: Element | undefined): string[] {
  if (!extensions) return [];
  const list = required(childrenOf(der, extensions)[0], 0x30, "the extension list");
  for (const extension of childrenOf(der, list)) {
    const parts = childrenOf(der, extension);
    if (oidOf(der, required(parts[0], 0x06, "an extension id")) !== SUBJECT_ALT_NAME) continue;
    const octets = required(parts[parts.length - 1], 0x04, "the extension value");
    const names = readElement(der, octets.start, octets.end);
    return childrenOf(der, names)
      .filter((general) => general.tag === DNS_NAME)
      .map((general) => textOf(der, general));
  }
  return [];
}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ""));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The first certificate of a PEM text; throws CertificateParseError when it is not one. */
export function readPemCertificate(pem: string): CertificateFields {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!match) throw new CertificateParseError("no PEM certificate block");
  let der: Uint8Array;
  try {
    der = base64Bytes(match[1] as string);
  } catch {
    throw new CertificateParseError("the PEM block is not base64");
  }
  const certificate = required(readElement(der, 0, der.length), 0x30, "the certificate");
  const [tbs, algorithm] = childrenOf(der, certificate);
  const fields = childrenOf(der, required(tbs, 0x30, "the certificate body"));
  // The version is an explicit [0] and may be absent (version 1); everything after it is positional.
  const at = fields[0]?.tag === 0xa0 ? 1 : 0;
  const issuer = required(fields[at + 2], 0x30, "the issuer");
  const validity = childrenOf(der, required(fields[at + 3], 0x30, "the validity period"));
  const subject = required(fields[at + 4], 0x30, "the subject");
  const notAfter = validity[1];
  if (!notAfter || (notAfter.tag !== 0x17 && notAfter.tag !== 0x18))
    throw new CertificateParseError("the expiry is missing");
  const signatureOid = childrenOf(der, required(algorithm, 0x30, "the signature algorithm"))[0];
  return {
    hosts: dnsNamesOf(
      der,
      fields.slice(at + 6).find((field) => field.tag === 0xa3),
    ),
    signature:
      SIGNATURES[oidOf(der, required(signatureOid, 0x06, "the signature algorithm id"))] ?? "unknown",
    issuer: nameOf(der, issuer),
    subject: nameOf(der, subject),
    expiresOn: timeOf(der, notAfter),
  };
}
