// Logs go to stderr: stdout carries the protocol and nothing else.
export interface Logger {
  info(message: string): void;
  debug(message: string): void;
}

export function stderrLogger(options: { debug: boolean; redact: (text: string) => string }): Logger {
  const write = (level: string, message: string) =>
    process.stderr.write(`cloudflare-ssl-mcp ${level}: ${options.redact(message)}\n`);
  return {
    info: (message) => write("info", message),
    debug: (message) => {
      if (options.debug) write("debug", message);
    },
  };
}
