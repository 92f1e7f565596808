// The bin answers a stdio session's opening before the SDK loads (src/entries/front.ts). Its answers must be
// the SDK's, byte for byte, whatever either side learns later: every scripted session below runs twice, once
// through the bin and once through the bundle's main module alone (the SDK answers everything), and the two
// outputs must be the same lines. Nothing here names what the answers hold, so a new capability, tool or
// protocol version cannot make the two drift without this failing.
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/server";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_ZONE_ID } from "../src/sandbox/state.js";
import { startFakeCloudflare } from "./helpers/fake-cloudflare.js";
import { CLI, SEAL } from "./helpers/spawn.js";

const MODERN = "2026-07-28";
const envelope = (overrides: Record<string, unknown> = {}) => ({
  "io.modelcontextprotocol/protocolVersion": MODERN,
  "io.modelcontextprotocol/clientInfo": { name: "front-test", version: "1.0.0" },
  "io.modelcontextprotocol/clientCapabilities": {},
  ...overrides,
});
const init = (protocolVersion: unknown = "2025-06-18", capabilities: unknown = {}, id: unknown = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion, capabilities, clientInfo: { name: "front-test", version: "1.0.0" } },
});
const initialized = { jsonrpc: "2.0", method: "notifications/initialized" };
const request = (id: unknown, method: string, params?: unknown) => ({
  jsonrpc: "2.0",
  id,
  method,
  ...(params !== undefined && { params }),
});
const modern = (
  id: unknown,
  method: string,
  params: Record<string, unknown> = {},
  meta: object = envelope(),
) => request(id, method, { ...params, _meta: meta });
const findZone = { name: "find_zone", arguments: { name: "example.com" } };
const TOKEN = "front-test-token";
const fake = await startFakeCloudflare({ token: TOKEN });
const PACK = [...(fake.zones.get(DEMO_ZONE_ID)?.packs.values() ?? [])].find((p) => p.type === "advanced")?.id;

/** A message, a raw line (sent as is), or a pause until the answer to an id, or until the SDK has taken over. */
type Step = object | string | { until: string | number } | "handover";
interface Session {
  name: string;
  args?: string[];
  /** Against the fake Cloudflare API, with a token. */
  api?: boolean;
  steps: Step[];
  /** Requests that get no answer from the SDK either; every other request's answer is waited for. */
  unanswered?: (string | number)[];
  /** Text the output holds once the session is over, beyond the answers (a request of the server's). */
  waitFor?: string;
  /** The client closes stdin as soon as it has written everything, without waiting for the answers. */
  closeAtOnce?: boolean;
}

