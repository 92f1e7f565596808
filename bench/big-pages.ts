// npm run bench:pages: all_pages over 200 pages of about 2 MB each (10,000 packs with long host lists), from
// a page server generated on the fly, and the peak RSS of the server process that reads them. The listing's
// byte cap must keep that peak under 512 MiB whatever the zone holds.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CLI, connect, memoryOf, round, table } from "./lib.js";

const PAGES = 200;
const PER_PAGE = 50;
const TARGET_PAGE_BYTES = 2 * 1024 * 1024;
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";

const host = (n: number, i: number, h: number) =>
  `h${String(h).padStart(6, "0")}.p${String(n).padStart(3, "0")}x${String(i).padStart(2, "0")}.bench-zone.example.com`;

function page(n: number): string {
  const hostsPerPack = Math.floor(TARGET_PAGE_BYTES / PER_PAGE / (JSON.stringify(host(0, 0, 0)).length + 1));
  const result = Array.from({ length: PER_PAGE }, (_, i) => ({
    id: `p${n}x${i}`,
    type: "advanced",
    status: "active",
    hosts: Array.from({ length: hostsPerPack }, (_, h) => host(n, i, h)),
    certificates: [],
  }));
  return JSON.stringify({
    success: true,
    errors: [],
    messages: [],
    result,
    result_info: {
      page: n,
      per_page: PER_PAGE,
      count: PER_PAGE,
      total_count: PAGES * PER_PAGE,
      total_pages: PAGES,
    },
  });
}

let served = 0;
let bytes = 0;
const pages = createServer((req, res) => {
  const n = Number(new URL(req.url ?? "/", "http://x").searchParams.get("page") ?? "1");
  const body = n <= PAGES ? page(n) : JSON.stringify({ success: true, errors: [], messages: [], result: [] });
  served += 1;
  bytes += body.length;
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
await new Promise<void>((resolve) => pages.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/client/v4`;

const server = await connect(["--rate-limit", "0", "--timeout-ms", "60000"], {
  CLOUDFLARE_API_TOKEN: "bench-token",
  CLOUDFLARE_BASE_URL: url,
});
const started = performance.now();
const result = await server.client
  .callTool(
    { name: "list_certificate_packs", arguments: { zone_id: ZONE, status: "all", all_pages: true } },
    undefined,
    { timeout: 300_000 },
  )
  .catch((error: Error) => {
    console.error(`the server failed after ${served} pages: ${error.message}\n${server.stderr()}`);
    process.exit(1);
  });
const ms = performance.now() - started;
const structured = result.structuredContent as {
  read?: number;
  stopped_because?: string;
  pages_read?: number;
};
const memory = memoryOf(server.pid);
console.log(`## all_pages over ${PAGES} pages of ${round(TARGET_PAGE_BYTES / 2 ** 20, 1)} MiB (${CLI})`);
console.log(
  table([
    ["pages served", "MiB served", "packs kept", "pages read", "ms", "peak RSS MiB", "stopped because"],
    [
      served,
      round(bytes / 2 ** 20, 1),
      structured.read ?? 0,
      structured.pages_read ?? 0,
      Math.round(ms),
      memory.peakMiB,
      structured.stopped_because ?? "-",
    ],
  ]),
);
await server.client.close();
pages.close();
if (memory.peakMiB >= 512) {
  console.error(`peak RSS ${memory.peakMiB} MiB is over the 512 MiB bound`);
  process.exitCode = 1;
}
