// The data browser's narrowing of a record read: one id (the platform's or Tributary's rec_…), and a
// case-insensitive text search over the object's searchable fields (lib/unified/columns.ts) in which
// the user's % and _ are literal characters, not wildcards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncDue } from "./drive";
import { containsPattern, listRecords, type RecordQuery, type RecordView } from "./reads";
import { createSyncHarness, type SyncHarness } from "./testing";

describe("finding records by id and by text", () => {
  let h: SyncHarness;
  let query: RecordQuery;
  let orders: RecordView[];

  beforeAll(async () => {
    h = await createSyncHarness({ batches: [{ objects: [], fromMonthsAgo: 3, toMonthsAgo: 0 }] });
    const connectionId = await h.connect("shopify", { id: "search-shop", size: 200 });
    await syncDue(h.engine, connectionId, { maxRuns: 1 });
    query = { organizationId: h.organizationId, environment: "sandbox", connectionId, object: "orders", limit: 500 };
    orders = (await listRecords(h.engine, query)).records;
    expect(orders.length).toBeGreaterThan(8);
  }, 300_000);
  afterAll(() => h?.close());

  it("finds one record by the platform's id or by Tributary's record id, and nothing for an unknown one", async () => {
    const target = orders[7];
    expect((await listRecords(h.engine, { ...query, id: target.id })).records.map((r) => r.id)).toEqual([target.id]);
    expect((await listRecords(h.engine, { ...query, id: target.record_id })).records.map((r) => r.id)).toEqual([target.id]);
    expect((await listRecords(h.engine, { ...query, id: `${target.id}0` })).records).toEqual([]);
    // Past the bigint range: no row id, read as a platform id, matching nothing rather than failing.
    expect((await listRecords(h.engine, { ...query, id: "rec_FFFFFFFFFFFFFFFF" })).records).toEqual([]);
  });

  it("matches the searchable fields case-insensitively, and only them", async () => {
    const target = orders[3];
    const email = String(target.data.email);
    const found = await listRecords(h.engine, { ...query, search: email.toUpperCase() });
    expect(found.records.length).toBeGreaterThan(0);
    expect(
      found.records.every(
        (r) => String(r.data.email).toLowerCase().includes(email.toLowerCase()) || String(r.data.order_number).toLowerCase().includes(email.toLowerCase()),
      ),
    ).toBe(true);
    expect(found.records.map((r) => r.id)).toContain(target.id);
    const number = String(target.data.order_number);
    expect((await listRecords(h.engine, { ...query, search: number })).records.map((r) => r.id)).toContain(target.id);
    // The currency is not a searchable field of orders.
    expect(
      (await listRecords(h.engine, { ...query, search: String(target.data.currency) })).records.some(
        (r) => !String(r.data.email).includes(String(target.data.currency)),
      ),
    ).toBe(false);
  });

  it("treats % and _ as the characters they are", async () => {
    expect(containsPattern("50%_off\\")).toBe("%50\\%\\_off\\\\%");
    expect((await listRecords(h.engine, { ...query, search: "%" })).records).toEqual([]);
    expect((await listRecords(h.engine, { ...query, search: "_" })).records).toEqual([]);
  });

  it("refuses a text search on an object without text fields, naming the field", async () => {
    await expect(listRecords(h.engine, { ...query, object: "nope", search: "x" })).rejects.toMatchObject({ code: "INVALID_REQUEST", field: "object" });
  });
});
