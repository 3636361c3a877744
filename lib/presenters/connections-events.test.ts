// Searching a connection's event log after a real sync: by event id, by record (Tributary's rec_ id
// or the platform's), by run and by UTC time range; bad input names its field. Also the query plan
// of a record search among many events: the (connection_id, external_id, created_at) index.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listEventsRoute } from "@/app/api/v1/events/route";
import { createApiKey } from "@/lib/api/keys";
import { tenantDb, type TenantScope } from "@/lib/db/tenant";
import { provideEngine } from "@/lib/sync/engine";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordIdSql } from "@/lib/sync/sql/record-ids";
import { nextRun } from "@/lib/sync/planner";
import { executeRun } from "@/lib/sync/runner";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { getConnectionEvents, parseEventQuery } from "./connections-events";

describe("searching the event log", () => {
  let h: SyncHarness;
  let connectionId: string;
  let runId: string;
  const scope = (): TenantScope => ({ organizationId: h.organizationId, environment: "sandbox" });
  const search = async (params: Record<string, string>) => {
    const query = parseEventQuery("shopify", new URLSearchParams(params));
    if (!query.ok) throw new Error(query.message);
    return (await getConnectionEvents(tenantDb(h.database.db, scope()), scope(), connectionId, query, 500)).events;
  };

  beforeAll(async () => {
    h = await createSyncHarness({ batches: [{ objects: [], fromMonthsAgo: null, toMonthsAgo: 0 }] });
    // The first sync announces each record (ORDER_CREATED, …), as an environment may choose.
    await h.database.db.environment.update({
      where: { organizationId_kind: { organizationId: h.organizationId, kind: "sandbox" } },
      data: { emitDataEventsOnInitial: true },
    });
    connectionId = await h.connect("shopify", { id: "searched-shop", size: 40 });
    runId = (await nextRun(h.engine, connectionId))!;
    expect((await executeRun(h.engine, runId)).status).toBe("succeeded");
  }, 240_000);
  afterAll(() => h?.close());

  it("finds one record's events by its rec_ id or the platform's id, and one event by its id", async () => {
    const [record] = await h.database.db.$queryRaw<{ recordId: string; object: string; externalId: string }[]>(Prisma.sql`
      select ${Prisma.raw(recordIdSql("id"))} as "recordId", object, external_id as "externalId" from records where connection_id = ${connectionId} and object = 'orders' limit 1`);
    const byRecordId = await search({ record_id: record.recordId });
    expect(byRecordId.length).toBeGreaterThan(0);
    for (const event of byRecordId) expect(event).toMatchObject({ object: "orders", data: { id: record.externalId } });
    const stored = await h.database.db.event.count({ where: { connectionId, object: "orders", data: { path: ["id"], equals: record.externalId } } });
    expect(byRecordId).toHaveLength(stored);
    expect((await search({ record_id: record.externalId })).map((e) => e.id)).toEqual(expect.arrayContaining(byRecordId.map((e) => e.id)));
    // An id naming no record of this connection finds nothing.
    expect(await search({ record_id: "rec_00000000FFFFFFFF" })).toEqual([]);

    const [one] = byRecordId;
    expect((await search({ event_id: one.id })).map((e) => e.id)).toEqual([one.id]);
  });

  it("finds a run's events and the events of a UTC time range", async () => {
    const all = await search({});
    const ofRun = await search({ run_id: runId });
    expect(ofRun.length).toBeGreaterThan(0);
    expect(ofRun.every((e) => e.syncRunId === runId)).toBe(true);
    expect(ofRun).toHaveLength(all.filter((e) => e.syncRunId === runId).length);

    const times = all.map((e) => Date.parse(e.createdAt)).sort((a, b) => a - b);
    const first = new Date(times[0]).toISOString();
    const after = new Date(times.at(-1)! + 1).toISOString();
    expect(await search({ from: first, to: after })).toHaveLength(all.length);
    expect(await search({ from: after })).toEqual([]);
    // `to` is exclusive: nothing is older than the first event.
    expect(await search({ to: first })).toEqual([]);
  });

  it("names the field of bad input", () => {
    const field = (params: Record<string, string>) => {
      const query = parseEventQuery("shopify", new URLSearchParams(params));
      return query.ok ? null : query.field;
    };
    expect(field({ event_id: "42" })).toBe("event_id");
    expect(field({ run_id: "conn_01" })).toBe("run_id");
    expect(field({ record_id: "x".repeat(300) })).toBe("record_id");
    expect(field({ from: "yesterday" })).toBe("from");
    expect(field({ to: "2026-13-01T00:00:00Z" })).toBe("to");
    expect(field({ from: "2026-12-02T00:00:00Z", to: "2026-12-01T00:00:00Z" })).toBe("to");
    expect(field({ from: "2026-12-01T00:00:00Z", to: "2026-12-02T00:00:00Z", record_id: "1234" })).toBeNull();
  });

  it("filters GET /api/v1/events by record, run and creation time, naming the field of bad input", async () => {
    provideEngine(h.engine);
    const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox", name: "Search" });
    const authorization = `Basic ${Buffer.from(`${key.clientId}:${key.secret}`).toString("base64")}`;
    const get = async (query: string) => {
      const response = await listEventsRoute(new Request(`http://localhost:3000/api/v1/events?${query}`, { headers: { authorization } }), {
        params: Promise.resolve({} as never),
      });
      return {
        status: response.status,
        body: (await response.json()) as { events: { id: string; sync_run_id: string | null; data: { id?: string } }[]; field?: string },
      };
    };
    const [event] = await h.database.db.event.findMany({ where: { connectionId, externalId: { not: null } }, take: 1 });
    const byRecord = await get(`connection_id=${connectionId}&external_id=${encodeURIComponent(event.externalId!)}`);
    expect(byRecord.status).toBe(200);
    expect(byRecord.body.events.length).toBeGreaterThan(0);
    expect(byRecord.body.events.every((e) => e.data.id === event.externalId)).toBe(true);
    const ofRun = await get(`sync_run_id=${runId}&limit=500`);
    expect(ofRun.body.events.length).toBeGreaterThan(0);
    expect(ofRun.body.events.every((e) => e.sync_run_id === runId)).toBe(true);
    const later = new Date(event.createdAt.getTime() + 3_600_000).toISOString();
    expect((await get(`created_after=${later}`)).body.events).toEqual([]);
    expect((await get(`connection_id=${connectionId}&created_before=${later}&external_id=${encodeURIComponent(event.externalId!)}`)).body.events.length).toBe(
      byRecord.body.events.length,
    );

    expect(await get(`external_id=x`)).toMatchObject({ status: 400, body: { field: "connection_id" } });
    expect(await get(`sync_run_id=nope`)).toMatchObject({ status: 400, body: { field: "sync_run_id" } });
    expect(await get(`created_after=yesterday`)).toMatchObject({ status: 400, body: { field: "created_after" } });
    expect(await get(`created_after=${later}&created_before=${event.createdAt.toISOString()}`)).toMatchObject({
      status: 400,
      body: { field: "created_before" },
    });
  });

  it("searches a record among many events on the record index", async () => {
    // 100k data events of other records on the connection, then statistics, as a busy connection has.
    await h.database.db.$executeRaw(Prisma.sql`
      insert into events (id, organization_id, environment, connection_id, sync_run_id, type, object, data, external_id)
      select 'evt_bulk' || n, ${h.organizationId}, 'sandbox', ${connectionId}, ${runId}, 'ORDER_UPDATED', 'orders', jsonb_build_object('id', 'other-' || n), 'other-' || n
      from generate_series(1, 100000) n`);
    await h.database.db.$executeRaw(Prisma.sql`analyze events`);
    const plan = await h.database.db.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`
      explain select id from events where connection_id = ${connectionId} and organization_id = ${h.organizationId} and external_id = 'other-5' order by created_at desc, id desc limit 26`);
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain("events_connection_id_external_id_created_at_idx");
  }, 120_000);
});
