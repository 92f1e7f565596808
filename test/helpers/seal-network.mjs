// The same seal for servers that tests spawn (node --import): only loopback may be dialled.
import net from "node:net";

const original = net.Socket.prototype.connect;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
net.Socket.prototype.connect = function sealedConnect(...args) {
  const first = args[0];
  const host =
    typeof first === "object" && first !== null
      ? first.path
        ? "localhost"
        : (first.host ?? "localhost")
      : typeof first === "number" && typeof args[1] === "string"
        ? args[1]
        : "localhost";
  if (!LOOPBACK.test(host)) throw new Error(`network sealed in tests: refused to connect to ${host}`);
  return original.apply(this, args);
};
