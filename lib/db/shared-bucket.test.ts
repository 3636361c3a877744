// The shared token buckets on a real database: a take gets its tokens or says when they are back,
// reservations queue behind each other, one reservation spans several buckets, a block holds takes and reservations off, two clients (two
// processes' pools) spend one bucket, idle rows are pruned, and a failing table falls back to the
// process's own buckets with one log line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { createDb, rawPool, rawQuery, type Db } from "./client";
import { pruneSharedBuckets, sharedBuckets } from "./shared-bucket";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "./testing";

describe.each(testDatabaseKinds())("shared token buckets (%s)", (kind) => {
  let database: TestDatabase;
  let other: Db;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    other = createDb(database.url, { max: 2 });
    // Through Prisma once, so that disconnecting ends the pools under them.
    await Promise.all([database.db.$queryRaw`select 1`, other.$queryRaw`select 1`]);
  });
  afterAll(async () => {
    await other?.$disconnect();
    await database?.close();
  });

  it("takes a burst from two clients in total, then refuses with the time until a token is back", async () => {
    const shape = { perSecond: 0.5, capacity: 5 };
    const [a, b] = [sharedBuckets(database.db), sharedBuckets(other)];
    const taken = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).take("api:one", shape)));
    expect(taken.filter((t) => t.granted)).toHaveLength(5);
    // Rounded: a take whose transaction began before the one ahead of it on the row finds the level
    // owed the microseconds between them.
    expect(taken.filter((t) => t.granted).map((t) => Math.round(t.level))).toEqual(expect.arrayContaining([4, 3, 2, 1, 0]));
    const refused = taken.filter((t) => !t.granted);
    // A token is back 2 s after the burst emptied the bucket, less what refilled since.
    for (const t of refused) expect(t.waitMs).toBeGreaterThan(1000);
    for (const t of refused) expect(t.waitMs).toBeLessThanOrEqual(2000);

    // Another key has its own bucket, full.
    expect(await a.take("api:two", shape)).toMatchObject({ granted: true, level: 4 });
  });

  it("queues reservations: each waits behind the ones before it, whichever client made them", async () => {
    const shape = { perSecond: 10, capacity: 1 };
    // When each reservation is due: the bucket hands out one token every 100 ms, in the order reserved.
    const due = [];
    for (const buckets of [sharedBuckets(database.db), sharedBuckets(other), sharedBuckets(database.db)]) {
      const wait = await buckets.reserve("connection:q", shape);
      due.push(performance.now() + wait);
    }
    expect(due[1] - due[0]).toBeGreaterThan(70);
    expect(due[2] - due[1]).toBeGreaterThan(70);
    expect(due[2] - due[0]).toBeLessThan(260);
  });

  it("reserves in several buckets at once, due when the last of them is", async () => {
    const [connection, platform] = [
      { key: "connection:all", shape: { perSecond: 10, capacity: 1 } },
      { key: "platform:all", shape: { perSecond: 2, capacity: 1 } },
    ];
    const buckets = [sharedBuckets(database.db), sharedBuckets(other)];
    expect(await buckets[0].reserveAll([connection, platform])).toBe(0);
    // The platform's bucket is the slower: its next token is 500 ms away, the connection's 100.
    const wait = await buckets[1].reserveAll([connection, platform]);
    expect(wait).toBeGreaterThan(400);
    expect(wait).toBeLessThanOrEqual(500);
    // Each bucket took its share: the connection's alone is due within 200 ms, behind the two.
    expect(await buckets[0].reserve(connection.key, connection.shape)).toBeLessThanOrEqual(200);
  });

  it("holds takes and reservations off until a block has passed, for every client", async () => {
    const shape = { perSecond: 100, capacity: 10 };
    await sharedBuckets(database.db).block("connection:b", shape, 500);
    const refused = await sharedBuckets(other).take("connection:b", shape);
    expect(refused.granted).toBe(false);
    expect(refused.waitMs).toBeGreaterThan(400);
    expect(await sharedBuckets(other).reserve("connection:b", shape)).toBeGreaterThan(400);
    // A shorter block does not shorten a longer one.
    await sharedBuckets(other).block("connection:b", shape, 10);
    expect((await sharedBuckets(database.db).take("connection:b", shape)).waitMs).toBeGreaterThan(300);
  });

  it("prunes the rows of buckets full for a minute, and keeps the others", async () => {
    const shape = { perSecond: 1, capacity: 2 };
    await sharedBuckets(database.db).take("api:idle", shape);
    await sharedBuckets(database.db).take("api:busy", { perSecond: 0.001, capacity: 2 });
    await rawQuery(database.db, pruneBackdate("api:idle"));
    await rawQuery(database.db, pruneBackdate("api:busy"));
    await pruneSharedBuckets(database.db);
    const { rows } = await rawQuery<{ key: string }>(database.db, keysSql());
    expect(rows.map((r) => r.key)).toContain("api:busy");
    expect(rows.map((r) => r.key)).not.toContain("api:idle");
  });

  it("falls back to the process's own buckets when the table fails, with one log line", async () => {
    // Nothing listens on port 1: every statement fails at once.
    const broken = createDb("postgresql://postgres@127.0.0.1:1/none", { max: 1 });
    const lines: string[] = [];
    try {
      const buckets = sharedBuckets(broken, { log: (line) => lines.push(line) });
      const shape = { perSecond: 1, capacity: 2 };
      const taken = [];
      for (let i = 0; i < 3; i++) taken.push(await buckets.take("api:down", shape));
      expect(taken.map((t) => t.granted)).toEqual([true, true, false]);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/counted in this process only/);
    } finally {
      await rawPool(broken).end();
    }
  });
});

// Moves a bucket's last take two minutes back, at the level it had then: "api:idle" has refilled
// since, "api:busy" (at 0.001 per second) has not.
const pruneBackdate = (key: string) => Prisma.sql`update rate_limit_buckets set refilled_at = refilled_at - interval '2 minutes' where key = ${key}`;
const keysSql = () => Prisma.sql`select key from rate_limit_buckets`;
