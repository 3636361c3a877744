// Platform payloads stored deflated against one dictionary per connection and object: written once with
// the first page, never changed, never cached from a page that rolled back, and gone with the connection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawPool } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { hashToken } from "@/lib/crypto";
import type { ListPage } from "@/lib/platforms/types";
import { decodePayload, dictionaryFrom, encodePayload, loadDictionary } from "./payloads";
import { purgeConnection } from "@/lib/retention/purge";
import { deleteConnection } from "./connections";
import { processPage } from "./process-page";
import type { UpsertScope } from "./sql/upsert-records";

const invoice = (id: number, note: string) => ({
  Id: String(id),
  SyncToken: "0",
  MetaData: { CreateTime: "2026-10-01T10:00:00-07:00", LastUpdatedTime: "2026-10-02T10:00:00-07:00" },
  DocNumber: `INV-${id}`,
  CustomerRef: { value: String(id % 7), name: `Customer ${id % 7}` },
  Line: [{ Id: "1", Amount: id * 1.5, DetailType: "SalesItemLineDetail", SalesItemLineDetail: { ItemRef: { value: "3", name: "Widget" }, Qty: id % 5 } }],
  TotalAmt: id * 1.5,
  PrivateNote: note,
});

describe("encoding a payload", () => {
  it("reads back exactly what it stored, deflated or plain, and refuses what it cannot read", () => {
    const dictionary = dictionaryFrom([1, 2, 3, 4, 5].map((id) => JSON.stringify(invoice(id, "x"))));
    expect(dictionary.length).toBeLessThanOrEqual(2048);
    const payload = invoice(42, "ünïcode ✓");
    const deflated = encodePayload(JSON.stringify(payload), dictionary);
    expect(decodePayload(deflated, dictionary)).toEqual(payload);
    expect(deflated.length).toBeLessThan(JSON.stringify(payload).length / 4);
    // What the migration from jsonb wrote: the JSON text behind a zero byte.
    expect(decodePayload(Buffer.concat([Buffer.of(0), Buffer.from(JSON.stringify(payload))]), null)).toEqual(payload);
    expect(() => decodePayload(deflated, null)).toThrow(/no dictionary/);
    expect(() => decodePayload(Buffer.of(9, 1, 2), dictionary)).toThrow(/encoding 9/);
  });
});

