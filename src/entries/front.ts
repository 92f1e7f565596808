// The opening of a stdio session, answered before the SDK loads: `initialize`, `notifications/initialized`,
// `ping`, `tools/list` and `prompts/list` in the 2025 eras, `server/discover`, `tools/list` and `prompts/list` in
// the 2026-07-28 era. Loading zod and the SDK is most of a start (BENCHMARKS.md), and a client waits for these
// answers before anything else. The answers are the SDK's, byte for byte (test/front.test.ts compares them);
// whatever the front is not sure it answers exactly as the SDK would, it hands over with everything after it,
// unread, so the SDK answers it.
import { PassThrough, type Readable } from "node:stream";
import type { Advertised } from "../core/advertised.js";

/** What the SDK server needs to take the stream over as if it had read it from the start. */
export interface Handover {
  /**
   * What the SDK reads in place of stdin: first the messages the front answered, so that the SDK server holds
   * the state they set (negotiated version, client capabilities, the era), then every byte from the first
   * message the front did not answer on, as it comes. Requests among the replayed messages carry ids of
   * their own, in `replayed`, whose answers are to be dropped: the client has had them.
   */
  input: Readable;
  replayed: Set<string>;
  /**
   * To call once the SDK reads `input`. Only then may `input` end after stdin did, and a turn of the event
   * loop later, as when the SDK reads stdin itself: what a client wrote before closing stdin is read first.
   */
  reading(): void;
}

export interface FrontOptions {
  /** Called once, when the SDK must take over: for a message the front does not answer, or once idle. */
  onHandover: (handover: Handover) => void;
  /** Quiet time after an answer before handing over anyway, so that the first real call finds the SDK loaded. */
  idleMs: number;
}

// Protocol facts of the SDK's version (test/front.test.ts checks every version it supports answers the same).
const LEGACY_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"];
const MODERN_VERSION = "2026-07-28";
const PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion";
const CLIENT_INFO_KEY = "io.modelcontextprotocol/clientInfo";
const CLIENT_CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities";
const SERVER_INFO_KEY = "io.modelcontextprotocol/serverInfo";
/** A pending line longer than this is left to the SDK, which enforces the size limit. */
const MAX_PENDING_BYTES = 256 * 1024;
/** No client sends ids like these (a NUL starts them), so the answers to the replay are told apart. */
const REPLAY_ID = "\u0000opening-";

type Message = { jsonrpc: "2.0"; id?: string | number; method: string; params?: Record<string, unknown> };

export function serveOpening(
  face: Advertised,
  input: Readable,
  output: { write(text: string): unknown },
  options: FrontOptions,
) {
  let pending: Uint8Array = new Uint8Array(0);
  let era: "legacy" | "modern" | undefined;
  const answered: Message[] = [];
  let done = false;
  let idle: ReturnType<typeof setTimeout> | undefined;

  const handOver = () => {
    if (done) return;
    done = true;
    clearTimeout(idle);
    input.off("data", onData);
    const replayed = new Set<string>();
    const relay = new PassThrough();
    for (const [index, message] of answered.entries()) {
      const id = message.id === undefined ? undefined : `${REPLAY_ID}${index}`;
      if (id) replayed.add(id);
      relay.write(`${JSON.stringify(id ? { ...message, id } : message)}\n`);
    }
    if (pending.length) relay.write(pending);
    input.on("data", (chunk: Uint8Array) => relay.write(chunk));
    input.on("error", (error: Error) => relay.destroy(error));
    let ended = false;
    let reading = false;
    const end = () => setImmediate(() => relay.end());
    input.on("end", () => {
      ended = true;
      if (reading) end();
    });
    options.onHandover({
      input: relay,
      replayed,
      reading: () => {
        reading = true;
        if (ended) end();
      },
    });
  };

  function onData(chunk: Uint8Array) {
    pending = pending.length ? concat(pending, chunk) : chunk;
    let out = "";
    for (let end = pending.indexOf(10); end !== -1; end = pending.indexOf(10)) {
      const reply = answer(pending.subarray(0, end));
      if (reply === undefined) break;
      pending = pending.subarray(end + 1);
      out += reply;
    }
    if (out) output.write(out);
    if (pending.indexOf(10) !== -1 || pending.length > MAX_PENDING_BYTES) return handOver();
    clearTimeout(idle);
    if (answered.length) {
      idle = setTimeout(() => (input.readableEnded ? undefined : handOver()), options.idleMs);
      (idle as { unref?: () => void }).unref?.();
    }
  }

  /** The answer to one line ("" for an accepted notification), or undefined when the SDK must answer it. */
  function answer(bytes: Uint8Array): string | undefined {
    const message = parse(bytes);
    if (!message) return undefined;
    const modern = modernClaim(message.params);
    if (modern === undefined) return undefined;
    const lineEra = modern ? "modern" : "legacy";
    if (era && era !== lineEra) return undefined;
    const result = modern ? modernResult(message) : legacyResult(message);
    if (result === undefined) return undefined;
    era = lineEra;
    answered.push(message);
    if (message.id === undefined) return "";
    return `${JSON.stringify({ result, jsonrpc: "2.0", id: message.id })}\n`;
  }

  function legacyResult(message: Message): object | undefined {
    const { method, params, id } = message;
    if (method === "notifications/initialized") return era && id === undefined && !params ? {} : undefined;
    if (id === undefined) return undefined;
    if (method === "initialize") {
      if (era || !params || !isInitializeParams(params)) return undefined;
      const asked = params.protocolVersion;
      return {
        protocolVersion: LEGACY_VERSIONS.includes(asked) ? asked : LEGACY_VERSIONS[0],
        capabilities: face.capabilities,
        serverInfo: face.serverInfo,
        ...(face.instructions && { instructions: face.instructions }),
      };
    }
    if (!era || (params && Object.keys(params).length > 0)) return undefined;
    if (method === "ping") return {};
    if (method === "tools/list") return { tools: face.tools };
    if (method === "prompts/list") return { prompts: face.prompts };
    return undefined;
  }

  function modernResult(message: Message): object | undefined {
    const { method, params, id } = message;
    if (id === undefined || !params || Object.keys(params).length !== 1) return undefined;
    let result: object;
    if (method === "server/discover")
      result = {
        supportedVersions: [MODERN_VERSION],
        capabilities: face.capabilities,
        ...(face.instructions && { instructions: face.instructions }),
      };
    else if (method === "tools/list") result = { tools: face.tools };
    else if (method === "prompts/list") result = { prompts: face.prompts };
    else return undefined;
    const hint = face.cacheHints[method];
    return {
      ...result,
      resultType: "complete",
      ttlMs: hint?.ttlMs ?? 0,
      cacheScope: hint?.cacheScope ?? "private",
      _meta: { [SERVER_INFO_KEY]: face.serverInfo },
    };
  }

  input.on("data", onData);
  return { handOver };
}

