// The SSRF guard in production mode: loopback, private, link-local/metadata addresses and a DNS name
// that resolves to loopback are refused at connect time; an allow-listed host passes; development
// allows everything. A refused delivery is recorded as a failed attempt with the reason.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockedDestinationError, guardedFetch, isBlockedAddress } from "./ssrf";

describe("the SSRF guard", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server?.close());

  it("knows which addresses are not public", () => {
    for (const address of ["127.0.0.1", "10.20.30.40", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1"]) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of ["93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111"]) expect(isBlockedAddress(address), address).toBe(false);
  });

  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: Error) => (error instanceof BlockedDestinationError ? error : error.cause));

  it("refuses 127.0.0.1, 10.x, 169.254.169.254 and a name resolving to loopback in production", async () => {
    const production = guardedFetch({ enforce: true, allowed: [] });
    expect(await refusal(production(`http://127.0.0.1:${port}/hook`))).toBeInstanceOf(BlockedDestinationError);
    expect(await refusal(production("http://10.1.2.3/hook"))).toBeInstanceOf(BlockedDestinationError);
    expect(await refusal(production("http://169.254.169.254/latest/meta-data/"))).toBeInstanceOf(BlockedDestinationError);
    const byName = await refusal(production(`http://localhost:${port}/hook`));
    expect(byName).toBeInstanceOf(BlockedDestinationError);
    expect((byName as Error).message).toMatch(/^Refused: localhost resolves to (127\.0\.0\.1|::1)/);
  });

  it("lets an allow-listed host through, and everything in development", async () => {
    expect((await guardedFetch({ enforce: true, allowed: ["localhost"] })(`http://localhost:${port}/hook`, { method: "POST" })).status).toBe(204);
    expect((await guardedFetch({ enforce: false, allowed: [] })(`http://127.0.0.1:${port}/hook`, { method: "POST" })).status).toBe(204);
  });
});
