// Retention removes exactly what each organization's windows no longer keep, and nothing a pending
// delivery needs; a prune over a large table never holds a statement (and its locks) for a second, and
// writes beside it are not held up for one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { newId } from "@/lib/db/ids";
import { createConnection } from "@/lib/sync/connections";
import type { Batch } from "./batches";
import { pruneHistory } from "./prune";

const DAY = 86_400_000;

describe.each(testDatabaseKinds())("retention on %s", (kind) => {
  let database: TestDatabase;
  let orgA: string;
  let orgB: string;
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const owner = (n: string) => ({ email: `${n}@example.com`, name: n, passwordHash: "x" });
    orgA = (await createOrganizationWithOwner(database.db, { name: "A", slug: `a-${newId("org").slice(-6).toLowerCase()}`, owner: owner("a") })).organization
      .id;
    orgB = (await createOrganizationWithOwner(database.db, { name: "B", slug: `b-${newId("org").slice(-6).toLowerCase()}`, owner: owner("b") })).organization
      .id;
    // A keeps the defaults (30 / 90 / 30 days); B keeps a week of everything and a day of tombstones.
    await database.db.organization.update({ where: { id: orgB }, data: { eventRetentionDays: 7, runRetentionDays: 7, tombstoneRetentionDays: 1 } });
  }, 120_000);
  afterAll(() => database?.close());

  const connect = async (organizationId: string, account: string) =>
    (
      await createConnection(database.db, {
        organizationId,
        environment: "sandbox",
        platform: "shopify",
        platformAccountId: account,
        credentials: { kind: "api_key", apiKey: "unused" },
      })
    ).id;

  async function event(organizationId: string, connectionId: string, createdAt: Date, fannedOut = true): Promise<string> {
    const id = newId("evt");
    await database.db.$executeRaw`
      insert into events (id, organization_id, environment, connection_id, type, object, data, created_at, fanned_out_at)
      values (${id}, ${organizationId}, 'sandbox', ${connectionId}, 'ORDERS_CREATED', 'orders', '{"id":"1"}', ${createdAt}, ${fannedOut ? createdAt : null})`;
    return id;
  }

  async function delivery(organizationId: string, endpointId: string, eventId: string, createdAt: Date, status: "pending" | "succeeded" | "failed") {
    const id = newId("dlv");
    await database.db.$executeRaw`
      insert into deliveries (id, organization_id, environment, endpoint_id, event_id, status, created_at, updated_at)
      values (${id}, ${organizationId}, 'sandbox', ${endpointId}, ${eventId}, ${status}::"DeliveryStatus", ${createdAt}, ${createdAt})`;
    await database.db.$executeRaw`
      insert into delivery_attempts (id, organization_id, environment, delivery_id, number, started_at, status_code)
      values (${newId("att")}, ${organizationId}, 'sandbox', ${id}, 1, ${createdAt}, 500)`;
    return id;
  }

  async function run(organizationId: string, connectionId: string, createdAt: Date, status: "succeeded" | "running" | "failed") {
    const id = newId("run");
    const finished = status === "running" ? null : createdAt;
    await database.db.$executeRaw`
      insert into sync_runs (id, organization_id, environment, connection_id, kind, status, objects, created_at, updated_at, started_at, finished_at)
      values (${id}, ${organizationId}, 'sandbox', ${connectionId}, 'incremental', ${status}::"RunStatus", '{orders}', ${createdAt}, ${createdAt}, ${createdAt}, ${finished})`;
    await database.db.$executeRaw`
      insert into checkpoints (id, organization_id, environment, sync_run_id, object, updated_at)
      values (${newId("chk")}, ${organizationId}, 'sandbox', ${id}, 'orders', ${createdAt})`;
    return id;
  }

  async function record(organizationId: string, connectionId: string, externalId: string, deletedAt: Date | null, modifiedAt: Date) {
    await database.db.$executeRaw`
      insert into records (organization_id, environment, connection_id, object, external_id, data, hash, last_modified_at, deleted_at)
      values (${organizationId}, 'sandbox', ${connectionId}, 'orders', ${externalId}, '{}', 'h', ${modifiedAt}, ${deletedAt})`;
  }

  it("removes exactly what is past each organization's windows, and nothing a pending delivery needs", async () => {
    const db = database.db;
    const [a1, a2, b1] = [await connect(orgA, "a-one"), await connect(orgA, "a-two"), await connect(orgB, "b-one")];
    const endpointA = newId("whk");
    const endpointB = newId("whk");
    for (const [id, organizationId] of [
      [endpointA, orgA],
      [endpointB, orgB],
    ])
      await db.webhookEndpoint.create({ data: { id, organizationId, environment: "sandbox", url: "https://example.com/hook", secretEncrypted: "x" } });
    // The connections' own CONNECTION_CREATED events are new: they stay.
    const before = new Set((await db.event.findMany({ select: { id: true } })).map((e) => e.id));

    const keep = new Set<string>();
    const gone = new Set<string>();
    // Events and deliveries, organization A (30 days).
    keep.add(await event(orgA, a1, ago(29)));
    keep.add(await event(orgA, a1, ago(10)));
    gone.add(await event(orgA, a1, ago(31)));
    const unfanned = await event(orgA, a1, ago(31), false);
    keep.add(unfanned);
    const pendingEvent = await event(orgA, a1, ago(40));
    keep.add(pendingEvent);
    const pendingDelivery = await delivery(orgA, endpointA, pendingEvent, ago(40), "pending");
    const doneEvent = await event(orgA, a1, ago(31));
    gone.add(doneEvent);
    const doneDelivery = await delivery(orgA, endpointA, doneEvent, ago(31), "succeeded");
    const failedDelivery = await delivery(orgA, endpointA, await event(orgA, a1, ago(29)), ago(29), "failed");
    // Replayed two days ago: its delivery is within the window, so the old event stays with it.
    const replayedEvent = await event(orgA, a1, ago(45));
    keep.add(replayedEvent);
    const replayed = await delivery(orgA, endpointA, replayedEvent, ago(2), "succeeded");
    // Organization B (7 days): ten days is past its window.
    gone.add(await event(orgB, b1, ago(10)));
    keep.add(await event(orgB, b1, ago(6)));
    const bEvent = await event(orgB, b1, ago(8));
    gone.add(bEvent);
    const bDelivery = await delivery(orgB, endpointB, bEvent, ago(8), "failed");

    // Runs (A 90 days, B 7), each with a checkpoint.
    const oldRun = await run(orgA, a1, ago(91), "succeeded");
    const failedOld = await run(orgA, a1, ago(100), "failed");
    const stillRunning = await run(orgA, a1, ago(95), "running");
    const recentRun = await run(orgA, a1, ago(89), "succeeded");
    const latestOfA2 = await run(orgA, a2, ago(120), "succeeded");
    const bOld = await run(orgB, b1, ago(8), "succeeded");
    const bLatest = await run(orgB, b1, ago(6), "succeeded");

    // Writes finished past the run window go; a queued one stays.
    const write = (organizationId: string, connectionId: string, status: string, finishedAt: Date | null) => {
      const id = newId("wrt");
      return database.db.$executeRaw`
        insert into writes (id, organization_id, environment, connection_id, object, operation, idempotency_key, status, finished_at, created_at, updated_at)
        values (${id}, ${organizationId}, 'sandbox', ${connectionId}, 'customers', 'create', ${id}, ${status}::"RunStatus", ${finishedAt}, ${finishedAt ?? now}, ${now})`.then(
        () => id,
      );
    };
    const oldWrite = await write(orgA, a1, "succeeded", ago(91));
    const queuedWrite = await write(orgA, a1, "queued", null);
    const recentWrite = await write(orgA, a1, "failed", ago(80));

    // Sync job runs, finished past the window or not.
    const job = newId("job");
    await db.$executeRaw`
      insert into sync_jobs (id, organization_id, environment, name, category, definition, updated_at)
      values (${job}, ${orgA}, 'sandbox', 'Orders', 'commerce', '{}', ${now})`;
    const jobRun = async (createdAt: Date, status: string) => {
      const id = newId("jrun");
      await db.$executeRaw`
        insert into sync_job_runs (id, organization_id, environment, sync_job_id, connection_id, status, created_at, updated_at, finished_at)
        values (${id}, ${orgA}, 'sandbox', ${job}, ${a1}, ${status}::"RunStatus", ${createdAt}, ${createdAt}, ${status === "running" ? null : createdAt})`;
      return id;
    };
    const oldJobRun = await jobRun(ago(91), "succeeded");
    const runningJobRun = await jobRun(ago(91), "running");
    const recentJobRun = await jobRun(ago(30), "failed");

    // Tombstones (A 30 days, B 1): live records stay whatever their age.
    await record(orgA, a1, "tomb-31", ago(31), ago(31));
    await record(orgA, a1, "tomb-29", ago(29), ago(29));
    await record(orgA, a1, "live-400", null, ago(400));
    await record(orgB, b1, "tomb-2", ago(2), ago(2));
    await record(orgB, b1, "live-2", null, ago(2));

    // Link sessions (the event window, once expired) and idempotency keys (once expired).
    const session = async (organizationId: string, createdAt: Date) => {
      const id = newId("lnk");
      await db.$executeRaw`
        insert into link_sessions (id, organization_id, environment, token_hash, expires_at, created_at)
        values (${id}, ${organizationId}, 'sandbox', ${id}, ${new Date(createdAt.getTime() + 3600_000)}, ${createdAt})`;
      return id;
    };
    const oldSession = await session(orgA, ago(31));
    const recentSession = await session(orgA, ago(29));
    const key = (k: string, expiresAt: Date) =>
      db.$executeRaw`
        insert into api_idempotency_keys (organization_id, environment, key, fingerprint, created_at, expires_at)
        values (${orgA}, 'sandbox', ${k}, 'f', ${ago(1)}, ${expiresAt})`;
    await key("expired", new Date(now.getTime() - 1000));
    await key("live", new Date(now.getTime() + 3600_000));

    const report = await pruneHistory(db, { now, budgetMs: 60_000 });
    expect(report.done).toBe(true);

    const events = new Set((await db.event.findMany({ select: { id: true } })).map((e) => e.id));
    for (const id of keep) expect(events.has(id), `event ${id} kept`).toBe(true);
    for (const id of gone) expect(events.has(id), `event ${id} removed`).toBe(false);
    for (const id of before) expect(events.has(id)).toBe(true);
    expect(events.size).toBe(before.size + keep.size + 1); // the failed delivery's 29-day event
    expect(report.removed.events).toBe(gone.size);

    const deliveries = new Set((await db.delivery.findMany({ select: { id: true } })).map((d) => d.id));
    expect([...deliveries].sort()).toEqual([pendingDelivery, failedDelivery, replayed].sort());
    expect(deliveries.has(doneDelivery) || deliveries.has(bDelivery)).toBe(false);
    // Attempts go with their deliveries.
    expect(await db.deliveryAttempt.count()).toBe(3);

    const runs = new Set((await db.syncRun.findMany({ select: { id: true } })).map((r) => r.id));
    expect([...runs].sort()).toEqual([stillRunning, recentRun, latestOfA2, bLatest].sort());
    expect(runs.has(oldRun) || runs.has(failedOld) || runs.has(bOld)).toBe(false);
    expect(await db.checkpoint.count()).toBe(4);

    const writes = (await db.asyncWrite.findMany({ select: { id: true } })).map((w) => w.id);
    expect(writes.sort()).toEqual([queuedWrite, recentWrite].sort());
    expect(writes).not.toContain(oldWrite);
    const jobRuns = (await db.syncJobRun.findMany({ select: { id: true } })).map((r) => r.id);
    expect(jobRuns.sort()).toEqual([runningJobRun, recentJobRun].sort());
    expect(jobRuns).not.toContain(oldJobRun);

    const records = await db.record.findMany({ select: { externalId: true }, orderBy: { externalId: "asc" } });
    expect(records.map((r) => r.externalId)).toEqual(["live-2", "live-400", "tomb-29"]);
    // Tombstones were not counted as live records, and removing them changes no count.
    expect((await db.recordCount.findMany({ where: { connectionId: a1 } })).map((c) => c.count)).toEqual([1]);

    const sessions = (await db.linkSession.findMany({ select: { id: true } })).map((s) => s.id);
    expect(sessions).toEqual([recentSession]);
    expect(sessions).not.toContain(oldSession);
    expect((await db.apiIdempotencyKey.findMany({ select: { key: true } })).map((k) => k.key)).toEqual(["live"]);

    // A second run finds nothing more.
    const again = await pruneHistory(db, { now, budgetMs: 60_000 });
    expect(Object.values(again.removed).every((rows) => rows === 0)).toBe(true);
  }, 120_000);

  it("prunes a large table in statements under a second each, and writes beside it wait no longer", async () => {
    const db = database.db;
    const rows = kind === "postgresql" ? 300_000 : 50_000;
    const connectionId = await connect(orgA, "big-history");
    await db.$executeRawUnsafe(
      `insert into events (id, organization_id, environment, connection_id, type, object, data, external_id, created_at, fanned_out_at)
       select 'evt_old' || lpad(n::text, 9, '0'), $1, 'sandbox', $2, 'ORDERS_UPDATED', 'orders',
              jsonb_build_object('id', n::text, 'total_price', '12.50', 'note', repeat('x', 300)), n::text,
              $3::timestamptz - make_interval(secs => n), $3::timestamptz - make_interval(secs => n)
       from generate_series(1, ${rows}) n`,
      orgA,
      connectionId,
      ago(31),
    );

    const batches: Batch[] = [];
    let probing = true;
    const waits: number[] = [];
    // Beside the prune: new events (the outbox's inserts) and reads of the same table, as a sync and the dashboard make them.
    const probe = (async () => {
      while (probing) {
        const began = performance.now();
        await db.$executeRaw`
          insert into events (id, organization_id, environment, connection_id, type, data, created_at)
          values (${newId("evt")}, ${orgA}, 'sandbox', ${connectionId}, 'CONNECTION_UPDATED', '{}', now())`;
        await db.event.findFirst({ where: { connectionId }, orderBy: { createdAt: "desc" } });
        waits.push(performance.now() - began);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const started = performance.now();
    const report = await pruneHistory(db, { now, budgetMs: 600_000, onBatch: (batch) => batches.push(batch) });
    const elapsed = performance.now() - started;
    probing = false;
    await probe;

    expect(report.done).toBe(true);
    expect(report.removed.events).toBeGreaterThanOrEqual(rows);
    expect(await db.event.count({ where: { connectionId, createdAt: { lt: ago(30) } } })).toBe(0);
    const eventBatches = batches.filter((batch) => batch.kind === "events" && batch.rows > 0);
    const longest = Math.max(...batches.map((batch) => batch.ms));
    console.log(
      `[retention ${kind}] ${rows} events pruned in ${Math.round(elapsed)} ms, ${eventBatches.length} statements, longest ${Math.round(longest)} ms; ` +
        `${waits.length} writes beside it, longest ${Math.round(Math.max(...waits))} ms`,
    );
    expect(eventBatches.length).toBeGreaterThan(5);
    expect(longest).toBeLessThan(1000);
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThan(1000);
  }, 600_000);
});