/** Decodes as the SDK does (Buffer#toString): a byte-order mark is kept, so that it fails to parse there too. */
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

function parse(bytes: Uint8Array): Message | undefined {
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(bytes).replace(/\r$/, ""));
  } catch {
    return undefined;
  }
  if (!isObject(value) || !onlyKeys(value, ["jsonrpc", "id", "method", "params"])) return undefined;
  const { jsonrpc, id, method, params } = value;
  if (jsonrpc !== "2.0" || typeof method !== "string") return undefined;
  if (id !== undefined && typeof id !== "string" && !Number.isSafeInteger(id)) return undefined;
  if (params !== undefined && !isObject(params)) return undefined;
  return value as Message;
}

/** true for a valid 2026-07-28 envelope, false for none at all, undefined for anything else. */
function modernClaim(params: Record<string, unknown> | undefined): boolean | undefined {
  const meta = params?._meta;
  if (meta === undefined) return false;
  if (!isObject(meta) || !(PROTOCOL_VERSION_KEY in meta)) return undefined;
  const ok =
    onlyKeys(meta, [PROTOCOL_VERSION_KEY, CLIENT_INFO_KEY, CLIENT_CAPABILITIES_KEY]) &&
    meta[PROTOCOL_VERSION_KEY] === MODERN_VERSION &&
    isClientInfo(meta[CLIENT_INFO_KEY]) &&
    isCapabilities(meta[CLIENT_CAPABILITIES_KEY]);
  return ok ? true : undefined;
}

function isInitializeParams(
  params: Record<string, unknown>,
): params is { protocolVersion: string; capabilities: object; clientInfo: object } {
  return (
    onlyKeys(params, ["protocolVersion", "capabilities", "clientInfo"]) &&
    typeof params.protocolVersion === "string" &&
    isCapabilities(params.capabilities) &&
    isClientInfo(params.clientInfo)
  );
}

function isClientInfo(value: unknown): boolean {
  return (
    isObject(value) &&
    onlyKeys(value, ["name", "version", "title"]) &&
    typeof value.name === "string" &&
    typeof value.version === "string" &&
    (value.title === undefined || typeof value.title === "string")
  );
}

/** Capabilities of the shapes clients send: the known ones, each an object of objects or booleans. */
function isCapabilities(value: unknown): boolean {
  if (!isObject(value) || !onlyKeys(value, ["roots", "sampling", "elicitation", "experimental"]))
    return false;
  return Object.values(value).every(
    (entry) =>
      isObject(entry) &&
      Object.values(entry).every((v) => typeof v === "boolean" || (isObject(v) && !Object.keys(v).length)),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, keys: string[]): boolean {
  return Object.keys(value).every((k) => keys.includes(k));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
