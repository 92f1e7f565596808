// docs/configuration.md: every setting of src/config/settings.ts, as the CLI takes it.
import { describeSetting, flagUsage, modeNote } from "../../src/config/help.js";
import { COMMANDS, SETTINGS, type Setting } from "../../src/config/settings.js";
import { code, GENERATED_NOTE, table } from "./markdown.js";

export function renderSettingsTable(): string {
  const settings: readonly Setting[] = Object.values(SETTINGS);
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
  ].join("\n");
}
