// Reads every setting of the table from argv and env: a flag wins over its variable, an empty variable is
// unset, and a malformed value is an error that names where it came from. Knows types, not meanings.
import { BOOLEAN_FIX, parseBoolean } from "./boolean.js";
import { ConfigError } from "./error.js";
import { COMMANDS, SETTINGS, type Setting, type SettingName, type SettingValues } from "./settings.js";
import { suggestionFor } from "./suggest.js";

export type Env = Record<string, string | undefined>;

export interface Read {
  values: SettingValues;
  /** For each setting given on the line or in the environment: the flag or variable it came from. */
  given: Partial<Record<SettingName, string>>;
}

const ENTRIES = Object.entries(SETTINGS) as [SettingName, Setting][];
const BY_FLAG = new Map<string, SettingName>();
for (const [name, setting] of ENTRIES) {
  if (setting.flag) BY_FLAG.set(setting.flag, name);
  if (setting.short) BY_FLAG.set(setting.short, name);
}

/** A command (help, version) if one is on the line, else every setting's value. */
export function readSettings(
  argv: readonly string[],
  env: Env,
): { kind: "help" | "version" } | ({ kind: "run" } & Read) {
  const fromArgv = new Map<SettingName, { flag: string; raw: string[] }>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const command = COMMANDS.find((c) => c.flag === arg || c.short === arg);
    if (command) return { kind: command.kind };
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    const name = BY_FLAG.get(flag);
    // Named without any `=value`: what follows the `=` may be a secret put on the line by mistake.
    if (name === undefined) {
      const hint = suggestionFor(flag);
      throw new ConfigError(`unknown option ${flag}; see --help${hint ? `. ${hint}` : ""}`);
    }
    const setting = SETTINGS[name] as Setting;
    if (setting.type === "boolean") {
      if (inline !== undefined) {
        throw new ConfigError(`${flag} takes no value; write ${flag} alone (or set ${setting.env}=false)`);
      }
      fromArgv.set(name, { flag, raw: ["true"] });
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--"))
      throw new ConfigError(`${flag} needs a value, e.g. ${flag} ${example(setting)}`);
    // A list flag given twice adds to the list; any other flag given twice keeps the last value.
    const earlier = setting.type === "list" ? (fromArgv.get(name)?.raw ?? []) : [];
    fromArgv.set(name, { flag, raw: [...earlier, value] });
  }

  const values: Record<string, unknown> = {};
  const given: Read["given"] = {};
  for (const [name, setting] of ENTRIES) {
    const onLine = fromArgv.get(name);
    const envRaw = setting.env ? env[setting.env] : undefined;
    const fromEnv = envRaw !== undefined && envRaw.trim() !== "" ? envRaw : undefined;
    const source = onLine?.flag ?? (fromEnv !== undefined ? (setting.env as string) : undefined);
    if (source !== undefined) given[name] = source;
    values[name] = settingValue(
      setting,
      onLine?.raw ?? (fromEnv !== undefined ? [fromEnv] : []),
      source ?? "",
    );
  }
  return { kind: "run", values: values as SettingValues, given };
}

/**
 * A setting's value from the texts given for it (the last wins; a list takes them all), or its default when
 * none is: the same conversion and checks in every runtime. `source` names where they came from, for errors.
 */
export function settingValue(setting: Setting, raw: readonly string[], source: string): unknown {
  const text = raw.at(-1);
  switch (setting.type) {
    case "boolean":
      return text === undefined ? (setting.default ?? false) : toBoolean(text, source);
    case "integer":
      return text === undefined ? setting.default : toInteger(text, source, setting);
    case "string": {
      const value = text?.trim();
      if (value === undefined || value === "") return setting.default;
      return setting.check ? setting.check(value, source) : value;
    }
    case "list":
      return raw
        .flatMap((part) => part.split(","))
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "")
        .map((entry) => setting.check(entry, source));
  }
}

function toBoolean(raw: string, source: string): boolean {
  const value = parseBoolean(raw);
  if (value === undefined)
    throw new ConfigError(`${source}=${JSON.stringify(raw)} is not a boolean; ${BOOLEAN_FIX}`);
  return value;
}

function toInteger(raw: string, source: string, { min, max }: { min: number; max: number }): number {
  const value = raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${source}=${JSON.stringify(raw)} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function example(setting: Exclude<Setting, { type: "boolean" }>): string {
  return setting.type === "list" ? setting.example : String(setting.default ?? setting.placeholder);
}
