// workerd reports the pool's own runner socket closing at the end of each test file as "WebSocket peer
// disconnected" (the pool closes the socket and disposes of workerd at once), and the pool prints it on stdout.
// Later releases of @cloudflare/vitest-pool-workers drop exactly this line (workers-sdk pull request 13833), but
// they need a newer wrangler than the one pinned here. Until then this drops that line, and only that line.
const POOL_TEARDOWN =
  /^exception = workerd\/api\/web-socket\.c\+\+:\d+: disconnected: WebSocket peer disconnected\n$/;

export default function setup() {
  const write = process.stdout.write;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    typeof chunk === "string" && POOL_TEARDOWN.test(chunk)
      ? true
      : (write as (...args: unknown[]) => boolean).call(
          process.stdout,
          chunk,
          ...rest,
        )) as typeof process.stdout.write;
  // Not restored at teardown: the pool stops its last runner after the global teardown has run.
}
