// Deleting a connection answers at once whatever its size (1,000,000 records on PostgreSQL), serves
// nothing more of it, and the background purge removes its records, runs and data events in
// statements under a second each while another connection's API pages stay fast; what a pending
// delivery needs and the connection's lifecycle events stay. The embedded worker does it on its own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteConnectionRoute, GET as getConnectionRoute } from "@/app/api/v1/connections/[id]/route";
import { GET as readObject } from "@/app/api/v1/[category]/[object]/route";
import { createApiKey } from "@/lib/api/keys";
import { newId } from "@/lib/db/ids";
import { testDatabaseKinds } from "@/lib/db/testing";
import { createConnection } from "@/lib/sync/connections";
import { provideEngine } from "@/lib/sync/engine";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { startWorker } from "@/lib/worker/worker";
import type { Batch } from "./batches";
import { claimDeletedConnections, purgeConnection } from "./purge";

describe.each(testDatabaseKinds())("deleting a connection on %s", (kind) => {
  let h: SyncHarness;
  let authorization: string;

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
    provideEngine(h.engine);
    const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox", name: "Purge" });
    authorization = `Basic ${Buffer.from(`${key.clientId}:${key.secret}`).toString("base64")}`;
  }, 120_000);
  afterAll(() => h?.close());

  async function connectionWithRecords(account: string, records: number) {
    const db = h.database.db;
    const connection = await createConnection(db, {
      organizationId: h.organizationId,
      environment: "sandbox",
      platform: "shopify",
      platformAccountId: account,
      credentials: { kind: "api_key", apiKey: "unused" },
    });
    await db.connection.update({ where: { id: connection.id }, data: { isReady: true, stage: "ONGOING" } });
    // Three objects; a unified record's 500 bytes of JSON and a deflated payload's 187, as bench:sync measures them.
    for (let from = 1; from <= records; from += 250_000) {
      await db.$executeRawUnsafe(
        `insert into records (organization_id, environment, connection_id, object, external_id, data, platform_data, hash, last_modified_at)
         select $1, 'sandbox', $2, (array['orders', 'customers', 'products'])[n % 3 + 1], n::text,
                jsonb_build_object('id', n::text, 'name', 'Record ' || n, 'note', repeat('x', 420)), decode(repeat('ab', 187), 'hex'), md5(n::text),
                now() - make_interval(secs => n)
         from generate_series(${from}, ${Math.min(records, from + 249_999)}) n`,
        h.organizationId,
        connection.id,
      );
    }
    await db.payloadDictionary.create({
      data: { connectionId: connection.id, object: "orders", organizationId: h.organizationId, dictionary: Buffer.from("dict") },
    });
    for (let run = 0; run < 3; run++) {
      const id = newId("run");
      await db.$executeRaw`
        insert into sync_runs (id, organization_id, environment, connection_id, kind, status, objects, updated_at, finished_at)
        values (${id}, ${h.organizationId}, 'sandbox', ${connection.id}, 'incremental', 'succeeded', '{orders}', now(), now())`;
      await db.$executeRaw`
        insert into checkpoints (id, organization_id, environment, sync_run_id, object, updated_at)
        values (${newId("chk")}, ${h.organizationId}, 'sandbox', ${id}, 'orders', now())`;
    }
    // Data events (each a record's payload).
    await db.$executeRawUnsafe(
      `insert into events (id, organization_id, environment, connection_id, type, object, data, external_id, fanned_out_at)
       select 'evt_' || $2 || '_' || n, $1, 'sandbox', $2, 'ORDERS_UPDATED', 'orders', jsonb_build_object('id', n::text), n::text, now()
       from generate_series(1, 2000) n`,
      h.organizationId,
      connection.id,
    );
    return connection;
  }

  const get = (url: string) =>
    readObject(new Request(url, { headers: { authorization } }), { params: Promise.resolve({ category: "commerce", object: "orders" }) });

  it("answers in under a second, serves nothing more, and the purge leaves nothing, no statement over a second", async () => {
    const db = h.database.db;
    const size = kind === "postgresql" ? 1_000_000 : 100_000;
    const loading = performance.now();
    const big = await connectionWithRecords("big-shop", size);
    const other = await connectionWithRecords("other-shop", 3000);
    console.log(`[purge ${kind}] ${size} records loaded in ${Math.round(performance.now() - loading)} ms`);
    expect(await db.record.count({ where: { connectionId: big.id } })).toBe(size);
    // One of its data events is still to be delivered: it stays for the delivery.
    const endpoint = newId("whk");
    await db.webhookEndpoint.create({
      data: { id: endpoint, organizationId: h.organizationId, environment: "sandbox", url: "https://example.com/hook", secretEncrypted: "x" },
    });
    const pendingEvent = `evt_${big.id}_7`;
    await db.$executeRaw`
      insert into deliveries (id, organization_id, environment, endpoint_id, event_id, status, updated_at)
      values (${newId("dlv")}, ${h.organizationId}, 'sandbox', ${endpoint}, ${pendingEvent}, 'pending', now())`;

    const path = `/api/v1/connections/${big.id}`;
    const started = performance.now();
    const deleted = await deleteConnectionRoute(new Request(`http://localhost${path}`, { method: "DELETE", headers: { authorization } }), {
      params: Promise.resolve({ id: big.id }),
    });
    const answeredMs = performance.now() - started;
    expect(deleted.status).toBe(200);
    console.log(`[purge ${kind}] DELETE ${path} answered in ${Math.round(answeredMs)} ms`);
    expect(answeredMs).toBeLessThan(1000);
    // Nothing of it is served from now on.
    const read = await getConnectionRoute(new Request(`http://localhost${path}`, { headers: { authorization } }), { params: Promise.resolve({ id: big.id }) });
    expect(read.status).toBe(404);
    expect((await get(`http://localhost/api/v1/commerce/orders?access_token=${big.accessToken}`)).status).toBe(404);

    // The worker's claim finds it; the purge runs while another connection's pages are read through the API.
    const [claimed] = await claimDeletedConnections(db, { owner: "test", limit: 5, leaseMs: 60_000 });
    expect(claimed).toBe(big.id);
    // The same pages before the purge, for comparison.
    const alone: number[] = [];
    for (let i = 0; i < 10; i++) {
      const began = performance.now();
      expect((await get(`http://localhost/api/v1/commerce/orders?access_token=${other.accessToken}&limit=100`)).status).toBe(200);
      alone.push(performance.now() - began);
    }
    alone.sort((x, y) => x - y);
    const batches: Batch[] = [];
    const reads: number[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const began = performance.now();
        const response = await get(`http://localhost/api/v1/commerce/orders?access_token=${other.accessToken}&limit=100`);
        expect(response.status).toBe(200);
        reads.push(performance.now() - began);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const purging = performance.now();
    const report = await purgeConnection(db, big.id, { budgetMs: 900_000, onBatch: (batch) => batches.push(batch) });
    const purgeMs = performance.now() - purging;
    reading = false;
    await reader;

    expect(report.done).toBe(true);
    expect(report.removed.records).toBe(size);
    const longest = Math.max(...batches.map((batch) => batch.ms));
    const sorted = [...reads].sort((x, y) => x - y);
    console.log(
      `[purge ${kind}] ${size} records purged in ${Math.round(purgeMs)} ms, ${batches.length} statements, longest ${Math.round(longest)} ms; ` +
        `${reads.length} API pages of another connection meanwhile: p50 ${Math.round(sorted[Math.floor(sorted.length / 2)])} ms, p95 ${Math.round(sorted[Math.floor(sorted.length * 0.95)])} ms, max ${Math.round(sorted.at(-1)!)} ms (alone: p50 ${Math.round(alone[5])} ms, max ${Math.round(alone[9])} ms)`,
    );
    expect(longest).toBeLessThan(1000);
    expect(sorted.at(-1)!).toBeLessThan(1000);

    expect(await db.record.count({ where: { connectionId: big.id } })).toBe(0);
    expect(await db.recordCount.count({ where: { connectionId: big.id } })).toBe(0);
    expect(await db.payloadDictionary.count({ where: { connectionId: big.id } })).toBe(0);
    expect(await db.syncRun.count({ where: { connectionId: big.id } })).toBe(0);
    expect(await db.checkpoint.count({ where: { syncRun: { connectionId: big.id } } })).toBe(0);
    // Data events go, but the one a pending delivery needs; lifecycle events stay for the event log.
    expect((await db.event.findMany({ where: { connectionId: big.id, object: { not: null } }, select: { id: true } })).map((e) => e.id)).toEqual([
      pendingEvent,
    ]);
    const lifecycle = (await db.event.findMany({ where: { connectionId: big.id, object: null }, select: { type: true } })).map((e) => e.type);
    expect(lifecycle).toEqual(expect.arrayContaining(["CONNECTION_CREATED", "CONNECTION_DELETED"]));
    expect((await db.connection.findUniqueOrThrow({ where: { id: big.id } })).purgedAt).not.toBeNull();
    // Nothing left to claim; the other connection is whole.
    expect(await claimDeletedConnections(db, { owner: "test-2", limit: 5, leaseMs: 60_000 })).toEqual([]);
    expect(await db.record.count({ where: { connectionId: other.id } })).toBe(3000);
    expect((await db.recordCount.findMany({ where: { connectionId: other.id } })).reduce((sum, row) => sum + row.count, 0)).toBe(3000);
  }, 1_200_000);

  it("the embedded worker purges a deleted connection on its own", async () => {
    const db = h.database.db;
    const connection = await connectionWithRecords("worker-shop", 20_000);
    const response = await deleteConnectionRoute(
      new Request(`http://localhost/api/v1/connections/${connection.id}`, { method: "DELETE", headers: { authorization } }),
      {
        params: Promise.resolve({ id: connection.id }),
      },
    );
    expect(response.status).toBe(200);
    const started = performance.now();
    const worker = startWorker(h.engine, { pollMs: 50, log: () => undefined });
    try {
      await expect
        .poll(async () => (await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).purgedAt, { timeout: 60_000, interval: 100 })
        .not.toBeNull();
    } finally {
      await worker.stop();
    }
    console.log(`[purge ${kind}] the worker purged 20,000 records in ${Math.round(performance.now() - started)} ms`);
    expect(await db.record.count({ where: { connectionId: connection.id } })).toBe(0);
    expect(await db.event.count({ where: { connectionId: connection.id, object: { not: null } } })).toBe(0);
    // The lease went back when the purge ended.
    expect((await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).leaseOwner).toBeNull();
  }, 300_000);
});