const opening = (version: unknown) => [init(version), initialized, request(2, "tools/list")];
const SESSIONS: Session[] = [
  ...[...SUPPORTED_PROTOCOL_VERSIONS, "1999-01-01", "2099-12-31", "", MODERN].map((version) => ({
    name: `initialize asking for ${JSON.stringify(version)}, then the lists and a ping`,
    steps: [...opening(version), request(3, "prompts/list"), request("p", "ping"), request(4, "ping", {})],
  })),
  { name: "read-only", args: ["--read-only"], steps: [...opening("2025-11-25"), request(3, "prompts/list")] },
  {
    name: "sandbox (the SDK serves it from the start)",
    args: ["--sandbox"],
    steps: [...opening("2025-03-26"), request(3, "prompts/list")],
  },
  { name: "a protocol version that is not a string", steps: opening(20250618) },
  { name: "initialize without params", steps: [request(1, "initialize"), request(2, "tools/list")] },
  {
    name: "initialize without clientInfo",
    steps: [
      request(1, "initialize", { protocolVersion: "2025-06-18", capabilities: {} }),
      request(2, "ping"),
    ],
  },
  {
    name: "capabilities that are not an object",
    steps: [init("2025-06-18", "all"), request(2, "tools/list")],
  },
  {
    name: "capabilities a client sends",
    steps: [
      init("2025-06-18", { roots: { listChanged: true }, sampling: {}, elicitation: { form: {}, url: {} } }),
      request(2, "tools/list"),
    ],
  },
  {
    name: "capabilities of unknown shapes",
    steps: [init("2025-06-18", { experimental: { x: { deep: 1 } }, tasks: {} }), request(2, "tools/list")],
  },
  {
    name: "ids of every kind",
    steps: [
      init("2025-06-18", {}, "x"),
      initialized,
      request(0, "tools/list"),
      request(-7, "ping"),
      request(1.5, "ping"),
      request(null, "ping"),
      request(2 ** 60, "ping"),
    ],
    unanswered: [1.5, 2 ** 60],
  },
  {
    name: "tools/list before initialize",
    steps: [request(1, "tools/list"), init(), request(2, "tools/list")],
  },
  {
    name: "a second initialize",
    steps: [...opening("2025-06-18"), init("2025-11-25", {}, 3), request(4, "tools/list")],
  },
  {
    name: "a list with a cursor",
    steps: [init(), request(2, "tools/list", { cursor: "x" }), request(3, "prompts/list", { cursor: "y" })],
  },
  {
    name: "an unknown method and a notification before initialize",
    steps: [initialized, init(), request(2, "resources/list"), request(3, "nope"), request(4, "tools/list")],
  },
  {
    name: "CRLF, a byte-order mark, blank and broken lines",
    steps: [
      `${JSON.stringify(init())}\r\n`,
      "\n",
      `\ufeff${JSON.stringify(request(2, "ping"))}\n`,
      "{not json\n",
      `${JSON.stringify(request(3, "tools/list"))}\n`,
      `${JSON.stringify({ ...request(4, "ping"), extra: true })}\n`,
    ],
    // The SDK reads neither the line with a byte-order mark nor the message with a key JSON-RPC does not have.
    unanswered: [2, 4],
  },
  {
    name: "a tool call after the opening: the SDK takes over mid-stream",
    steps: [
      ...opening("2025-06-18"),
      request(3, "tools/call", findZone),
      request(4, "tools/list"),
      request(5, "ping"),
    ],
  },
  {
    // Asked to delete, the server asks the user through the client (elicitation) only if the client said it
    // can, in the initialize that the front answered: so the SDK must have read it too.
    name: "the SDK learns the client's capabilities from the opening it did not read",
    api: true,
    steps: [
      init("2025-06-18", { elicitation: { form: {} } }),
      initialized,
      request(2, "tools/list"),
      request(3, "tools/call", {
        name: "delete_certificate_pack",
        arguments: { zone_id: DEMO_ZONE_ID, certificate_pack_id: PACK },
      }),
    ],
    unanswered: [3],
    waitFor: '"method":"elicitation/create"',
  },
  {
    // Longer than the front holds before handing over: the SDK gets the line's first part from the front and
    // the rest from stdin.
    name: "a line longer than the front holds",
    steps: [
      init(),
      request(2, "prompts/get", { name: "triage_zone", arguments: { zone: "z".repeat(400_000) } }),
      request(3, "tools/list"),
    ],
  },
  {
    // What the SDK answers before it sees stdin end, the bin answers too: the call to an unknown prompt is
    // answered at once, without waiting for anything.
    name: "a client that closes stdin as soon as it has written",
    steps: [
      init(),
      initialized,
      request(2, "tools/list"),
      request(3, "prompts/get", { name: "none" }),
      request(4, "ping"),
    ],
    closeAtOnce: true,
  },
  {
    name: "one message at a time, as a client waits for each answer",
    steps: [
      init(),
      { until: 1 },
      initialized,
      request(2, "tools/list"),
      { until: 2 },
      request(3, "prompts/list"),
      { until: 3 },
      request(4, "tools/call", findZone),
    ],
  },
  {
    name: "a call after the SDK took over on its own, once idle",
    steps: [
      init("2024-11-05"),
      initialized,
      request(2, "tools/list"),
      { until: 2 },
      "handover",
      request(3, "tools/call", findZone),
      request(4, "tools/list"),
    ],
  },
  {
    name: "2026-07-28: discover, then the lists",
    steps: [modern(1, "server/discover"), modern(2, "tools/list"), modern(3, "prompts/list")],
  },
  {
    name: "2026-07-28, read-only",
    args: ["--read-only"],
    steps: [modern(1, "server/discover"), modern(2, "tools/list")],
  },
  {
    name: "2026-07-28: the lists without discover",
    steps: [modern(1, "tools/list"), modern(2, "prompts/list"), modern(3, "server/discover")],
  },
  {
    name: "2026-07-28: unsupported, missing and malformed envelopes",
    steps: [
      modern(1, "server/discover", {}, envelope({ "io.modelcontextprotocol/protocolVersion": "2099-01-01" })),
      modern(2, "tools/list", {}, { "io.modelcontextprotocol/protocolVersion": MODERN }),
      modern(3, "tools/list", {}, envelope({ "io.modelcontextprotocol/clientInfo": "me" })),
      modern(4, "tools/list", {}, envelope({ "io.modelcontextprotocol/protocolVersion": 7 })),
      modern(5, "tools/list"),
    ],
  },
  {
    name: "2026-07-28: ping",
    steps: [modern(1, "server/discover"), modern(2, "ping"), modern(3, "tools/list")],
  },
  {
    name: "2026-07-28: discover, then a 2025 initialize",
    steps: [modern(1, "server/discover"), init("2025-06-18", {}, 2), initialized, request(3, "tools/list")],
  },
  {
    name: "2026-07-28: a list, then a 2025 initialize",
    steps: [modern(1, "tools/list"), init("2025-06-18", {}, 2), request(3, "tools/list")],
  },
  {
    name: "2026-07-28: a tool call after discover and the list",
    steps: [
      modern(1, "server/discover"),
      modern(2, "tools/list"),
      modern(3, "tools/call", findZone),
      modern(4, "tools/list"),
    ],
  },
  {
    name: "2026-07-28: a call once the SDK took over on its own",
    steps: [
      modern(1, "server/discover"),
      { until: 1 },
      "handover",
      modern(2, "tools/call", findZone),
      modern(3, "prompts/list"),
    ],
  },
  {
    name: "2025 lists with a 2026-07-28 envelope",
    steps: [init(), modern(2, "tools/list"), request(3, "ping")],
  },
];

