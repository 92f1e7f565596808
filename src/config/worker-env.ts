// The Worker's vars and secrets, read by the settings table's `worker` column with the conversion and checks
// the Node parser applies to its flags and variables: one name, one default, one grammar for each setting.
import { settingValue } from "./read.js";
import { SETTINGS, type Setting, type SettingName, type SettingValue } from "./settings.js";

/** The settings the Worker reads. */
export type WorkerSettingName = {
  [K in SettingName]: (typeof SETTINGS)[K] extends { worker: string } ? K : never;
}[SettingName];

/** The names of the Worker's vars and secrets. */
export type WorkerVarName = (typeof SETTINGS)[WorkerSettingName]["worker"];

/** The vars and secrets the Worker reads; every one is optional. */
export type WorkerVars = { [N in WorkerVarName]?: string };

/** One setting from the Worker's env: an empty var is unset; a malformed one throws a ConfigError naming it. */
export function workerValue<K extends WorkerSettingName>(
  env: WorkerVars,
  name: K,
): SettingValue<(typeof SETTINGS)[K]> {
  const setting: Setting & { worker: WorkerVarName } = SETTINGS[name];
  const raw = env[setting.worker];
  const given = raw !== undefined && raw.trim() !== "" ? [raw] : [];
  return settingValue(setting, given, setting.worker) as SettingValue<(typeof SETTINGS)[K]>;
}

/** Every setting of the Worker's column, in table order. */
export function workerSettingsOf(): [WorkerSettingName, Setting & { worker: string }][] {
  return (Object.entries(SETTINGS) as [SettingName, Setting][]).filter(
    (entry): entry is [WorkerSettingName, Setting & { worker: string }] => entry[1].worker !== undefined,
  );
}
