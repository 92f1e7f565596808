// The Node sender's pool against a real local server: calls in flight at once go upstream at once, each on a
// connection of its own, rather than waiting in the pool's queue.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { undiciSender } from "../src/client/send-undici.js";

describe("the undici sender", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** A server that answers nothing until `count` requests are open at once, then answers them all. */
  async function answersOnlyAt(count: number) {
    const held: ServerResponse[] = [];
    const sockets = new Set<unknown>();
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      sockets.add(req.socket);
      held.push(res);
      if (held.length === count) for (const r of held.splice(0)) r.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, sockets };
  }

  it("sends 64 requests in flight at once, on 64 connections, by default", async () => {
    const upstream = await answersOnlyAt(64);
    const sender = undiciSender();
    cleanups.push(() => sender.destroy());
    const answers = await Promise.all(
      Array.from({ length: 64 }, () =>
        sender.send({ method: "GET", url: upstream.url, headers: {}, signal: new AbortController().signal }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      for await (const _ of answer.body) {
        // read to the end, so the connection goes back to the pool
      }
    }
    expect(upstream.sockets.size).toBe(64);
  });
});
