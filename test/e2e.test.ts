// The whole path as an IDE runs it: the built bundle spawned over stdio, a real MCP client, and either the
// built-in sandbox or a fake the test controls (clock, faults, request log) over loopback HTTP.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TOOLS } from "../src/tools/registry.js";
import { approving } from "./helpers/approve.js";
import { type FakeCloudflare, startFakeCloudflare } from "./helpers/fake-cloudflare.js";
import { addPacks, manualClock, PACK, TOKEN, textOf, ZONE } from "./helpers/harness.js";
import { CLI, ERAS, SEAL, spawnEraServer, spawnServer } from "./helpers/spawn.js";
import { VALID_CALLS } from "./helpers/valid-calls.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
type EraServer = Awaited<ReturnType<typeof spawnEraServer>>;
const structured = <T = Record<string, unknown>>(r: CallToolResult) => r.structuredContent as T;

describe.each(ERAS)("sandbox mode, as a newcomer runs it (%s client)", (era) => {
  let s: EraServer;
  beforeAll(async () => {
    s = await spawnEraServer(era, ["--sandbox"]);
  });
  afterAll(() => s.close());

  it("needs no credentials, says it is the sandbox, and lists the tools", async () => {
    expect(s.client.getInstructions()).toMatch(/SANDBOX MODE/);
    expect(s.client.getServerVersion()).toMatchObject({ name: "cloudflare-ssl-mcp", version: pkg.version });
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
    expect(s.stderr()).toMatch(/sandbox: simulated Cloudflare API at http:\/\/127\.0\.0\.1:\d+/);
  });

  const calls = Object.entries(VALID_CALLS);

  it("has a call for every tool", () => {
    expect(calls.map(([name]) => name).sort()).toEqual(TOOLS.map((t) => t.name).sort());
  });

  it.each(calls)("%s works and is marked as sandbox data", async (name, args) => {
    const result = await approving(
      async (n, a) => (await s.client.callTool({ name: n, arguments: a })) as CallToolResult,
    )(name, args);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toBeDefined();
    expect(textOf(result)).toMatch(/\[sandbox\] Simulated Cloudflare data/);
  });
});

