// The one failure parsing can end in: a start-up error whose message names the flag or variable and the fix.
export class ConfigError extends Error {
  override name = "ConfigError";
}
