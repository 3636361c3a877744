// Reading records: PRODUCT_NOT_READY before the first batch, force_fetch from the platform meanwhile,
// then keyset pages that return every record exactly once, updated_at bounds, deleted records on
// request, and a clear error naming the field for each bad input.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { PAGE_QUERIES } from "@/lib/platforms/shopify/queries";
import { syncDue } from "./drive";
import { listRecords, ReadError, type RecordQuery, type RecordView } from "./reads";
import { createSyncHarness, type SyncHarness } from "./testing";

describe("reading records", () => {
  let h: SyncHarness;
  let connectionId: string;
  let query: RecordQuery;

  beforeAll(async () => {
    h = await createSyncHarness({ batches: [{ objects: [], fromMonthsAgo: 3, toMonthsAgo: 0 }] });
    connectionId = await h.connect("shopify", { id: "read-shop", size: 3000 });
    query = { organizationId: h.organizationId, environment: "sandbox", connectionId, object: "orders" };
  });
  afterAll(() => h?.close());

  const readAll = async (extra: Partial<RecordQuery>) => {
    const records: RecordView[] = [];
    let pages = 0;
    for (let cursor: string | null = null; ;) {
      const page = await listRecords(h.engine, { ...query, ...extra, cursor });
      records.push(...page.records);
      pages++;
      if (!page.next_cursor) return { records, pages };
      cursor = page.next_cursor;
    }
  };

  it("answers PRODUCT_NOT_READY before the first batch, while force_fetch reads orders from the platform", async () => {
    const error = await listRecords(h.engine, query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadError);
    expect(error).toMatchObject({ code: "PRODUCT_NOT_READY", errorType: "CONNECTION_ERROR" });

    const forced = await readAll({ forceFetch: true });
    expect(forced.records.every((r) => r.object === "orders")).toBe(true);
    expect(forced.records.map((r) => r.id).sort()).toEqual(await h.truth("shopify", "read-shop", "orders"));
    // Page by page from the platform's paginated API (a caller waits on each): never a bulk export's
    // 1,000-record pages, which would start an operation and poll it first.
    expect(forced.pages).toBe(Math.ceil(forced.records.length / PAGE_QUERIES.orders.pageSize));
    expect(await h.database.db.record.count({ where: { connectionId } })).toBe(0); // nothing stored
    await expect(listRecords(h.engine, { ...query, object: "customers", forceFetch: true })).rejects.toMatchObject({
      code: "INVALID_REQUEST",
      field: "force_fetch",
    });
  });

  it("after batch 1, pages through every stored order exactly once", async () => {
    await syncDue(h.engine, connectionId, { maxRuns: 1 });
    const stored = await h.stored(connectionId, "orders");
    expect(stored.length).toBeGreaterThan(100);
    const { records, pages } = await readAll({ limit: 37 });
    expect(records.map((r) => r.id).sort()).toEqual(stored);
    expect(pages).toBe(Math.ceil(stored.length / 37));
    expect(records[0]).toMatchObject({ object: "orders", data: { id: records[0].id }, deleted_at: null });
  });

  it("filters on updated_at and returns deleted records only when asked", async () => {
    await syncDue(h.engine, connectionId); // the rest of the history
    const all = (await readAll({ limit: 500 })).records;
    const middle = all[Math.floor(all.length / 2)].updated_at;
    const newer = (await readAll({ limit: 500, updatedAtMin: new Date(middle) })).records;
    expect(newer.length).toBeGreaterThan(0);
    expect(newer.every((r) => r.updated_at >= middle)).toBe(true);
    expect(newer.length + all.filter((r) => r.updated_at < middle).length).toBe(all.length);

    const [victim] = all;
    await h.database.db.record.updateMany({ where: { connectionId, object: "orders", externalId: victim.id }, data: { deletedAt: new Date() } });
    expect((await readAll({ limit: 500 })).records.map((r) => r.id)).not.toContain(victim.id);
    const withDeleted = (await readAll({ limit: 500, includeDeleted: true })).records;
    expect(withDeleted.find((r) => r.id === victim.id)?.deleted_at).not.toBeNull();
  });

  it("pages in (updated_at, numeric id) order when many records share one timestamp", async () => {
    // Ids of different lengths in one timestamp: ordered as text ("1000" < "999") the keyset would skip and repeat records.
    const ids = await h.database.db.record.aggregate({ where: { connectionId, object: "orders" }, _min: { id: true }, _max: { id: true } });
    expect(String(ids._min.id).length).toBeLessThan(String(ids._max.id).length);
    await h.database.db.record.updateMany({ where: { connectionId, object: "orders" }, data: { lastModifiedAt: new Date("2026-03-01T12:00:00.123Z") } });
    const { records } = await readAll({ limit: 37 });
    expect(records.map((r) => r.id).sort()).toEqual(await h.stored(connectionId, "orders"));
    expect(records.every((r) => r.updated_at === "2026-03-01T12:00:00.123Z")).toBe(true);
  });

  it("names the field of every bad input, and hides other organizations' connections", async () => {
    const field = async (extra: Partial<RecordQuery>) => ((await listRecords(h.engine, { ...query, ...extra }).catch((e: unknown) => e)) as ReadError).field;
    expect(await field({ object: "invoices" })).toBe("object");
    expect(await field({ limit: 0 })).toBe("limit");
    expect(await field({ limit: 501 })).toBe("limit");
    expect(await field({ cursor: "not-a-cursor" })).toBe("cursor");
    expect(await field({ updatedAtMin: new Date("2026-02-01"), updatedAtMax: new Date("2026-01-01") })).toBe("updated_at_min");
    const other = await createOrganizationWithOwner(h.database.db, {
      name: "Other",
      slug: "other-org",
      owner: { email: "other@example.com", name: "O", passwordHash: "x" },
    });
    await expect(listRecords(h.engine, { ...query, organizationId: other.organization.id })).rejects.toMatchObject({ code: "CONNECTION_NOT_FOUND" });
    await expect(listRecords(h.engine, { ...query, environment: "production" })).rejects.toMatchObject({ code: "CONNECTION_NOT_FOUND" });
  });
});
