// The configuration's public face: parse argv and env, print help, and the types the entry points read.
export { isLoopbackHost } from "./addresses.js";
export { DEFAULT_BASE_URL } from "./base-url.js";
export { parseBoolean } from "./boolean.js";
export { ConfigError } from "./error.js";
export { describeSetting, HELP, renderHelp } from "./help.js";
export { parseInvocation } from "./parse.js";
export { COMMANDS, type Mode, SETTINGS, type Setting } from "./settings.js";
export type { Config, HttpConfig, Invocation } from "./types.js";