/** The bundle's main module, which the bin loads after the opening: run alone, the SDK answers everything. */
const sdkOnly = (() => {
  const main = /import\("\.\/(chunks\/main-[\w-]+\.mjs)"\)/.exec(readFileSync(CLI, "utf8"))?.[1];
  if (!main) throw new Error("dist/cli.js names no chunks/main-*.mjs to load");
  const dir = mkdtempSync(join(tmpdir(), "front-"));
  const script = join(dir, "sdk-only.mjs");
  writeFileSync(
    script,
    `const { main } = await import(${JSON.stringify(new URL(main, `file://${CLI}`).href)});\nawait main();\n`,
  );
  return { script, dir };
})();
afterAll(async () => {
  rmSync(sdkOnly.dir, { recursive: true, force: true });
  await fake.close();
});

const HANDED_OVER = "tools are listed, calls will say what to set";

/** Runs one session; resolves with the lines written to stdout, in the order written. */
async function run(session: Session, entry: string): Promise<string[]> {
  const child: ChildProcess = spawn(process.execPath, ["--import", SEAL, entry, ...(session.args ?? [])], {
    env: {
      PATH: process.env.PATH ?? "",
      ...(session.api && { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: fake.url }),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let changed = () => {};
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
    changed();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
    changed();
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  // Complete lines only: a long answer arrives in pieces.
  const answered = (id: unknown) =>
    out
      .split("\n")
      .slice(0, -1)
      .some((line) => line && !("method" in JSON.parse(line)) && JSON.parse(line).id === id);
  const until = (ready: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (ready()) {
          changed = () => {};
          resolve();
        }
      };
      changed = check;
      child.once("exit", () => reject(new Error(`the server exited: ${err}`)));
      check();
    });
  let chunk = "";
  const flush = () => {
    if (chunk) child.stdin?.write(chunk);
    chunk = "";
  };
  const expected: unknown[] = [];
  for (const step of session.steps) {
    if (step === "handover") {
      flush();
      await until(() => err.includes(HANDED_OVER));
    } else if (typeof step === "string") {
      chunk += step;
      expected.push(...requestIds(step, session));
    } else if ("until" in step) {
      flush();
      await until(() => answered(step.until));
    } else {
      chunk += `${JSON.stringify(step)}\n`;
      const { id, method } = step as { id?: unknown; method?: string };
      if (method && id !== undefined && id !== null && !session.unanswered?.includes(id as number))
        expected.push(id);
    }
  }
  flush();
  // Every answer the SDK gives, then a server request (elicitation) where a session provokes one.
  if (!session.closeAtOnce)
    await until(() => expected.every(answered) && (!session.waitFor || out.includes(session.waitFor)));
  child.stdin?.end();
  await exited;
  return out.split("\n").filter(Boolean);
}

/** The id of the request on a line, unless the session says the SDK leaves it unanswered. */
function requestIds(line: string, session: Session): unknown[] {
  try {
    const { id, method } = JSON.parse(line.replace(/^\ufeff/, ""));
    return method && id !== undefined && id !== null && !session.unanswered?.includes(id) ? [id] : [];
  } catch {
    return [];
  }
}

describe("the bin's opening answers are the SDK's, byte for byte", () => {
  it.each(SESSIONS)("$name", async (session) => {
    const [front, sdk] = await Promise.all([run(session, CLI), run(session, sdkOnly.script)]);
    expect(sdk.length, "the SDK answered").toBeGreaterThan(0);
    // Answers to different requests may come in either order from the SDK (its handlers are async).
    expect([...front].sort()).toEqual([...sdk].sort());
  });
});

describe("the bin before the SDK loads", () => {
  const start = (entry = CLI) => {
    const child = spawn(process.execPath, ["--import", SEAL, entry], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const lines = () =>
      out
        .split("\n")
        .slice(0, -1)
        .filter(Boolean)
        .map((line) => JSON.parse(line));
    const answer = (id: number) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const check = () => {
          const found = lines().find((m) => m.id === id);
          if (found) resolve(found);
        };
        child.stdout.on("data", check);
        child.on("exit", () => reject(new Error(`exited before answering ${id}: ${err}`)));
        check();
      });
    const send = (...messages: object[]) =>
      child.stdin.write(messages.map((m) => `${JSON.stringify(m)}\n`).join(""));
    return { child, send, answer, exited, stderr: () => err };
  };

  it("answers the opening with no bundle beside it to load", async () => {
    // Only the bin: the SDK cannot load, so whatever is answered, the bin answered alone.
    const dir = mkdtempSync(join(tmpdir(), "front-alone-"));
    try {
      copyFileSync(CLI, join(dir, "cli.js"));
      copyFileSync(join(CLI, "..", "package.json"), join(dir, "package.json"));
      const server = start(join(dir, "cli.js"));
      server.send(init(), initialized, request(2, "tools/list"), request(3, "prompts/list"));
      expect(await server.answer(1)).toMatchObject({
        result: { serverInfo: { name: "cloudflare-ssl-mcp" } },
      });
      expect(((await server.answer(2)).result as { tools: unknown[] }).tools.length).toBeGreaterThan(0);
      expect(await server.answer(3)).toHaveProperty("result.prompts");
      // Once idle it loads the SDK, which is not there: that is an error, said on stderr.
      expect(await server.exited).toBe(1);
      expect(server.stderr()).toMatch(/cloudflare-ssl-mcp: .*chunks\/main-/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ends cleanly on SIGTERM", async () => {
    const server = start();
    server.send(init());
    await server.answer(1);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("ends by itself when the client closes stdin", async () => {
    const server = start();
    server.send(init());
    await server.answer(1);
    server.child.stdin.end();
    expect(await server.exited).toBe(0);
  });
});
