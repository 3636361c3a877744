// One API server process for the test that runs three against one database: the public API's
// connection list over node:http, with the process's default (shared) rate limiter. Configured by
// environment (DATABASE_URL, TRIBUTARY_API_RATE_LIMIT); prints "listening <port>" once it serves.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { GET as listConnections } from "@/app/api/v1/connections/route";
import { createDb } from "@/lib/db/client";
import { createSyncEngine, provideEngine } from "@/lib/sync/engine";

const { DATABASE_URL } = process.env;
if (!DATABASE_URL) throw new Error("DATABASE_URL is required");
provideEngine(createSyncEngine({ db: createDb(DATABASE_URL, { max: 5 }) }));

const server = createServer((incoming, outgoing) => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
  void listConnections(new Request(`http://127.0.0.1${incoming.url}`, { headers }))
    .then(async (response) => {
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    })
    .catch((error: unknown) => {
      outgoing.writeHead(500);
      outgoing.end(String(error));
    });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
