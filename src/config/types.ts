// What a start-up is asked to do, as the entry points consume it.
import type { Credentials } from "../client/cloudflare.js";
import type { RateBudget } from "../client/rate-limit.js";

export interface Config {
  sandbox: boolean;
  readOnly: boolean;
  elicitationOnly: boolean;
  debug: boolean;
  /** "" in sandbox mode, where the entry point supplies the simulated API's address. */
  baseUrl: string;
  /** From the environment; never set in sandbox or HTTP mode (HTTP requests bring their own token). */
  credentials?: Credentials;
  timeoutMs: number;
  rateBudget: RateBudget | null;
  /** Present when serving Streamable HTTP (--http); absent over stdio. */
  http?: HttpConfig;
  /** Secret that signs approvals (CLOUDFLARE_SSL_MCP_APPROVAL_KEY, 32+ characters). Never print or log it. */
  approvalKey?: string;
  /** Things worth telling the operator on stderr at start-up. */
  notices: string[];
}

export interface HttpConfig {
  /** Address to listen on, as `listen()` takes it (IPv6 without brackets). */
  host: string;
  /** 0 asks the system for any free port. */
  port: number;
  /** Whether `host` is loopback (127.0.0.0/8, ::1, localhost): then only loopback Host names are accepted. */
  loopback: boolean;
  /** Requests served at once; more are answered 503 before their body is read. */
  maxInFlight: number;
  /** Extra Host names to accept, as URL hostnames (lower case, IPv6 in brackets). */
  allowedHosts: string[];
  /** Origins to accept, as browsers send them (scheme://host[:port]); never "null". */
  allowedOrigins: string[];
}

export type Invocation = { kind: "help" } | { kind: "version" } | { kind: "run"; config: Config };
