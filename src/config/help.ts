// `--help`, written from the settings table so that it lists exactly what the parser accepts.
import pkg from "../../package.json" with { type: "json" };
import { COMMANDS, SETTINGS, type Setting } from "./settings.js";

const WIDTH = 110;
const EXAMPLES = [
  [
    "npx -y cloudflare-ssl-mcp --sandbox",
    "Every tool on a simulated zone, example.com: no account, no token, nothing sent.",
  ],
  [
    "CLOUDFLARE_API_TOKEN=<token> npx -y cloudflare-ssl-mcp --read-only",
    "Your zones, with only the tools that change nothing.",
  ],
] as const;
const ALL: readonly Setting[] = Object.values(SETTINGS);

/** A setting's help line with its range, default or example: one sentence, ending in a period. */
export function describeSetting(setting: Setting): string {
  switch (setting.type) {
    case "boolean":
      return `${setting.help}.`;
    case "integer":
      return `${setting.help}; ${setting.min} to ${setting.max} (default ${setting.defaultNote ?? setting.default}).`;
    case "string":
      return setting.default === undefined
        ? `${setting.help}.`
        : `${setting.help} (default ${setting.default}).`;
    case "list":
      return `${setting.help}; e.g. ${setting.example}.`;
  }
}

/** How a setting sits with the two modes, when it does not apply to both; "" when it does. */
export function modeNote(setting: Setting): string {
  if (!setting.modes.includes("http")) return "Not used with --http.";
  if (!setting.modes.includes("stdio")) return "Only with --http.";
  return "";
}

/** `--name <placeholder>` with its short alias first, as a user would type it. */
export function flagUsage(setting: Setting | (typeof COMMANDS)[number]): string {
  const placeholder = "placeholder" in setting && setting.placeholder ? ` ${setting.placeholder}` : "";
  return [setting.short, `${setting.flag}${placeholder}`].filter(Boolean).join(", ");
}

export function renderHelp(): string {
  const withFlag = ALL.filter((s) => s.flag);
  const anyMode = withFlag.filter((s) => s.modes.includes("stdio"));
  const httpOnly = withFlag.filter((s) => !s.modes.includes("stdio"));
  const envOnly = ALL.filter((s) => !s.flag && s.env);
  const flagRow = (s: Setting) => [flagUsage(s), `${describeSetting(s)} Env ${s.env}.`] as const;
  return [
    "cloudflare-ssl-mcp: an MCP server for Cloudflare SSL/TLS certificates, over stdio or Streamable HTTP.",
    "",
    "Usage: cloudflare-ssl-mcp [options]",
    "       cloudflare-ssl-mcp --http [options]",
    "",
    "Options:",
    ...columns([...anyMode.map(flagRow), ...COMMANDS.map((c) => [flagUsage(c), `${c.help}.`] as const)]),
    "",
    "With --http:",
    ...columns(httpOnly.map(flagRow)),
    "",
    "Environment:",
    ...columns(envOnly.map((s) => [s.env as string, `${describeSetting(s)} ${modeNote(s)}`.trim()] as const)),
    "",
    "A flag wins over its variable. Boolean variables take true/false (also 1/0, yes/no, on/off).",
    "Without credentials the server starts and lists its tools; each call then says what to set.",
    "",
    "Examples:",
    ...EXAMPLES.flatMap(([command, what]) => [`  ${command}`, `      ${what}`]),
    "",
    `Docs: ${pkg.homepage}`,
    "      clients, remote HTTP, Workers and OAuth in docs/; every setting in docs/configuration.md",
    "",
  ].join("\n");
}

/** Two columns: the left padded to its widest entry, the right wrapped under itself. */
function columns(rows: readonly (readonly [string, string])[]): string[] {
  const left = Math.max(...rows.map(([l]) => l.length)) + 4;
  return rows.flatMap(([l, r]) => {
    const lines = wrap(r, WIDTH - left);
    return lines.map((line, i) => `${(i === 0 ? `  ${l}` : "").padEnd(left)}${line}`);
  });
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

export const HELP = renderHelp();
