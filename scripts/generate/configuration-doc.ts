// docs/configuration.md: every setting of src/config/settings.ts, as the CLI takes it and as the Worker does.
import { describeSetting, flagUsage, modeNote } from "../../src/config/help.js";
import { COMMANDS, SETTINGS, type Setting } from "../../src/config/settings.js";
import { workerSettingsOf } from "../../src/config/worker-env.js";
import { code, GENERATED_NOTE, table } from "./markdown.js";

export function renderSettingsTable(): string {
  const settings = (Object.values(SETTINGS) as Setting[]).filter((s) => s.flag || s.env);
  return table(
    ["Flag", "Environment variable", "Meaning"],
    [
      ...settings.map((s) => [
        s.flag ? code(flagUsage(s)) : "",
        code(s.env),
        `${describeSetting(s)} ${modeNote(s)}`.trim(),
      ]),
      ...COMMANDS.map((c) => [code(flagUsage(c)), "", `${c.help}.`]),
    ],
  );
}

function defaultOf(setting: Setting): string {
  switch (setting.type) {
    case "boolean":
      return code(String(setting.default ?? false));
    case "integer":
      return code(String(setting.default));
    case "string":
      return setting.default === undefined ? "unset" : code(setting.default);
    case "list":
      return "empty";
  }
}

export function renderWorkerTable(): string {
  return table(
    ["Var", "Kind", "Meaning", "Default", "Node equivalent"],
    workerSettingsOf().map(([, s]) => [
      code(s.worker),
      s.secret ? "secret" : "var",
      `${s.help}.`,
      defaultOf(s),
      s.flag ? code(s.flag) : s.env ? code(s.env) : "Worker only",
    ]),
  );
}

export function renderConfigurationDoc(): string {
  return [
    "# Configuration",
    "",
    GENERATED_NOTE("src/config/settings.ts"),
    "",
    "## Node (stdio and `--http`)",
    "",
    renderSettingsTable(),
    "",
    "A flag wins over its variable. Boolean variables take `true`/`false` (or `1`/`0`, `yes`/`no`, `on`/`off`,",
    "in any case). An unknown flag, a malformed value, or an HTTP-only setting without `--http` stops the server",
    "at start-up with a message on stderr that names the flag or variable and the fix.",
    "",
    "## Cloudflare Workers",
    "",
    "The Worker reads these vars (wrangler.jsonc `vars`, or `wrangler deploy --var`) and secrets",
    "(`npx wrangler secret put <NAME>`) through the same table, with the same defaults, checks and boolean",
    "grammar as the Node server. A malformed value makes every MCP request fail with a message that names the",
    "var and the fix.",
    "",
    renderWorkerTable(),
    "",
    "OAuth also needs a KV namespace bound as `OAUTH_KV` (wrangler.jsonc `kv_namespaces`). For the rest the",
    `Worker uses the Node server's defaults: ${SETTINGS.timeoutMs.default} ms per attempt of a Cloudflare request, and`,
    `${SETTINGS.rateLimit.default} requests per 5 minutes for each caller's token, per isolate.`,
    "",
  ].join("\n");
}
