// Loaded before every test file (and into every server a test spawns): only loopback may be dialled, so no
// test can reach Cloudflare or anything else, whatever its configuration.
import net from "node:net";

const original = net.Socket.prototype.connect;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

net.Socket.prototype.connect = function sealedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string; port?: number } | number | string | undefined;
  const host =
    typeof first === "object" && first !== null
      ? first.path
        ? "localhost"
        : (first.host ?? "localhost")
      : typeof first === "number"
        ? typeof args[1] === "string"
          ? args[1]
          : "localhost"
        : "localhost";
  if (!LOOPBACK.test(host)) {
    throw new Error(`network sealed in tests: refused to connect to ${host}`);
  }
  return (original as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
