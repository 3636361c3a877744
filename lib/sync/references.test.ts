// Records as they are served: each with Tributary's record id, each reference followed by the record
// id of the record it names (one statement a page, however many records), data that meets the
// object's served model, and the platform's own payload on request.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rawPool } from "@/lib/db/client";
import { PLATFORM_CATALOG } from "@/lib/platforms/catalog";
import { RECORD_ID_PATTERN, servedModel } from "@/lib/unified";
import { syncDue } from "./drive";
import { listRecords, type RecordQuery, type RecordView } from "./reads";
import { createSyncHarness, type SyncHarness } from "./testing";

describe("served records and their references", () => {
  let h: SyncHarness;
  const connections: Record<string, string> = {};

  beforeAll(async () => {
    h = await createSyncHarness({});
    for (const platform of ["shopify", "quickbooks"]) {
      connections[platform] = await h.connect(platform, { id: `refs-${platform}`, size: 600 });
      await syncDue(h.engine, connections[platform]);
    }
  }, 120_000);
  afterAll(() => h?.close());

  const readAll = async (platform: string, object: string, extra: Partial<RecordQuery> = {}) => {
    const records: RecordView[] = [];
    for (let cursor: string | null = null; ;) {
      const page = await listRecords(h.engine, {
        organizationId: h.organizationId,
        environment: "sandbox",
        connectionId: connections[platform],
        object,
        limit: 500,
        ...extra,
        cursor,
      });
      records.push(...page.records);
      if (!page.next_cursor) return records;
      cursor = page.next_cursor;
    }
  };

  it("serves every object's records with a record id and data that meets the object's served model", async () => {
    for (const platform of Object.keys(connections)) {
      const { category, objects } = PLATFORM_CATALOG.find((p) => p.key === platform)!;
      for (const { key: object } of objects) {
        const records = await readAll(platform, object);
        expect(records.length, `${platform} ${object}`).toBeGreaterThan(0);
        const model = servedModel(category, object)!;
        const problems = records.flatMap((r) => {
          const parsed = model.safeParse(r.data);
          return parsed.success ? [] : [`${object} ${r.id}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`];
        });
        expect(problems.slice(0, 5)).toEqual([]);
        expect(records.every((r) => RECORD_ID_PATTERN.test(r.record_id ?? ""))).toBe(true);
        expect(new Set(records.map((r) => r.record_id)).size).toBe(records.length);
        expect(records.every((r) => !("platform_data" in r))).toBe(true);
      }
    }
  });

  it("gives each reference the record id of the record it names, null where Tributary holds none", async () => {
    const recordIds = async (platform: string, object: string) => new Map((await readAll(platform, object)).map((r) => [r.id, r.record_id]));
    const customers = await recordIds("shopify", "customers");
    const products = await recordIds("shopify", "products");
    const orders = await readAll("shopify", "orders");
    let named = 0;
    for (const { data } of orders) {
      expect(data.customer_record_id).toBe(data.customer_id === null ? null : (customers.get(data.customer_id as string) ?? null));
      for (const line of data.line_items as Record<string, unknown>[]) expect(line.product_record_id).toBe(products.get(line.product_id as string) ?? null);
      if (data.customer_record_id) named++;
    }
    expect(named).toBeGreaterThan(orders.length / 2);

    const invoices = await recordIds("quickbooks", "invoices");
    const payments = await readAll("quickbooks", "payments");
    for (const { data } of payments) expect(data.invoice_record_ids).toEqual((data.invoice_ids as string[]).map((id) => invoices.get(id) ?? null));

    // A customer Tributary no longer holds: the orders naming it keep its platform id, with no record id.
    const order = orders.find((o) => o.data.customer_id !== null)!;
    await h.database.db.record.deleteMany({ where: { connectionId: connections.shopify, object: "customers", externalId: order.data.customer_id as string } });
    const again = (await readAll("shopify", "orders")).find((o) => o.id === order.id)!;
    expect(again.data).toMatchObject({ customer_id: order.data.customer_id, customer_record_id: null });
  });

  it("reads a page with one statement for its references, however many records and references it has", async () => {
    const pool = rawPool(h.database.db);
    const query = vi.spyOn(pool, "query");
    try {
      const page = await listRecords(h.engine, {
        organizationId: h.organizationId,
        environment: "sandbox",
        connectionId: connections.shopify,
        object: "orders",
        limit: 300,
      });
      expect(page.records.length).toBe(300);
      // The connection, the page, and the record ids of every reference of the page.
      expect(query).toHaveBeenCalledTimes(3);
    } finally {
      query.mockRestore();
    }
  });

  it("adds the platform's own payload with platformData (expand=platform_data)", async () => {
    const [invoice] = await readAll("quickbooks", "invoices", { platformData: true, limit: 1 });
    expect(invoice.platform_data).toMatchObject({ Id: invoice.id, TotalAmt: expect.any(Number), MetaData: expect.any(Object) });
    const [order] = await readAll("shopify", "orders", { platformData: true });
    // Shopify's payload is the GraphQL Admin API's node, with its gid.
    expect(order.platform_data).toMatchObject({
      id: `gid://shopify/Order/${order.id}`,
      lineItems: { nodes: expect.any(Array) },
      totalPriceSet: { shopMoney: expect.any(Object) },
    });
  });

  it("stores every object's payloads compactly, each read back as the platform sent it", async () => {
    for (const platform of Object.keys(connections)) {
      const { objects } = PLATFORM_CATALOG.find((p) => p.key === platform)!;
      for (const { key: object } of objects) {
        const records = await readAll(platform, object, { platformData: true });
        expect(
          records.every((r) => r.platform_data !== null),
          `${platform} ${object}`,
        ).toBe(true);
        const json = records.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r.platform_data)), 0);
        const {
          rows: [{ bytes }],
        } = await rawPool(h.engine.db).query<{ bytes: string }>(
          "select sum(octet_length(platform_data)) as bytes from records where connection_id = $1 and object = $2",
          [connections[platform], object],
        );
        // Deflated against the connection's dictionary: a fifth of the JSON or less (jsonb took 1.4 times it).
        expect(Number(bytes) / json, `${platform} ${object}: ${bytes} bytes stored for ${json} of JSON`).toBeLessThan(records.length > 40 ? 0.25 : 0.5);
      }
    }
  });

  it("resolves force-fetched records to the records Tributary holds", async () => {
    const page = await listRecords(h.engine, {
      organizationId: h.organizationId,
      environment: "sandbox",
      connectionId: connections.shopify,
      object: "orders",
      forceFetch: true,
      platformData: true,
    });
    expect(page.force_fetched).toBe(true);
    const stored = new Map((await readAll("shopify", "orders")).map((r) => [r.id, r.record_id]));
    expect(page.records.every((r) => r.record_id === stored.get(r.id))).toBe(true);
    expect(page.records.every((r) => r.platform_data && (r.platform_data as { id: unknown }).id === `gid://shopify/Order/${r.id}`)).toBe(true);
    expect(page.records.some((r) => r.data.customer_record_id)).toBe(true);
  });
});
