// How the Node entry writes an app's answer onto node:http: a JSON answer whole, with its length in bytes
// (not in characters), in one piece, whatever characters it holds.
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendWebResponse } from "../src/entries/node-request.js";

const ANSWERS: Record<string, () => Response> = {
  "/ascii": () => Response.json({ jsonrpc: "2.0", id: 1, result: { text: "plain" } }),
  "/wide": () => Response.json({ jsonrpc: "2.0", id: 2, result: { text: "zone → café, naïve ✓ 𝄞 ü" } }),
};

describe("sendWebResponse", () => {
  const server = createServer((req, res) => {
    const answer = ANSWERS[req.url ?? ""];
    void sendWebResponse(
      res,
      answer ? answer() : new Response(null, { status: 404 }),
      new AbortController().signal,
    );
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (path: string) =>
    new Promise<{ headers: Record<string, unknown>; bytes: Buffer }>((resolve, reject) => {
      request({ host: "127.0.0.1", port, path }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
      })
        .on("error", reject)
        .end();
    });

  it("writes a JSON answer whole, its content-length counting bytes, for any characters", async () => {
    for (const [path, answer] of Object.entries(ANSWERS)) {
      const expected = await answer().text();
      const { headers, bytes } = await get(path);
      expect(headers["transfer-encoding"]).toBeUndefined();
      expect(headers["content-type"]).toMatch(/^application\/json/);
      expect(Number(headers["content-length"])).toBe(Buffer.byteLength(expected));
      expect(bytes.toString("utf8")).toBe(expected);
    }
  });
});