describe.each(ERAS)("against a fake the test controls (%s client)", (era) => {
  const clock = manualClock();
  const STEP = 60_000;
  let fake: FakeCloudflare;
  let s: EraServer;
  const call = approving(
    async (name: string, args: Record<string, unknown>) =>
      (await s.client.callTool({ name, arguments: args })) as CallToolResult,
  );

  beforeAll(async () => {
    fake = await startFakeCloudflare({ token: TOKEN, clock: clock.now, stepMs: STEP });
    s = await spawnEraServer(era, ["--timeout-ms", "1500"], {
      CLOUDFLARE_API_TOKEN: TOKEN,
      CLOUDFLARE_BASE_URL: fake.url,
    });
    await s.client.listTools();
  });
  afterEach(() => fake.clearFaults());
  afterAll(async () => {
    await s.close();
    await fake.close();
  });

  it("order → validation → active", async () => {
    const ordered = structured<{ id: string; status: string; validation_records: unknown[] }>(
      await call("order_certificate_pack", {
        zone_id: ZONE,
        hosts: ["example.com", "life.example.com"],
        validation_method: "txt",
        validity_days: 90,
        certificate_authority: "lets_encrypt",
      }),
    );
    expect(ordered.status).toBe("initializing");
    expect(ordered.validation_records).toHaveLength(2);
    const seen = [ordered.status];
    for (let i = 0; i < 4; i++) {
      clock.advance(STEP);
      seen.push(
        structured<{ status: string }>(
          await call("get_certificate_pack", { zone_id: ZONE, certificate_pack_id: ordered.id }),
        ).status,
      );
    }
    expect(seen).toEqual([
      "initializing",
      "pending_validation",
      "pending_issuance",
      "pending_deployment",
      "active",
    ]);
    const active = structured<{ certificates: { expires_on: string }[]; validation_records?: unknown }>(
      await call("get_certificate_pack", { zone_id: ZONE, certificate_pack_id: ordered.id }),
    );
    expect(active.certificates).toHaveLength(2);
    expect(active.validation_records).toBeUndefined();
    // Clean up so that later flows have quota.
    await call("delete_certificate_pack", { zone_id: ZONE, certificate_pack_id: ordered.id });
  });

  it("validation timed out → restart → active", async () => {
    const early = await call("restart_certificate_pack_validation", {
      zone_id: ZONE,
      certificate_pack_id: PACK.pending,
    });
    expect(early.isError).toBe(true);
    expect(textOf(early)).toMatch(/only be restarted for a pack in validation_timed_out/);
    const restarted = structured<{ status: string }>(
      await call("restart_certificate_pack_validation", {
        zone_id: ZONE,
        certificate_pack_id: PACK.timedOut,
      }),
    );
    expect(restarted.status).toBe("pending_validation");
    clock.advance(3 * STEP);
    expect(
      structured<{ status: string }>(
        await call("get_certificate_pack", { zone_id: ZONE, certificate_pack_id: PACK.timedOut }),
      ).status,
    ).toBe("active");
  });

  it("Universal SSL off → on orders a new Universal certificate", async () => {
    const universalPacks = async () =>
      structured<{ packs: { type: string; status: string }[] }>(
        await call("list_certificate_packs", { zone_id: ZONE, status: "all" }),
      ).packs.filter((p) => p.type === "universal");
    const off = await call("update_universal_ssl_settings", { zone_id: ZONE, enabled: false });
    expect(structured(off)).toEqual({ enabled: false });
    expect(await universalPacks()).toEqual([]);
    await call("update_universal_ssl_settings", { zone_id: ZONE, enabled: true });
    expect((await universalPacks()).map((p) => p.status)).toEqual(["initializing"]);
    clock.advance(4 * STEP);
    expect((await universalPacks()).map((p) => p.status)).toEqual(["active"]);
  });

  it("pagination across pages", async () => {
    const page = async (n: number) =>
      structured<{ packs: { id: string }[]; total_pages: number; total_count: number }>(
        await call("list_certificate_packs", { zone_id: ZONE, status: "all", per_page: 5, page: n }),
      );
    const [one, two, three] = [await page(1), await page(2), await page(3)];
    expect(one.packs).toHaveLength(5);
    expect(one.total_pages).toBe(2);
    expect(two.packs.length).toBe(one.total_count - 5);
    expect(new Set([...one.packs, ...two.packs].map((p) => p.id)).size).toBe(one.total_count);
    expect(three.packs).toEqual([]);
  });

  it.each([
    ["rate_limit", { kind: "rate_limit", retryAfterSeconds: 0 } as const, false],
    ["5xx", { kind: "status", status: 503 } as const, false],
    ["reset", { kind: "reset" } as const, false],
    ["reset mid-body", { kind: "reset_mid_body" } as const, false],
    ["html 502", { kind: "html_502" } as const, false],
    ["truncated JSON", { kind: "truncated_json" } as const, false],
    ["delay past the timeout", { kind: "delay", ms: 2000 } as const, false],
    ["success false", { kind: "success_false" } as const, true],
  ])("a GET survives one %s (retried) or reports it", async (_, fault, reported) => {
    fake.inject({ fault, path: "/quota" });
    const before = fake.log.length;
    const result = await call("get_certificate_pack_quota", { zone_id: ZONE });
    expect(result.isError ?? false).toBe(reported);
    expect(fake.log.length - before).toBe(reported ? 1 : 2);
  });

  it("a persistent fault on an order ends in one POST and an error saying to look first", async () => {
    fake.inject({ fault: { kind: "status", status: 502 }, path: "/order", times: 10 });
    const before = fake.log.length;
    const result = await call("order_certificate_pack", {
      zone_id: ZONE,
      hosts: ["example.com"],
      validation_method: "txt",
      validity_days: 90,
      certificate_authority: "google",
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/list_certificate_packs with status all/);
    expect(fake.log.slice(before).filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("a list that ignores page, followed with all_pages, ends", async () => {
    addPacks(fake, 55, "bulk");
    fake.inject({ fault: { kind: "ignore_page" }, path: "/certificate_packs", times: 50 });
    const result = structured<{ packs: unknown[]; stopped_because: string }>(
      await call("list_certificate_packs", { zone_id: ZONE, all_pages: true }),
    );
    expect(result.stopped_because).toMatch(/repeated/);
    for (let i = 0; i < 55; i++) fake.zones.get(ZONE)?.packs.delete(`bulk${i}`);
  });

  it("a huge answer is refused, not read", async () => {
    fake.inject({ fault: { kind: "huge", bytes: 9 * 1024 * 1024 }, path: "/quota" });
    const result = await call("get_certificate_pack_quota", { zone_id: ZONE });
    expect(textOf(result)).toMatch(/larger than 8388608 bytes/);
  });
});

describe("secrets with debug logging on", () => {
  it("no message and no stderr line carries the token, even when the API echoes it", async () => {
    const fake = await startFakeCloudflare({ token: TOKEN });
    const s = await spawnServer(["--debug"], { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: fake.url });
    const seen: string[] = [];
    const deliver = s.transport.onmessage;
    s.transport.onmessage = (message) => {
      seen.push(JSON.stringify(message));
      deliver?.(message);
    };
    try {
      const echo = JSON.stringify({
        success: false,
        errors: [{ code: 1000, message: `token ${TOKEN}` }],
        messages: [],
        result: null,
      });
      for (const fault of [
        { kind: "status", status: 400, body: echo },
        { kind: "status", status: 503, body: echo },
        { kind: "html_502" },
      ] as const) {
        fake.inject({ fault, times: 10 });
        for (const [name, args] of Object.entries(VALID_CALLS)) {
          await s.client.callTool({ name, arguments: args }, undefined, { onprogress: () => {} });
        }
        fake.clearFaults();
      }
      await s.client.callTool({ name: "triage_certificates", arguments: { zone_id: ZONE } }, undefined, {
        onprogress: () => {},
      });
      expect(s.stderr()).toMatch(/debug: GET \/zones\//);
      expect(seen.length).toBeGreaterThan(50);
      expect(seen.join("\n")).toContain("[redacted]");
      expect(seen.join("\n")).not.toContain(TOKEN);
      expect(s.stderr()).not.toContain(TOKEN);
    } finally {
      await s.close();
      await fake.close();
    }
  });
});

describe("start-up and shutdown", () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ["--import", SEAL, CLI, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      encoding: "utf8",
    });

  it("--help lists every flag and variable; --version prints the version", () => {
    const help = run(["--help"]);
    expect(help.status).toBe(0);
    for (const word of [
      "--sandbox",
      "--read-only",
      "--elicitation-only",
      "--timeout-ms",
      "--rate-limit",
      "--debug",
      "CLOUDFLARE_API_TOKEN",
      "CLOUDFLARE_EMAIL",
      "CLOUDFLARE_API_KEY",
      "CLOUDFLARE_BASE_URL",
    ]) {
      expect(help.stdout).toContain(word);
    }
    expect(run(["--version"]).stdout.trim()).toBe(pkg.version);
  });

  it("an unknown flag or malformed variable stops it with a message on stderr and nothing on stdout", () => {
    const flag = run(["--sandbx"]);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/unknown option --sandbx; see --help/);
    expect(flag.stdout).toBe("");
    const env = run([], { CLOUDFLARE_SSL_MCP_READ_ONLY: "sure" });
    expect(env.status).toBe(2);
    expect(env.stderr).toMatch(/CLOUDFLARE_SSL_MCP_READ_ONLY="sure" is not a boolean/);
  });

  it("starts without credentials, lists its tools, and each call says what to set", async () => {
    const s = await spawnServer([]);
    try {
      expect((await s.client.listTools()).tools).toHaveLength(TOOLS.length);
      const result = (await s.client.callTool({
        name: "get_universal_ssl_settings",
        arguments: { zone_id: ZONE },
      })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/CLOUDFLARE_API_TOKEN/);
      expect(s.stderr()).toMatch(/no CLOUDFLARE_API_TOKEN/);
    } finally {
      await s.close();
    }
  });

  it("--read-only lists only read tools", async () => {
    const s = await spawnServer(["--sandbox", "--read-only"]);
    try {
      const { tools } = await s.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(TOOLS.filter((t) => t.kind === "read").map((t) => t.name));
      expect(tools.every((t) => t.annotations?.readOnlyHint)).toBe(true);
    } finally {
      await s.close();
    }
  });

  it("stdout carries only JSON-RPC, even after malformed input, and the server exits when stdin closes", async () => {
    const child = spawn(process.execPath, ["--import", SEAL, CLI, "--sandbox"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const send = (line: string) => child.stdin.write(`${line}\n`);
    send(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "raw", version: "1" },
        },
      }),
    );
    send("this is not json");
    send(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "no/such/method" }));
    send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    send(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/list" }));
    try {
      await vi.waitFor(() => expect(stdout).toContain('"id":3'), { timeout: 15_000 });
      child.stdin.end();
      // Once stdin closes, the server's own 2 s timer would end a process kept alive by a leak, saying
      // "forced exit": exiting without that line is exiting by itself, on the server's clock.
      expect(await exited).toBe(0);
      expect(stderr).not.toMatch(/forced exit/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    const lines = stdout.trim().split("\n");
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
    const byId = Object.fromEntries(
      lines
        .map((l) => JSON.parse(l))
        .filter((m) => "id" in m)
        .map((m) => [m.id, m]),
    );
    expect(byId[2]?.error?.code).toBe(-32601);
    expect(byId[3]?.result?.tools).toHaveLength(TOOLS.length);
  });

  it("a client that leaves mid-call: the request in flight is aborted and the process ends by itself", async () => {
    const fake = await startFakeCloudflare({ token: TOKEN });
    fake.inject({ fault: { kind: "delay", ms: 10_000 }, path: "/quota" });
    const child = spawn(process.execPath, ["--import", SEAL, CLI, "--debug"], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "", CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: fake.url },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const send = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "get_certificate_pack_quota", arguments: { zone_id: ZONE } },
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      await vi.waitFor(() => expect(fake.log.length).toBeGreaterThan(0), { timeout: 15_000 });
      child.stdin.end();
      // The API holds its answer for 10 s; the server's own forced-exit timer is 2 s and says "forced exit"
      // when it fires. Exiting without that line is leaving the request and ending by itself.
      expect(await exited).toBe(0);
      expect(stderr).toMatch(/shutting down: stdin closed/);
      expect(stderr).not.toMatch(/forced exit/);
      await vi.waitFor(() => expect(fake.log[0]?.abandoned).toBe(true), { timeout: 5000 });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await fake.close();
    }
  });

  it("an oversized message is answered with an error and the server keeps serving", async () => {
    const s = await spawnServer(["--sandbox"]);
    try {
      const huge = await s.client.callTool({
        name: "analyze_certificate",
        arguments: {
          zone_id: ZONE,
          certificate: `-----BEGIN CERTIFICATE-----\n${"A".repeat(4 * 1024 * 1024)}`,
        },
      });
      expect(huge.isError).toBe(true);
      expect(textOf(huge as CallToolResult)).toMatch(/certificate: a PEM chain of at most 64 KiB/);
      expect((await s.client.listTools()).tools).toHaveLength(TOOLS.length);
    } finally {
      await s.close();
    }
  });

  it("SIGTERM ends it cleanly", async () => {
    const child = spawn(process.execPath, ["--import", SEAL, CLI, "--sandbox"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    await new Promise((resolve) => child.stderr.once("data", resolve));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("bin is the single-file bundle, and npx in the project runs it", () => {
    expect(pkg.bin["cloudflare-ssl-mcp"]).toBe("dist/cli.js");
    const bundle = readFileSync(CLI, "utf8");
    expect(bundle.startsWith("#!/usr/bin/env node")).toBe(true);
    // Only Node's own modules are loaded at run time; the SDK, zod and undici are inside the bundle. The bin
    // (CommonJS) requires Node's modules and imports the bundle's main module; the bundle's ES module chunks
    // import Node's modules and each other.
    const required = [...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    for (const name of required) expect(name).toMatch(/^node:/);
    expect(bundle).toMatch(/\bimport\("\.\/chunks\/main-[\w-]+\.mjs"\)/);
    const chunks = readdirSync(new URL("../dist/chunks/", import.meta.url));
    const imports = chunks.flatMap((name) => {
      const code = readFileSync(new URL(`../dist/chunks/${name}`, import.meta.url), "utf8");
      return [
        ...code.matchAll(
          /(?:^|[;\n])\s*import\s*(?:[\w$\s{},*]+?from\s*)?"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/g,
        ),
      ].map((m) => m[1] ?? m[2]);
    });
    expect(imports.length).toBeGreaterThan(0);
    for (const name of imports) expect(name).toMatch(/^(node:|\.\/[\w-]+\.mjs$)/);
    const npx = spawnSync("npx", ["--no-install", "cloudflare-ssl-mcp", "--version"], {
      encoding: "utf8",
      cwd: new URL("..", import.meta.url),
    });
    expect(npx.stdout.trim()).toBe(pkg.version);
  });
});