describe.each(testDatabaseKinds())("payload dictionaries on %s", (kind) => {
  let database: TestDatabase;
  let organizationId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    ({
      organization: { id: organizationId },
    } = await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: { email: "a@example.com", name: "A", passwordHash: "x" } }));
  });
  afterAll(() => database?.close());

  const connection = async (): Promise<UpsertScope> => {
    const connectionId = newId("conn");
    await database.db.connection.create({
      data: { id: connectionId, organizationId, environment: "sandbox", platform: "quickbooks", accessTokenHash: hashToken(connectionId) },
    });
    const syncRunId = newId("run");
    await database.db.syncRun.create({
      data: { id: syncRunId, organizationId, environment: "sandbox", connectionId, kind: "incremental", objects: ["invoices"] },
    });
    return { organizationId, environment: "sandbox", connectionId, object: "invoices", syncRunId };
  };
  const page = (ids: number[], note: string): ListPage => ({
    records: ids.map((id) => ({
      externalId: String(id),
      data: { id: String(id), note },
      platformData: invoice(id, note),
      updatedAt: new Date("2026-11-01T00:00:00Z"),
    })),
    nextCursor: null,
    deleted: [],
    requests: 1,
  });
  const checkpoint = { cursor: null, windowStart: null, windowEnd: null, completed: false };
  const dictionaries = (connectionId: string) => database.db.payloadDictionary.findMany({ where: { connectionId } });
  const readBack = async (scope: UpsertScope) => {
    const rows = await database.db.record.findMany({ where: { connectionId: scope.connectionId }, orderBy: { id: "asc" } });
    const dictionary = await loadDictionary(rawPool(database.db), scope);
    return rows.map((row) => decodePayload(Buffer.from(row.platformData!), dictionary));
  };

  it("writes one dictionary per connection and object with the first page, and keeps it as later pages come", async () => {
    const scope = await connection();
    await processPage(database.db, { scope, page: page([1, 2, 3, 4, 5, 6], "first"), checkpoint, emitDataEvents: false });
    const [written] = await dictionaries(scope.connectionId);
    expect(Buffer.from(written.dictionary).toString()).toContain('"PrivateNote":"first"');
    await processPage(database.db, { scope, page: page([7, 8, 9], "second"), checkpoint, emitDataEvents: false });
    expect(await dictionaries(scope.connectionId)).toEqual([written]);
    expect(await readBack(scope)).toEqual([...[1, 2, 3, 4, 5, 6].map((id) => invoice(id, "first")), ...[7, 8, 9].map((id) => invoice(id, "second"))]);
    // Another connection of the same platform gets its own, from its own data.
    const other = await connection();
    await processPage(database.db, { scope: other, page: page([1], "another account"), checkpoint, emitDataEvents: false });
    expect(Buffer.from((await dictionaries(other.connectionId))[0].dictionary).toString()).toContain("another account");
    expect(await readBack(other)).toEqual([invoice(1, "another account")]);
  });

  it("deflates a large page on its worker thread to the same bytes as in place, and reads it back", async () => {
    const scope = await connection();
    const ids = Array.from({ length: 300 }, (_, i) => i + 1);
    await processPage(database.db, { scope, page: page(ids.slice(0, 5), "first"), checkpoint, emitDataEvents: false });
    await processPage(database.db, { scope, page: page(ids.slice(5), "large"), checkpoint, emitDataEvents: false });
    const dictionary = (await loadDictionary(rawPool(database.db), scope))!;
    const rows = await database.db.record.findMany({ where: { connectionId: scope.connectionId, externalId: { in: ["6", "300"] } }, orderBy: { id: "asc" } });
    expect(rows.map((row) => Buffer.from(row.platformData!))).toEqual([6, 300].map((id) => encodePayload(JSON.stringify(invoice(id, "large")), dictionary)));
    expect((await readBack(scope)).slice(5)).toEqual(ids.slice(5).map((id) => invoice(id, "large")));
  });

  it("stores no payload and writes no dictionary where the environment does not keep them", async () => {
    const scope = await connection();
    await processPage(database.db, { scope, page: page([1, 2], "kept"), checkpoint, emitDataEvents: false });
    const other = await connection();
    await processPage(database.db, { scope: other, page: page([1, 2], "not kept"), checkpoint, emitDataEvents: false, keepPlatformData: false });
    expect(await database.db.record.findMany({ where: { connectionId: other.connectionId }, select: { platformData: true } })).toEqual([
      { platformData: null },
      { platformData: null },
    ]);
    expect(await dictionaries(other.connectionId)).toEqual([]);
    // A record written while payloads are not kept loses the one it had: none is served stale.
    await processPage(database.db, { scope, page: page([2], "changed"), checkpoint, emitDataEvents: false, keepPlatformData: false });
    const rows = await database.db.record.findMany({
      where: { connectionId: scope.connectionId },
      orderBy: { id: "asc" },
      select: { externalId: true, platformData: true },
    });
    expect(rows.map((row) => [row.externalId, row.platformData === null])).toEqual([
      ["1", false],
      ["2", true],
    ]);
  });

  it("forgets the dictionary of a page that rolled back: the next page's payloads are read with the one it commits", async () => {
    const scope = await connection();
    await expect(
      processPage(database.db, { scope: { ...scope, syncRunId: "run_does_not_exist" }, page: page([1, 2], "rolled back"), checkpoint, emitDataEvents: false }),
    ).rejects.toThrow();
    expect(await dictionaries(scope.connectionId)).toEqual([]);
    await processPage(database.db, { scope, page: page([3, 4], "committed"), checkpoint, emitDataEvents: false });
    expect(Buffer.from((await dictionaries(scope.connectionId))[0].dictionary).toString()).toContain("committed");
    expect(await readBack(scope)).toEqual([invoice(3, "committed"), invoice(4, "committed")]);
  });

  it("deletes a connection's dictionaries with the connection's records (they hold its data too)", async () => {
    const scope = await connection();
    await processPage(database.db, { scope, page: page([1], "gone"), checkpoint, emitDataEvents: false });
    expect(await dictionaries(scope.connectionId)).toHaveLength(1);
    await deleteConnection(database.db, scope.connectionId);
    await purgeConnection(database.db, scope.connectionId);
    expect(await dictionaries(scope.connectionId)).toEqual([]);
  });
});
