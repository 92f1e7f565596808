// The floor the HTTP server is measured against: a bare node:http server that does what a tools/call of
// get_universal_ssl_settings must do at the least (read the JSON-RPC body, make the same upstream request
// with the caller's bearer through undici, answer a JSON-RPC result) and nothing else.
// Usage: node bench/bare-http.mjs <fake base URL> <zone id>; prints its URL on stderr once it listens.
import { createServer } from "node:http";
import { Agent, request } from "undici";

const [base, zone] = process.argv.slice(2);
const upstream = `${base}/zones/${zone}/ssl/universal/settings`;
const agent = new Agent({ keepAliveTimeout: 30_000 });

const server = createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", async () => {
    try {
      const message = JSON.parse(body);
      const answer = await request(upstream, {
        dispatcher: agent,
        headers: { authorization: req.headers.authorization ?? "", accept: "application/json" },
      });
      const envelope = await answer.body.json();
      const text = JSON.stringify(envelope.result);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          jsonrpc: "2.0",
          id: message.id,
          result: { content: [{ type: "text", text }], structuredContent: envelope.result },
        }),
      );
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stderr.write(`bare server at http://127.0.0.1:${server.address().port}/mcp\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
