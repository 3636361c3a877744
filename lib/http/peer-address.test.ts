// The address a request came from, as route handlers see it: stamped by scripts/next-preload.mjs from
// the socket over whatever the client sent, and trusted only when that preload is loaded.
import { request as httpRequest, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLoopbackAddress, peerAddress } from "./peer-address";

const HEADER_NAME = Symbol.for("tributary.peerAddressHeader");
const global = globalThis as { [HEADER_NAME]?: unknown };

/** An address of this machine that is not loopback, when it has one (a connection to it comes from it). */
const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

describe("the peer address", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    await import("../../scripts/next-preload.mjs");
    // What a route handler gets: a Request with the Node request's headers.
    server = createServer((req, res) => {
      const request = new Request("http://app/", { headers: Object.entries(req.headers).map(([k, v]): [string, string] => [k, String(v)]) });
      res.end(JSON.stringify({ peer: peerAddress(request), forwardedFor: req.headers["x-forwarded-for"] ?? null }));
    });
    await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server?.close(resolve)));

  const get = (host: string, headers: Record<string, string> = {}) =>
    new Promise<{ peer: string | null; forwardedFor: string | null }>((resolve, reject) => {
      httpRequest({ host, port, headers }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve(JSON.parse(body)));
      })
        .on("error", reject)
        .end();
    });

  it("is the socket's address, whatever the client claims", async () => {
    expect(await get("127.0.0.1")).toEqual({ peer: "127.0.0.1", forwardedFor: null });
    expect(await get("127.0.0.1", { "x-tributary-peer-address": "203.0.113.9", "x-forwarded-for": "203.0.113.9" })).toEqual({
      peer: "127.0.0.1",
      forwardedFor: "203.0.113.9",
    });
  });

  it.runIf(external)("from another address, spoofed loopback headers do not make it loopback", async () => {
    const seen = await get(external!, { "x-tributary-peer-address": "127.0.0.1", "x-forwarded-for": "127.0.0.1" });
    // x-forwarded-for is whatever the client sent; the peer address is not.
    expect(seen).toEqual({ peer: external, forwardedFor: "127.0.0.1" });
    expect(isLoopbackAddress(seen.peer!)).toBe(false);
  });

  it("is unknown when the preload is not loaded, whatever the header says", () => {
    const saved = global[HEADER_NAME];
    delete global[HEADER_NAME];
    try {
      expect(peerAddress(new Request("http://app/", { headers: { "x-tributary-peer-address": "127.0.0.1" } }))).toBeNull();
    } finally {
      global[HEADER_NAME] = saved;
    }
  });

  it("recognizes loopback in every form a socket reports it", () => {
    for (const address of ["127.0.0.1", "127.8.9.1", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"]) expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ["192.0.2.2", "::ffff:192.0.2.2", "fd00::2", "128.0.0.1", "0.0.0.0", "::", "", "localhost"])
      expect(isLoopbackAddress(address), address).toBe(false);
  });
});
