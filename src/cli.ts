// The bin. It only turns on Node's compile cache (Node 22.1 and later) before the server's code loads, so a
// second start reads compiled code instead of compiling it again; everything else is in entries/main.ts.
import module from "node:module";

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import("./entries/main.js");
