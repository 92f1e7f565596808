// The remote server as a team runs it: the built bundle spawned with --http on a free loopback port, and the
// two clients that reach it over real sockets (the 2025-era SDK client and the modern one pinned to
// 2026-07-28), each sending its own Cloudflare token in Authorization.
import { type ChildProcess, spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernHttpTransport,
} from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult, ElicitRequest, ElicitResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { CLI, type Era, SEAL } from "./spawn.js";

export interface HttpServer {
  /** http://127.0.0.1:<port>/mcp, as the server printed it. */
  url: string;
  /** The origin part of `url`. */
  base: string;
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code (SIGKILL if it has not ended after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

const URL_LINE = /serving MCP over HTTP at (http:\/\/\S+\/mcp)\b/;

/** Spawns `dist/cli.js --http --port 0 …` with only the environment given (plus PATH); resolves once it listens. */
export function startHttpServer(args: string[], env: Record<string, string> = {}): Promise<HttpServer> {
  const child = spawn(process.execPath, ["--import", SEAL, CLI, "--http", "--port", "0", ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the HTTP server did not print its URL within 10 s; stderr:\n${stderr}`));
    }, 10_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const match = URL_LINE.exec(stderr);
      if (match && timer) {
        clearTimeout(timer);
        const url = match[1] as string;
        resolve({
          url,
          base: new URL(url).origin,
          child,
          stderr: () => stderr,
          exited,
          stop: async (graceMs = 12_000) => {
            if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
            child.kill("SIGTERM");
            const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
            const code = await exited;
            clearTimeout(kill);
            if (stdout) throw new Error(`the HTTP server wrote to stdout: ${stdout.slice(0, 200)}`);
            return code;
          },
        });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the HTTP server exited with ${code} before listening; stderr:\n${stderr}`));
    });
  });
}

/** What the tests use of either era's client over HTTP. */
export interface HttpClient {
  era: Era;
  listTools(): Promise<{ tools: Tool[] }>;
  callTool(
    name: string,
    args?: Record<string, unknown>,
    options?: { onprogress?: (progress: unknown) => void; signal?: AbortSignal; timeout?: number },
  ): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** The Cloudflare token sent as `Authorization: Bearer <token>`; none when absent. */
  token?: string;
  headers?: Record<string, string>;
  /** Told of every HTTP answer the client receives (status and headers; the body is left to the client). */
  onResponse?: (response: Response, init: RequestInit | undefined) => void;
  /** Declare elicitation and answer each request with this. */
  elicit?: (params: ElicitRequest["params"]) => ElicitResult | Promise<ElicitResult>;
}

function headersFor(options: HttpClientOptions): Record<string, string> {
  return {
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
}

/** A connected client of the given era: the 2025 SDK client (initialize first) or the modern one (no handshake). */
export async function connectHttp(
  era: Era,
  url: string,
  options: HttpClientOptions = {},
): Promise<HttpClient> {
  const requestInit = { headers: headersFor(options) };
  const watched = async (input: string | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    options.onResponse?.(response, init);
    return response;
  };
  if (era === "2025") {
    const client = new Client(
      { name: "http-2025", version: "1.0.0" },
      { capabilities: options.elicit ? { elicitation: { form: {} } } : {} },
    );
    if (options.elicit) {
      const { ElicitRequestSchema } = await import("@modelcontextprotocol/sdk/types.js");
      const answer = options.elicit;
      client.setRequestHandler(ElicitRequestSchema, (request) => answer(request.params));
    }
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit, fetch: watched }));
    return {
      era,
      listTools: () => client.listTools(),
      callTool: async (name, args = {}, opts = {}) =>
        (await client.callTool({ name, arguments: args }, undefined, opts)) as CallToolResult,
      close: () => client.close(),
    };
  }
  const client = new ModernClient(
    { name: "http-2026", version: "1.0.0" },
    {
      versionNegotiation: { mode: { pin: "2026-07-28" } },
      capabilities: options.elicit ? { elicitation: { form: {} } } : {},
    },
  );
  if (options.elicit) {
    const answer = options.elicit;
    client.setRequestHandler("elicitation/create", (request) =>
      answer(request.params as ElicitRequest["params"]),
    );
  }
  await client.connect(new ModernHttpTransport(new URL(url), { requestInit, fetch: watched }));
  if (client.getProtocolEra() !== "modern")
    throw new Error(`expected the modern era, got ${client.getProtocolEra()}`);
  return {
    era,
    listTools: () => client.listTools() as Promise<{ tools: Tool[] }>,
    callTool: async (name, args = {}, opts = {}) =>
      (await client.callTool({ name, arguments: args }, opts)) as unknown as CallToolResult,
    close: () => client.close(),
  };
}

/** One raw POST to the server, as curl would send it; the body is sent as given when it is a string. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-06-18",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request over a fresh connection with exactly the headers given, Host included (fetch will not send a
 * Host of the caller's choosing), and the body as given: a string, or chunks sent without Content-Length.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | string[] } = {},
): Promise<RawAnswer> {
  const target = new URL(url);
  const chunked = Array.isArray(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: options.method ?? "POST",
        agent: false,
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": "2025-06-18",
          ...(typeof options.body === "string" ? { "content-length": Buffer.byteLength(options.body) } : {}),
          ...options.headers,
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (chunked) for (const chunk of options.body as string[]) req.write(chunk);
    else if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
