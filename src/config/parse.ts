// Command line and environment to an Invocation. Pure: the entry point passes argv and env in. The table
// in settings.ts says what exists; this file holds only the rules that span settings: which mode a setting
// belongs to, which credentials win, and what sandbox and HTTP mode set aside.
import { isLoopbackHost } from "./addresses.js";
import { pickCredentials } from "./credentials.js";
import { ConfigError } from "./error.js";
import { type Env, readSettings } from "./read.js";
import { type Mode, SETTINGS, type Setting, type SettingName } from "./settings.js";
import type { Invocation } from "./types.js";

const RATE_WINDOW_MS = 300_000;

export function parseInvocation(argv: readonly string[], env: Env): Invocation {
  const read = readSettings(argv, env);
  if (read.kind !== "run") return { kind: read.kind };
  const { values, given } = read;
  const mode: Mode = values.http ? "http" : "stdio";

  const notices: string[] = [];
  const setAside: string[] = [];
  for (const [name, source] of Object.entries(given) as [SettingName, string][]) {
    const setting: Setting = SETTINGS[name];
    if (setting.modes.includes(mode)) continue;
    if (mode === "stdio") {
      const fix = source.startsWith("--") ? `drop ${source}` : `unset ${source}`;
      throw new ConfigError(`${source} applies only with --http; add --http to serve HTTP, or ${fix}`);
    }
    setAside.push(source);
  }

  // Checked in every mode, as before HTTP existed; used only where the process itself calls Cloudflare.
  const picked = pickCredentials(
    { token: values.apiToken, email: values.email, key: values.apiKey },
    mode === "stdio" ? notices : [],
  );
  const credentials = mode === "stdio" && !values.sandbox ? picked : undefined;
  if (values.sandbox && (picked || given.baseUrl)) {
    notices.push(
      "sandbox mode: CLOUDFLARE_* credentials and base URL are ignored; nothing reaches Cloudflare",
    );
  } else if (setAside.length > 0) {
    notices.push(
      `HTTP mode: ${setAside.join(", ")} from the environment ${setAside.length === 1 ? "is" : "are"} not used; each request sends its own Cloudflare token as Authorization: Bearer <token>`,
    );
  }

  return {
    kind: "run",
    config: {
      sandbox: values.sandbox,
      readOnly: values.readOnly,
      elicitationOnly: values.elicitationOnly,
      debug: values.debug,
      baseUrl: values.sandbox ? "" : values.baseUrl,
      credentials,
      timeoutMs: values.timeoutMs,
      rateBudget: values.rateLimit === 0 ? null : { requests: values.rateLimit, windowMs: RATE_WINDOW_MS },
      http:
        mode === "http"
          ? {
              host: values.host,
              port: values.port,
              loopback: isLoopbackHost(values.host),
              maxInFlight: values.maxInFlight,
              allowedHosts: values.allowedHosts,
              allowedOrigins: values.allowedOrigins,
            }
          : undefined,
      approvalKey: values.approvalKey,
      notices,
    },
  };
}
