import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { hashToken } from "@/lib/crypto";
import type { ListPage } from "@/lib/platforms/types";
import { rawPool } from "@/lib/db/client";
import { decodePayload, loadDictionary } from "./payloads";
import { canonicalContent } from "./hash";
import { preparePage, processPage } from "./process-page";
import type { UpsertScope } from "./sql/upsert-records";

describe.each(testDatabaseKinds())("processing a page on %s", (kind) => {
  let database: TestDatabase;
  let scope: UpsertScope;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const { organization } = await createOrganizationWithOwner(database.db, {
      name: "Acme",
      slug: "acme",
      owner: { email: "a@example.com", name: "A", passwordHash: "x" },
    });
    const connectionId = newId("conn");
    await database.db.connection.create({
      data: { id: connectionId, organizationId: organization.id, environment: "sandbox", platform: "shopify", accessTokenHash: hashToken(connectionId) },
    });
    const syncRunId = newId("run");
    await database.db.syncRun.create({
      data: { id: syncRunId, organizationId: organization.id, environment: "sandbox", connectionId, kind: "incremental", objects: ["orders"] },
    });
    scope = { organizationId: organization.id, environment: "sandbox", connectionId, object: "orders", syncRunId };
  });
  afterAll(() => database?.close());

  const page = (records: [string, Record<string, unknown>][], deleted: string[] = []): ListPage => ({
    records: records.map(([externalId, data]) => ({ externalId, data, updatedAt: new Date("2026-11-01T00:00:00Z") })),
    nextCursor: "next",
    deleted,
    requests: 1,
  });
  const checkpoint = (cursor: string) => ({ cursor, windowStart: null, windowEnd: null, completed: false });
  const events = () => database.db.event.findMany({ where: { connectionId: scope.connectionId }, orderBy: { seq: "asc" } });

  it("creates, then ignores an identical page, then updates only what changed, with one event each", async () => {
    const first = page([
      ["1", { total: "10.00", tags: ["a"] }],
      ["2", { total: "20.00" }],
      ["3", { total: "30.00" }],
    ]);
    expect(await processPage(database.db, { scope, page: first, checkpoint: checkpoint("c1"), emitDataEvents: true })).toEqual({
      seen: 3,
      created: 3,
      updated: 0,
      deleted: 0,
      unchanged: 0,
    });
    expect(await processPage(database.db, { scope, page: first, checkpoint: checkpoint("c1"), emitDataEvents: true })).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 3,
    });
    // Same content with keys in another order is not a change.
    const changed = page([
      ["1", { tags: ["a"], total: "10.00" }],
      ["2", { total: "25.00" }],
      ["3", { total: "30.00" }],
    ]);
    expect(await processPage(database.db, { scope, page: changed, checkpoint: checkpoint("c2"), emitDataEvents: true })).toMatchObject({
      created: 0,
      updated: 1,
      unchanged: 2,
    });
    expect((await events()).map((e) => `${e.type}:${(e.data as { id: string }).id}`)).toEqual([
      "ORDER_CREATED:1",
      "ORDER_CREATED:2",
      "ORDER_CREATED:3",
      "ORDER_UPDATED:2",
    ]);
    const record = await database.db.record.findUniqueOrThrow({
      where: { connectionId_object_externalId: { connectionId: scope.connectionId, object: "orders", externalId: "2" } },
    });
    expect(record.data).toEqual({ total: "25.00" });
  });

  it("marks reported deletions once and brings a record back when it reappears", async () => {
    expect(await processPage(database.db, { scope, page: page([], ["3", "404"]), checkpoint: checkpoint("c3"), emitDataEvents: true })).toMatchObject({
      deleted: 1,
    });
    expect(await processPage(database.db, { scope, page: page([], ["3"]), checkpoint: checkpoint("c3"), emitDataEvents: true })).toMatchObject({ deleted: 0 });
    expect(
      await processPage(database.db, { scope, page: page([["3", { total: "30.00" }]]), checkpoint: checkpoint("c4"), emitDataEvents: true }),
    ).toMatchObject({ updated: 1 });
    expect((await events()).slice(-2).map((e) => e.type)).toEqual(["ORDER_DELETED", "ORDER_UPDATED"]);
  });

  it("advances the checkpoint with the records, and emits nothing when data events are off", async () => {
    const before = (await events()).length;
    await processPage(database.db, { scope, page: page([["4", { total: "40.00" }]]), checkpoint: checkpoint("c5"), emitDataEvents: false });
    expect((await events()).length).toBe(before);
    const saved = await database.db.checkpoint.findUniqueOrThrow({ where: { syncRunId_object: { syncRunId: scope.syncRunId, object: "orders" } } });
    expect(saved).toMatchObject({ cursor: "c5", pages: 7 });
  });

  it("stores the platform's payload beside the data, outside the hash: a change only the payload shows is no update", async () => {
    const withPayload = (externalId: string, data: Record<string, unknown>, platformData: Record<string, unknown>): ListPage => ({
      ...page([[externalId, data]]),
      records: [{ externalId, data, platformData, updatedAt: new Date("2026-11-01T00:00:00Z") }],
    });
    const stored = async () => {
      const row = await database.db.record.findUniqueOrThrow({
        where: { connectionId_object_externalId: { connectionId: scope.connectionId, object: "orders", externalId: "7" } },
        select: { data: true, platformData: true, lastModifiedAt: true },
      });
      return { ...row, platformData: row.platformData && decodePayload(Buffer.from(row.platformData), await loadDictionary(rawPool(database.db), scope)) };
    };
    const before = (await events()).length;
    await processPage(database.db, {
      scope,
      page: withPayload("7", { total: "70.00" }, { total_price: "70.00", note: "a" }),
      checkpoint: checkpoint("c7"),
      emitDataEvents: true,
    });
    const first = await stored();
    expect(first.platformData).toEqual({ total_price: "70.00", note: "a" });
    // The note is not in the unified model: no event, no new modification time, the payload as it was.
    expect(
      await processPage(database.db, {
        scope,
        page: withPayload("7", { total: "70.00" }, { total_price: "70.00", note: "b" }),
        checkpoint: checkpoint("c8"),
        emitDataEvents: true,
      }),
    ).toMatchObject({ updated: 0, unchanged: 1 });
    expect(await stored()).toEqual(first);
    // A change of the unified data stores the payload that came with it.
    expect(
      await processPage(database.db, {
        scope,
        page: withPayload("7", { total: "75.00" }, { total_price: "75.00", note: "c" }),
        checkpoint: checkpoint("c9"),
        emitDataEvents: true,
      }),
    ).toMatchObject({ updated: 1 });
    expect((await stored()).platformData).toEqual({ total_price: "75.00", note: "c" });
    // A full re-sync rewrites the payload of every record it sees, changed or not, and announces none of them.
    expect(
      await processPage(database.db, {
        scope,
        page: withPayload("7", { total: "75.00" }, { total_price: "75.00", note: "d" }),
        checkpoint: checkpoint("c10"),
        emitDataEvents: true,
        fullResync: true,
      }),
    ).toMatchObject({ updated: 0, unchanged: 1 });
    expect((await stored()).platformData).toEqual({ total_price: "75.00", note: "d" });
    expect((await events()).slice(before).map((e) => e.type)).toEqual(["ORDER_CREATED", "ORDER_UPDATED"]);
  });

  it("stores nothing of a page whose checkpoint cannot be written: the page is one unit", async () => {
    const broken = { ...scope, syncRunId: "run_does_not_exist" };
    await expect(
      processPage(database.db, { scope: broken, page: page([["5", { total: "50.00" }]]), checkpoint: checkpoint("c6"), emitDataEvents: true }),
    ).rejects.toThrow();
    expect(await database.db.record.count({ where: { connectionId: scope.connectionId, externalId: "5" } })).toBe(0);
  });
  it("writes a page with the hashes prepared ahead of it (run-object prepares the next page while this one is written)", async () => {
    const fetched = page([["p1", { total: "1.00" }]]);
    const prepared = preparePage(scope, fetched);
    expect(prepared.contents).toEqual([canonicalContent({ total: "1.00" })]);
    await processPage(database.db, { scope, page: fetched, prepared, checkpoint: checkpoint("p1"), emitDataEvents: false });
    const stored = await database.db.record.findFirstOrThrow({ where: { connectionId: scope.connectionId, externalId: "p1" } });
    expect(stored.hash).toBe(prepared.contents[0].hash);
    // What was prepared is what is written, not hashed a second time: a prepared page whose content
    // differs from its records is stored as prepared.
    const other = preparePage(scope, page([["p1", { total: "2.00" }]]));
    await processPage(database.db, { scope, page: fetched, prepared: other, checkpoint: checkpoint("p1"), emitDataEvents: false });
    const again = await database.db.record.findFirstOrThrow({ where: { connectionId: scope.connectionId, externalId: "p1" } });
    expect(again.hash).toBe(other.contents[0].hash);
    expect(again.data).toEqual({ total: "2.00" });
  });
});
