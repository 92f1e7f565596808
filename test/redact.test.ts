// The redactor against every disguise a secret can come back in, by example and by generated tokens and
// encodings: whatever the output, the secret cannot be read back from it, and harmless text is left alone.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED, redactorFor, secretsOf } from "../src/core/redact.js";

const SEED = 20261201;
const TOKEN = "Zq3_kP9-vT2xLm8NcR4sWb7YhJ5dGf1aEo6uIi0Q"; // 40 characters, like a Cloudflare API token
const EMAIL = "owner@example.org";
const KEY = "0123456789abcdef0123456789abcdef01234"; // 37 hex characters, like a Global API key

const utf8 = (s: string) => new TextEncoder().encode(s);
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const base64url = (bytes: Uint8Array) => base64(bytes).replace(/\+/g, "-").replace(/\//g, "_");
const hex = (s: string) => [...utf8(s)].map((b) => b.toString(16).padStart(2, "0")).join("");
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** The base64 characters of `blob` that only the secret's bits decide, wherever the secret sits. */
function stableCore(encoded: string, before: number, secretBytes: number): string {
  return encoded.slice(Math.ceil((8 * before) / 6), Math.floor((8 * (before + secretBytes)) / 6));
}

/** Every way a reader could try to get the secret back from the output; the names of those that work. */
function recoveries(output: string, secret: string): string[] {
  const found: string[] = [];
  const lower = (s: string) => s.toLowerCase();
  const squeeze = (s: string) => s.replace(/[\s\u00ad\u200b-\u200d\u2060]+/g, "");
  if (lower(output).includes(lower(secret))) found.push("plain or case-changed");
  if (lower(squeeze(output)).includes(lower(squeeze(secret)))) found.push("whitespace-split");
  if (lower(percentDecode(output)).includes(lower(secret))) found.push("percent-encoded");
  let unescaped = output;
  for (let level = 1; level <= 3; level++) {
    unescaped = jsonUnescape(unescaped);
    if (lower(squeeze(unescaped)).includes(lower(squeeze(secret)))) found.push(`JSON-escaped (${level})`);
  }
  if (htmlUnescape(output).includes(secret)) found.push("HTML-escaped");
  if (lower(squeeze(output)).includes(hex(secret))) found.push("hex");
  if (base64Runs(squeeze(output)).some((bytes) => includesBytes(bytes, utf8(secret)))) found.push("base64");
  return found;
}

function percentDecode(s: string): string {
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) =>
    new TextDecoder().decode(
      new Uint8Array(
        run
          .slice(1)
          .split("%")
          .map((h) => Number.parseInt(h, 16)),
      ),
    ),
  );
}

function jsonUnescape(s: string): string {
  const short: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" };
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) =>
    e.length === 5 ? String.fromCharCode(Number.parseInt(e.slice(1), 16)) : (short[e] ?? e),
  );
}

function htmlUnescape(s: string): string {
  const names: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, e: string) =>
    e.startsWith("#x") || e.startsWith("#X")
      ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
      : e.startsWith("#")
        ? String.fromCodePoint(Number.parseInt(e.slice(1), 10))
        : (names[e.toLowerCase()] ?? whole),
  );
}

/** Each run of base64 characters decoded from each of its 4 possible starting characters. */
function base64Runs(s: string): Uint8Array[] {
  const runs =
    s
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .match(/[A-Za-z0-9+/]{2,}/g) ?? [];
  return runs.flatMap((run) =>
    [0, 1, 2, 3].map((skip) => {
      const usable = run.slice(skip, skip + Math.floor((run.length - skip) / 4) * 4);
      return Uint8Array.from(atob(usable), (c) => c.charCodeAt(0));
    }),
  );
}

function includesBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe("each form of a secret, by example", () => {
  const redact = redactorFor({ token: TOKEN });
  const bytes = utf8(TOKEN);
  const cases: Array<[string, string]> = [
    ["exact", TOKEN],
    ["upper case", TOKEN.toUpperCase()],
    ["lower case", TOKEN.toLowerCase()],
    ["split by spaces", TOKEN.split("").join(" ")],
    ["wrapped in HTML", `${TOKEN.slice(0, 20)}\n      ${TOKEN.slice(20, 33)}\r\n\t${TOKEN.slice(33)}`],
    ["wrapped, then JSON-escaped", JSON.stringify(`${TOKEN.slice(0, 20)}\n  ${TOKEN.slice(20)}`)],
    ["hex", hex(TOKEN)],
    ["HEX", hex(TOKEN).toUpperCase()],
    ["hex dump", hex(TOKEN).replace(/(..)(?!$)/g, "$1 ")],
    ["base64", base64(bytes)],
    ["base64url", base64url(bytes)],
    ["base64 of Bearer <token>", base64(utf8(`Bearer ${TOKEN}`))],
    ["base64 at offset 1", base64(utf8(`x${TOKEN}yz`))],
    ["base64 at offset 2", base64(utf8(`xy${TOKEN}`))],
    ["base64 wrapped at 8 columns", base64(utf8(`{"a":"${TOKEN}"}`)).replace(/(.{8})/g, "$1\r\n")],
  ];
  it.each(cases)("%s", (_, encoded) => {
    const output = redact.text(`Error page: <pre>${encoded}</pre> (ref 1234)`);
    expect(output).toContain(REDACTED);
    expect(output.startsWith("Error page: <pre>")).toBe(true);
    expect(output.endsWith("</pre> (ref 1234)")).toBe(true);
    expect(recoveries(output, TOKEN)).toEqual([]);
  });

  it("email:key in HTTP Basic form, and each half alone", () => {
    const pair = redactorFor({ email: EMAIL, key: KEY });
    const basic = `Authorization: Basic ${base64(utf8(`${EMAIL}:${KEY}`))}`;
    const output = pair.text(`${basic}\nX-Auth-Email: ${EMAIL}\nX-Auth-Key: ${KEY.toUpperCase()}`);
    expect(output).toBe(
      `Authorization: Basic ${REDACTED}\nX-Auth-Email: ${REDACTED}\nX-Auth-Key: ${REDACTED}`,
    );
    expect(secretsOf({ email: EMAIL, key: KEY })).toEqual([KEY, EMAIL, `${EMAIL}:${KEY}`]);
  });

  it("secrets with backslashes, quotes and non-ASCII characters, escaped for JSON, HTML and URLs", () => {
    const secret = 'p\\a"ss/wörd&<😀>';
    const redact = createRedactor([secret]);
    const forms = [
      secret,
      JSON.stringify(secret),
      JSON.stringify(JSON.stringify(secret)),
      JSON.stringify({ nested: JSON.stringify({ deeper: JSON.stringify(secret) }) }),
      secret.replace(/[^\w]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
      encodeURIComponent(secret),
      encodeURIComponent(secret).toLowerCase(),
      secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"),
    ];
    for (const form of forms) {
      const output = redact.text(`before ${form} after`);
      expect(output, form).toContain(REDACTED);
      expect(recoveries(output, secret), form).toEqual([]);
    }
  });

  it("a secret wrapped and JSON-escaped beside literal backslashes loses every character", () => {
    const startsWithN = `n${TOKEN.slice(1)}`;
    const wrapped = (secret: string) => `${secret.slice(0, 20)}\n${secret.slice(20)}`;
    const leading = JSON.stringify(`C:\\${wrapped(startsWithN)} end`);
    expect(createRedactor([startsWithN]).text(leading)).toBe(`"C:\\\\${REDACTED} end"`);
    const endsWithBackslash = `${TOKEN}\\`;
    const trailing = JSON.stringify(`x ${wrapped(endsWithBackslash)}next`);
    expect(createRedactor([endsWithBackslash]).text(trailing)).toBe(`"x ${REDACTED}next"`);
  });

  it("overlapping occurrences leave nothing behind", () => {
    const redact = createRedactor(["abcabc"]);
    expect(redact.text("xx abcabcabc yy")).toBe(`xx ${REDACTED} yy`);
  });
});

describe("harmless text", () => {
  const redactors = [redactorFor({ token: TOKEN }), redactorFor({ email: EMAIL, key: KEY })];
  const corpus = [
    "",
    "ok",
    "true",
    "Bearer",
    REDACTED,
    "The certificate pack 3f2a9c1e-8b7d-4e6f-a5c3-1d2e3f4a5b6c is active on example.com and *.example.com.",
    JSON.stringify({
      success: true,
      errors: [],
      result: { id: "023e105f4ecef8ad9ca31a8372d0c353", hosts: ["a.b"] },
    }),
    "SHA-256 fingerprint: 9F:86:D0:81:88:4C:7D:65:9A:2F:EA:A0:C5:5A:D0:15:A3:BF:4F:1B:2B:0B:82:2C:D1:5D:6C:15",
    "MIIFazCCA1OgAwIBAgIRAIIQz7DSQONZRGPgu2OCiwAwDQYJKoZIhvcNAQELBQAwTzELMAkGA1UEBhMCVVMxKTAnBgNVBAoT",
    "<html><body><h1>502 Bad Gateway</h1><p>cloudflare</p></body></html>",
    "owner@example.com, user@example.org.uk, %20%2F%3A, \\n\\t\\\\, &amp;&lt;&#39;",
    "0123456789abcdef0123456789abcdef0123", // one character short of the key
  ];
  it.each(corpus.map((text) => [text.slice(0, 40), text]))("%s is unchanged", (_, text) => {
    for (const redact of redactors) expect(redact.text(text)).toBe(text);
  });

  it("too-short and empty secrets are ignored instead of redacting common text", () => {
    const redact = createRedactor(["", "ok", "abc", " a b ", "\n\n\n\n\n"]);
    const text = "ok abc a b\n\n\n\n\n is fine";
    expect(redact.text(text)).toBe(text);
    expect(redactorFor(undefined).text(text)).toBe(text);
  });

  it("random text that does not contain a random token comes back unchanged", () => {
    fc.assert(
      fc.property(cloudflareToken, fc.string({ unit: "grapheme", maxLength: 300 }), (token, text) => {
        fc.pre(!text.toLowerCase().includes(token.toLowerCase()));
        expect(createRedactor([token]).text(text)).toBe(text);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

const TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const cloudflareToken = fc.string({ unit: fc.constantFrom(...TOKEN_ALPHABET), minLength: 40, maxLength: 40 });
const printable = fc.constantFrom(
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)),
  "\\",
  '"',
  "é",
  "ü",
  "ß",
  "€",
  "😀",
);
const arbitrarySecret = fc
  .string({ unit: printable, minLength: 8, maxLength: 40 })
  .filter((s) => s.replace(/\s/g, "").length >= 8);
const surroundingText = fc.string({ unit: printable, maxLength: 40 });
const whitespace = fc.constantFrom("", "", " ", "\n", "\r\n", "\t", "  \n    ", "\u00a0", "\u2028");
const bytesAround = fc.uint8Array({ maxLength: 12 });

interface Encoded {
  kind: string;
  text: string;
  /** Distinctive parts of the encoding that must not survive; base64 ones compare case-sensitively. */
  cores: Array<{ text: string; caseSensitive: boolean }>;
}

function encodings(secret: string): fc.Arbitrary<Encoded> {
  const plain = (kind: string, text: string): Encoded => ({
    kind,
    text,
    cores: [{ text, caseSensitive: false }],
  });
  const inBase64 = (kind: string, before: Uint8Array, inner: Uint8Array, after: Uint8Array, url: boolean) => {
    const encode = url ? base64url : base64;
    const encoded = encode(concat(before, inner, after));
    return {
      kind,
      text: encoded,
      cores: [{ text: stableCore(encoded, before.length, inner.length), caseSensitive: true }],
    };
  };
  const bytes = utf8(secret);
  return fc.oneof(
    fc.constant(plain("exact", secret)),
    fc
      .array(fc.boolean(), { minLength: secret.length, maxLength: secret.length })
      .map((flips) =>
        plain(
          "case-flip",
          [...secret].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join(""),
        ),
      ),
    fc.array(whitespace, { minLength: secret.length, maxLength: secret.length }).map((gaps) => ({
      ...plain("whitespace-split", [...secret].map((c, i) => c + gaps[i]).join("")),
      cores: [],
    })),
    fc.array(whitespace, { minLength: secret.length, maxLength: secret.length }).map((gaps) => ({
      ...plain(
        "whitespace-split, then JSON-escaped",
        JSON.stringify([...secret].map((c, i) => c + gaps[i]).join("")),
      ),
      cores: [],
    })),
    fc.constant(plain("hex", hex(secret))),
    fc.constant(plain("HEX", hex(secret).toUpperCase())),
    fc
      .tuple(bytesAround, bytesAround, fc.boolean())
      .map(([before, after, url]) => inBase64(url ? "base64url" : "base64", before, bytes, after, url)),
    fc.tuple(bytesAround, bytesAround).map(([before, after]) => {
      const encoded = inBase64("base64, MIME-wrapped", before, bytes, after, false);
      return { ...encoded, text: encoded.text.replace(/(.{76})/g, "$1\r\n") };
    }),
    fc.boolean().map((url) => inBase64("Bearer base64", utf8("Bearer "), bytes, new Uint8Array(), url)),
    fc.constant({
      ...plain("JSON-escaped", JSON.stringify(secret).slice(1, -1)),
      cores: secret.match(/["\\]/)
        ? [{ text: JSON.stringify(secret).slice(1, -1), caseSensitive: true }]
        : [],
    }),
    fc.constant(plain("JSON-escaped twice", JSON.stringify(JSON.stringify(secret)).slice(1, -1))),
    fc.constant(plain("percent-encoded", encodeURIComponent(secret))),
    fc.constant(
      plain(
        "percent-encoded, lower-case",
        encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
      ),
    ),
  );
}

describe("property: generated tokens in generated encodings cannot be read back", () => {
  const secret = fc.oneof(cloudflareToken, arbitrarySecret);
  const scenario = secret.chain((s) =>
    fc.record({
      secret: fc.constant(s),
      encoded: encodings(s),
      before: surroundingText,
      after: surroundingText,
    }),
  );

  it("neither the secret nor its encoding's distinctive core survives", () => {
    fc.assert(
      fc.property(scenario, ({ secret, encoded, before, after }) => {
        const output = createRedactor([secret]).text(`${before}${encoded.text}${after}`);
        expect(recoveries(output, secret), encoded.kind).toEqual([]);
        for (const core of encoded.cores) {
          const found = core.caseSensitive
            ? output.replace(/\s/g, "").includes(core.text)
            : output.toLowerCase().includes(core.text.toLowerCase());
          expect(found, `${encoded.kind}: ${core.text}`).toBe(false);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("email:key pairs in base64 at any offset, with either half also hidden", () => {
    fc.assert(
      fc.property(
        fc.emailAddress(),
        fc.oneof(cloudflareToken, arbitrarySecret),
        bytesAround,
        bytesAround,
        fc.boolean(),
        (email, key, before, after, url) => {
          const pair = utf8(`${email}:${key}`);
          const encoded = (url ? base64url : base64)(concat(before, pair, after));
          const output = redactorFor({ email, key }).text(`Authorization: Basic ${encoded}`);
          expect(recoveries(output, key)).toEqual([]);
          expect(recoveries(output, email)).toEqual([]);
          expect(recoveries(output, `${email}:${key}`)).toEqual([]);
          expect(output).not.toContain(stableCore(encoded, before.length, pair.length));
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe("values", () => {
  const redact = createRedactor([TOKEN, "a\\b\"c'd"]);

  it("redacts strings and keys at any depth, leaving other values and the input alone", () => {
    const input = {
      note: `echo ${TOKEN}`,
      [TOKEN]: "a key that is a secret",
      list: [1, true, null, { deep: [`x${TOKEN.toUpperCase()}`] }],
      count: 3,
    };
    const copy = structuredClone(input);
    const output = redact.value(input);
    expect(output).toEqual({
      note: `echo ${REDACTED}`,
      [REDACTED]: "a key that is a secret",
      list: [1, true, null, { deep: [`x${REDACTED}`] }],
      count: 3,
    });
    expect(input).toEqual(copy);
  });

  it("redacts a secret with a backslash as a value, where its serialized form would escape it", () => {
    const output = redact.value({ message: "token a\\b\"c'd rejected" });
    expect(output).toEqual({ message: `token ${REDACTED} rejected` });
  });

  it("keeps __proto__ as an own field and copies no inherited or non-enumerable fields", () => {
    const parsed = JSON.parse(`{"__proto__": {"polluted": "${TOKEN}"}, "id": "x"}`);
    const inherited = Object.create({ inheritedField: TOKEN });
    Object.defineProperty(inherited, "hidden", { value: TOKEN, enumerable: false });
    inherited.own = "yes";
    const output = redact.value({ parsed, inherited }) as Record<string, Record<string, unknown>>;
    expect(Object.keys(output.parsed as object)).toEqual(["__proto__", "id"]);
    expect(Object.getOwnPropertyDescriptor(output.parsed, "__proto__")?.value).toEqual({
      polluted: REDACTED,
    });
    expect(Object.getPrototypeOf(output.parsed)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(output.inherited)).toBe('{"own":"yes"}');
  });

  it("two keys that redact alike both survive", () => {
    const output = redact.value({ [TOKEN]: 1, [TOKEN.toLowerCase()]: 2 });
    expect(output).toEqual({ [REDACTED]: 1, [`${REDACTED}#2`]: 2 });
  });

  it("cuts a cycle instead of recursing forever", () => {
    const cyclic: Record<string, unknown> = { name: TOKEN };
    cyclic.self = cyclic;
    expect(redact.value(cyclic)).toEqual({ name: REDACTED, self: REDACTED });
  });
});

describe("a large text", () => {
  // Its speed is a benchmark (npm run bench -- --only redact), not a timed test.
  it("redacts 1 MB of mixed text, every planted secret in every form", () => {
    const redact = redactorFor({ email: EMAIL, key: KEY });
    const filler = '{"id":"023e105f4ecef8ad9ca31a8372d0c353","hosts":["a.example.com"],"status":"active"}\n';
    const planted = [KEY, base64(utf8(`${EMAIL}:${KEY}`)), hex(KEY), EMAIL.toUpperCase()];
    let text = "";
    for (let i = 0; text.length < 1_000_000; i++) text += filler.repeat(500) + planted[i % planted.length];
    const output = redact.text(text);
    expect(recoveries(output, KEY)).toEqual([]);
    expect(recoveries(output, EMAIL)).toEqual([]);
  });
});
