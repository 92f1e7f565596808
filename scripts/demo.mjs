// A short agent session against the built-in sandbox, printed as a transcript: the server is started over
// stdio exactly as an IDE starts it, and driven by a real MCP client.
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const dim = (text) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text);

const transport = new StdioClientTransport({
  command: process.execPath,
  args: [CLI, "--sandbox"],
  stderr: "ignore",
});
const client = new Client({ name: "demo", version: "1.0.0" });
const started = performance.now();
await client.connect(transport);
const { tools } = await client.listTools();
const ready = Math.round(performance.now() - started);

function say(title) {
  console.log(`\n${bold(`## ${title}`)}`);
}

async function call(name, args, explain) {
  console.log(`\n${bold("agent →")} ${name}(${dim(JSON.stringify(args))})`);
  const result = await client.callTool({ name, arguments: args });
  const text = result.content.find((c) => c.type === "text")?.text ?? "";
  console.log(`${bold(result.isError ? "server ✗" : "server ←")} ${explain(result, text)}`);
  return result;
}

const server = client.getServerVersion();
say(`Connected to ${server.name} ${server.version} in ${ready} ms (sandbox: a simulated Cloudflare API)`);
console.log(client.getInstructions());

say(`${tools.length} tools`);
for (const tool of tools) {
  const a = tool.annotations ?? {};
  const kind = a.readOnlyHint ? "read" : a.destructiveHint ? "destructive" : "write";
  console.log(`  ${tool.name.padEnd(38)} ${kind}`);
}

say("The user asks: what is wrong with example.com?");
const zoneAnswer = await call(
  "find_zone",
  { name: "example.com" },
  (r) => `zone id ${r.structuredContent.zones[0].id}, plan ${r.structuredContent.zones[0].plan}`,
);
await call("triage_certificates", { zone_id: zoneAnswer.structuredContent.zones[0].id }, (r) =>
  [
    r.structuredContent.summary,
    ...r.structuredContent.findings.map(
      (f) =>
        `   [${f.severity}] ${f.summary}\n      next: ${f.next_action.publish ? `publish ${f.next_action.publish.map((p) => `${p.type} ${p.name ?? p.url}`).join(", ")}; then ` : ""}${f.next_action.tool ? `${f.next_action.tool}(${JSON.stringify(f.next_action.arguments)})` : f.next_action.do}`,
    ),
  ].join("\n"),
);

say("The user asks: and the rest of my zones?");
await call("triage_certificates", {}, (r) => {
  const { totals, zones } = r.structuredContent;
  return [
    `${totals.triaged} zones triaged: ${totals.healthy} healthy, ${totals.with_problems} with problems (the model reads ${r.content[0].text.length} characters; structuredContent has every zone)`,
    ...zones
      .filter((z) => !z.healthy)
      .map((z) => `   [${z.findings[0].severity.padEnd(8)}] ${z.name.padEnd(14)} ${z.findings[0].summary}`),
  ].join("\n");
});

say("What does the zone have?");
await call("list_certificate_packs", { zone_id: ZONE, status: "all" }, (r) =>
  [
    "",
    ...r.structuredContent.packs.map(
      (p) =>
        `   ${p.status.padEnd(22)} ${p.type.padEnd(14)} ${p.hosts.join(", ")}${p.expires_on ? `  (expires ${p.expires_on.slice(0, 10)})` : ""}`,
    ),
  ].join("\n"),
);
await call(
  "get_certificate_pack_quota",
  { zone_id: ZONE },
  (r) => `${r.structuredContent.available} advanced pack(s) can still be ordered`,
);

say("Order a certificate for demo.example.com and show what to publish");
const order = await call(
  "order_certificate_pack",
  {
    zone_id: ZONE,
    hosts: ["example.com", "demo.example.com"],
    validation_method: "txt",
    validity_days: 90,
    certificate_authority: "lets_encrypt",
  },
  (r) =>
    [
      `pack ${r.structuredContent.id} is ${r.structuredContent.status}; publish these TXT records:`,
      ...r.structuredContent.validation_records.map((v) => `   ${v.txt_name}  TXT  "${v.txt_value}"`),
    ].join("\n"),
);
const packId = order.structuredContent.id;

say("Delete it: nothing is sent; the answer is the plan and the value that approves exactly it");
const plan = await call(
  "delete_certificate_pack",
  { zone_id: ZONE, certificate_pack_id: packId },
  (r) =>
    `${r.structuredContent.approval.plan}\n   confirm value (valid 10 minutes, once): ${r.structuredContent.approval.confirm.slice(0, 24)}…`,
);

say("The user approved; the agent calls again with that confirm value");
await call(
  "delete_certificate_pack",
  { zone_id: ZONE, certificate_pack_id: packId, confirm: plan.structuredContent.approval.confirm },
  (r) => `deleted pack ${r.structuredContent.id}`,
);

say("A mistake the server catches before sending anything");
await call(
  "order_certificate_pack",
  {
    zone_id: "example.com",
    hosts: ["*.example.com"],
    validation_method: "http",
    validity_days: 30,
    certificate_authority: "lets_encrypt",
  },
  (_, text) => text,
);

await client.close();
console.log(`\n${dim("Done. Point your MCP client at `node dist/cli.js --sandbox` to try it yourself.")}`);
