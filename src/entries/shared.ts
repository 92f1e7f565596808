// What both Node entries set up the same way: the one undici pool, the sandbox when asked for, the client
// settings, the rate budgets and the approval signer.

import { RateBudgets } from "../client/rate-limit.js";
import { undiciSender } from "../client/send-undici.js";
import type { Send } from "../client/sender.js";
import type { Config } from "../config/index.js";
import { createApprovalSigner } from "../core/approval.js";
import type { ClientSettings } from "../core/identity.js";
import { NAME, VERSION } from "../version.js";
import type { Logger } from "./log.js";

export const SANDBOX_TOKEN = "sandbox-token";

export interface NodeRuntime {
  client: ClientSettings;
  budgets: RateBudgets;
  approvals: ReturnType<typeof createApprovalSigner>;
  close(): Promise<void>;
}

export async function nodeRuntime(config: Config, log: Logger): Promise<NodeRuntime> {
  const pool = undiciSender({ connectTimeoutMs: Math.min(config.timeoutMs, 10_000) });
  const send: Send = pool.send;
  let baseUrl = config.baseUrl;
  let closeSandbox = async () => {};
  if (config.sandbox) {
    // Loaded only when asked for: a normal start never parses the sandbox.
    const { createSandbox } = await import("../sandbox/handler.js");
    const { startSandboxServer } = await import("../sandbox/node.js");
    const sandbox = createSandbox({ token: SANDBOX_TOKEN });
    const server = await startSandboxServer(sandbox, {});
    baseUrl = server.url;
    closeSandbox = server.close;
    log.info(`sandbox: simulated Cloudflare API at ${server.url}; nothing real is read or changed`);
  }
  return {
    client: {
      baseUrl,
      send,
      timeoutMs: config.timeoutMs,
      userAgent: `${NAME}/${VERSION}`,
      onRequest: config.debug
        ? (method, path, status, ms) => log.debug(`${method} ${path} -> ${status} in ${ms} ms`)
        : undefined,
    },
    budgets: new RateBudgets(config.rateBudget),
    approvals: createApprovalSigner({ key: config.approvalKey }),
    close: async () => {
      await pool.destroy().catch(() => {});
      await closeSandbox().catch(() => {});
    },
  };
}
