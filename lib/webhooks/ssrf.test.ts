// The SSRF guard in production mode, against a real HTTP server on 127.0.0.1 (so a destination the
// guard let through would really be reached): every spelling of loopback and of the metadata address
// is refused before a connection is made, including the IPv4-mapped IPv6 forms the URL parser rewrites
// to hex; a name is refused when any address it resolves to is reserved; the allow-list compares
// addresses, not their spelling; development allows everything.
import type { LookupAddress } from "node:dns";
import { createServer, type Server } from "node:http";
import { isIP } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockedDestinationError, destinationProblem, guardedFetch, guardedPost, type ResolveAll } from "./ssrf";
import { LOOPBACK_HOSTS, OTHER_RESERVED_HOSTS, PUBLIC_HOSTS } from "./ssrf.testing";

describe("the SSRF guard", () => {
  let server: Server;
  let port: number;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server?.close());

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: Error) => (error instanceof BlockedDestinationError ? error : error.cause),
    );
  /** A resolver that knows a few names. */
  const resolver =
    (table: Record<string, string[]>): ResolveAll =>
    (hostname, _options, callback) => {
      const addresses = table[hostname];
      if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
      callback(
        null,
        addresses.map((address): LookupAddress => ({ address, family: isIP(address) })),
      );
    };

  it("reaches every spelling of loopback when the guard is off, so the refusals below are real", async () => {
    const development = guardedFetch({ enforce: false, allowed: [] });
    for (const host of LOOPBACK_HOSTS) expect((await development(`http://${host}:${port}/hook`, { method: "POST" })).status, host).toBe(204);
  });

  it("refuses every spelling of loopback, metadata and the other reserved ranges in production, without connecting", async () => {
    const production = guardedFetch({ enforce: true, allowed: [] });
    const before = requests;
    for (const host of [...LOOPBACK_HOSTS, ...OTHER_RESERVED_HOSTS]) {
      const error = await refusal(production(`http://${host}:${port}/hook`, { method: "POST" }));
      expect(error, host).toBeInstanceOf(BlockedDestinationError);
    }
    expect(requests).toBe(before);
    const mapped = (await refusal(production(`http://[::ffff:127.0.0.1]:${port}/hook`))) as Error;
    expect(mapped.message).toBe(
      "Refused: ::ffff:7f00:1 is the IPv4-mapped form (::ffff:0:0/96) of 127.0.0.1, in 127.0.0.0/8 (loopback), which deliveries may not reach (allow it with TRIBUTARY_WEBHOOK_ALLOWED_HOSTS)",
    );
  });

  it("refuses a name that resolves to a reserved address, and one with any reserved address among public ones", async () => {
    const table = {
      localhost: ["127.0.0.1"],
      "mapped.example": ["::ffff:7f00:1"],
      "mixed.example": ["93.184.215.14", "2606:4700::1111", "::ffff:169.254.169.254"],
      "nat64.example": ["64:ff9b::a9fe:a9fe"],
    };
    const production = guardedFetch({ enforce: true, allowed: [] }, resolver(table));
    const before = requests;
    for (const name of Object.keys(table)) expect(await refusal(production(`http://${name}:${port}/hook`)), name).toBeInstanceOf(BlockedDestinationError);
    expect(requests).toBe(before);
    expect(((await refusal(production(`http://mixed.example:${port}/hook`))) as Error).message).toMatch(
      /^Refused: mixed\.example resolves to ::ffff:169\.254\.169\.254, which is the IPv4-mapped form \(::ffff:0:0\/96\) of 169\.254\.169\.254, in 169\.254\.0\.0\/16/,
    );
    // The machine's own resolver too.
    const byName = await refusal(guardedFetch({ enforce: true, allowed: [] })(`http://localhost:${port}/hook`));
    expect(byName).toBeInstanceOf(BlockedDestinationError);
    expect((byName as Error).message).toMatch(/^Refused: localhost resolves to (127\.0\.0\.1|::1)/);
  });

  it("compares the allow-list by address, whatever the spelling on either side", async () => {
    const table = { "receiver.internal": ["127.0.0.1"], "other.internal": ["127.0.0.2"], localhost: ["127.0.0.1"] };
    const allowing = (allowed: string[]) => guardedFetch({ enforce: true, allowed }, resolver(table));
    for (const [allowed, host] of [
      ["::ffff:7f00:1", "127.0.0.1"],
      ["127.0.0.1", "[::ffff:127.0.0.1]"],
      ["[0:0:0:0:0:ffff:127.0.0.1]", "[::ffff:7f00:1]"],
      ["0x7f.1", "receiver.internal"],
      ["RECEIVER.internal.", "receiver.internal"],
      [" localhost ", "localhost"],
    ]) {
      expect((await allowing(allowed.split(","))(`http://${host}:${port}/hook`, { method: "POST" })).status, `${allowed} allows ${host}`).toBe(204);
    }
    // Allowing one address allows that address only (not its /8, not the NAT64 form of it).
    for (const host of ["127.0.0.2", "other.internal", "[64:ff9b::7f00:1]", "[::7f00:1]"]) {
      expect(await refusal(allowing(["127.0.0.1"])(`http://${host}:${port}/hook`)), host).toBeInstanceOf(BlockedDestinationError);
    }
  });

  it("guards the deliveries' POST the same way: literals and names refused without connecting, reached with the guard off", async () => {
    const post = (enforce: boolean, table?: Record<string, string[]>) => {
      const send = guardedPost({ enforce, allowed: [], maxAnswerBytes: 1024 }, table ? resolver(table) : undefined);
      return (url: string) => send(url, { headers: {}, body: "{}", signal: AbortSignal.timeout(5000) });
    };
    for (const host of LOOPBACK_HOSTS) expect((await post(false)(`http://${host}:${port}/hook`)).status, host).toBe(204);
    const table = { "mapped.example": ["::ffff:7f00:1"], "mixed.example": ["93.184.215.14", "::ffff:169.254.169.254"] };
    const before = requests;
    for (const host of [...LOOPBACK_HOSTS, ...OTHER_RESERVED_HOSTS, ...Object.keys(table)]) {
      expect(await refusal(post(true, table)(`http://${host}:${port}/hook`)), host).toBeInstanceOf(BlockedDestinationError);
    }
    expect(requests).toBe(before);
  });

  it("applies the same rule when an endpoint is saved: address literals in any spelling, and localhost names", () => {
    const production = { enforce: true, allowed: [] };
    for (const host of [...LOOPBACK_HOSTS, ...OTHER_RESERVED_HOSTS, "localhost", "api.localhost", "LOCALHOST."]) {
      expect(destinationProblem(`http://${host}:8080/hooks`, production), host).toMatch(/which deliveries may not reach/);
    }
    for (const host of PUBLIC_HOSTS) expect(destinationProblem(`https://${host}/hooks`, production), host).toBeNull();
    expect(destinationProblem("http://[::ffff:127.0.0.1]/hooks", { enforce: true, allowed: ["127.0.0.1"] })).toBeNull();
    expect(destinationProblem("http://127.0.0.1/hooks", { enforce: false, allowed: [] })).toBeNull();
  });
});
