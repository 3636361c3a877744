// The webhook sender wakes when events are written (the outbox trigger's NOTIFY, lib/db/listen.ts),
// not at its next poll: with a poll of ten minutes, an event still arrives within seconds. PostgreSQL
// only (the embedded PGlite passes no notifications on; there the poll finds events).
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetSecretKeyCache } from "@/lib/crypto";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { emitEvent } from "@/lib/events/emit";
import { createSyncEngine } from "@/lib/sync/engine";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { startWorker, type Worker } from "./worker";

describe.each(testDatabaseKinds().filter((kind) => kind === "postgresql"))("the webhook sender on %s", (kind) => {
  let database: TestDatabase;
  let receiver: Server;
  let worker: Worker | undefined;
  const arrived = new Map<string, number>();
  const savedKey = process.env.TRIBUTARY_SECRET_KEY;

  beforeAll(async () => {
    process.env.TRIBUTARY_SECRET_KEY = randomBytes(32).toString("base64");
    resetSecretKeyCache();
    database = await createTestDatabase(kind);
    receiver = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        arrived.set(req.headers["webhook-id"] as string, Date.now());
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await worker?.stop();
    receiver?.close();
    await database?.close();
    if (savedKey === undefined) delete process.env.TRIBUTARY_SECRET_KEY;
    else process.env.TRIBUTARY_SECRET_KEY = savedKey;
    resetSecretKeyCache();
  });

  it("sends a new event within seconds when its poll is ten minutes away", async () => {
    const { organization } = await createOrganizationWithOwner(database.db, {
      name: "Wake",
      slug: "wake",
      owner: { email: "w@example.com", name: "W", passwordHash: "x" },
    });
    const scope = { organizationId: organization.id, environment: "sandbox" as const };
    await createEndpoint(database.db, scope, { url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/`, eventTypes: ["ORDER_UPDATED"] });
    worker = startWorker(createSyncEngine({ db: database.db, sandboxUrl: null }), { pollMs: 600_000, deliveryPollMs: 600_000, log: () => undefined });
    // The listener connects in the background: give it a moment, as a running worker has had.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < 3; i++) {
      const written = Date.now();
      const id = await emitEvent(database.db, { ...scope, type: "ORDER_UPDATED", object: "orders", data: { id: String(i) } });
      await expect.poll(() => arrived.has(id), { timeout: 5000, interval: 10 }).toBe(true);
      expect(arrived.get(id)! - written).toBeLessThan(2000);
    }
  }, 30_000);
});
