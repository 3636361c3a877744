// LISTEN for the webhook sender: the outbox trigger notifies at commit when events still to be fanned
// out are written (and not for events written already fanned out, nor for a rolled-back insert), and a
// listener whose connection is cut reconnects and hears later notifications. PostgreSQL only: the
// embedded PGlite's socket server shares one session among its connections and does not pass
// notifications on (there the sender's poll finds new events, as it always did).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { emitEvent, eventSql } from "@/lib/events/emit";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "./testing";
import { listen, type Listener } from "./listen";

const CHANNEL = "tributary_events";

describe.each(testDatabaseKinds().filter((kind) => kind === "postgresql"))("LISTEN %s", (kind) => {
  let database: TestDatabase;
  let organizationId: string;
  let listener: Listener;
  let heard = 0;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    organizationId = (
      await createOrganizationWithOwner(database.db, { name: "Listen", slug: "listen", owner: { email: "l@example.com", name: "L", passwordHash: "x" } })
    ).organization.id;
    listener = listen(
      database.db,
      CHANNEL,
      () => heard++,
      () => undefined,
    );
    await listener.ready;
  });
  afterAll(async () => {
    await listener?.stop();
    await database?.close();
  });

  const event = (type = "ORDER_UPDATED") => ({ organizationId, environment: "sandbox" as const, type, object: "orders", data: { id: "1" } });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it("hears an event written to the outbox once its transaction commits, once for many", async () => {
    heard = 0;
    await emitEvent(database.db, event());
    await expect.poll(() => heard, { timeout: 5000, interval: 20 }).toBe(1);
    await database.db.$transaction(async (tx) => {
      for (let i = 0; i < 5; i++) await emitEvent(tx, event());
      await settle();
      expect(heard).toBe(1);
    });
    await expect.poll(() => heard, { timeout: 5000, interval: 20 }).toBe(2);
  });

  it("hears nothing for an event written already fanned out, nor for a rolled-back one", async () => {
    heard = 0;
    await database.db.$executeRaw(eventSql({ ...event(), fannedOut: true }));
    await database.db
      .$transaction(async (tx) => {
        await emitEvent(tx, event());
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await settle();
    expect(heard).toBe(0);
  });

  it("reconnects after its connection is cut, and hears what comes after", async () => {
    heard = 0;
    const cut = await database.db.$queryRaw<{ cut: boolean }[]>`
      select pg_terminate_backend(pid) as cut from pg_stat_activity where query ilike 'listen %' and pid <> pg_backend_pid()`;
    expect(cut.length).toBe(1);
    // Until it is back, notifications are missed (the sender's poll finds their events); then it hears again.
    await expect
      .poll(
        async () => {
          await emitEvent(database.db, event());
          return heard;
        },
        { timeout: 10_000, interval: 500 },
      )
      .toBeGreaterThan(0);
  }, 15_000);
});
