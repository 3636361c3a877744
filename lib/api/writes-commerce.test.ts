// Commerce writes through the unified API (POST /commerce/{customers,products}, PATCH …/{id}) through
// the route handlers, on a real database, against the Shopify emulator's GraphQL Admin API over HTTP:
// what is created and updated reads back equal from Tributary and from the store, with its events, and
// the next incremental sync finds nothing new; a bad body is a 400 naming the field, Shopify's
// userErrors a 422 naming ours, an id the store does not have a 404.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@/lib/crypto";
import { testDatabaseKinds } from "@/lib/db/testing";
import { syncDue } from "@/lib/sync/drive";
import { callDataRoute, createApiFixtures, nextIncrementalSync, type ApiFixtures } from "./routes.testing";

type Json = Record<string, unknown>;
type Written = { status: number; body: Json & { record?: Json & { data: Json } } };

describe.each(testDatabaseKinds())("commerce writes through the unified API (%s)", (kind) => {
  let api: ApiFixtures;
  let connectionId: string;
  const shop = `write-store-${kind}`;
  const token = `access_write_store_${kind}`;

  beforeAll(async () => {
    api = await createApiFixtures(kind);
    connectionId = await api.h.connect("shopify", { id: shop, size: 200 });
    await api.h.database.db.connection.update({ where: { id: connectionId }, data: { accessTokenHash: hashToken(token) } });
    await syncDue(api.h.engine, connectionId);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  /** A data route call with a positional body (and query), through the writes tests' one helper. */
  const send = async (method: "POST" | "PATCH" | "GET", path: string, body?: unknown, query = "") =>
    (await callDataRoute(api, token, method, path, { body, query })) as Written;
  const live = async (object: string) => (await api.h.truthRows("shopify", shop, object)).filter((row) => !row.deleted).length;
  const onPlatform = (object: string, id: string) => api.h.sandbox.registry.get("shopify", shop)!.dataset.get(object, Number(id))!.data as Json;
  const events = (type: string, externalId: string) => api.h.database.db.event.count({ where: { connectionId, type, externalId } });

  it("creates and updates a customer and a product that read back equal from Tributary and from Shopify; the next sync finds nothing new", async () => {
    const customersBefore = await live("customers");
    const customer = await send("POST", "/commerce/customers", { email: "aroha@example.com", first_name: "Aroha", last_name: "Ngata", phone: "+64215550123" });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    const customerId = String(customer.body.record!.id);
    expect(customer.body.record!.data).toMatchObject({
      email: "aroha@example.com",
      first_name: "Aroha",
      phone: "+64215550123",
      orders_count: 0,
      total_spent: "0.00",
    });
    expect(await live("customers")).toBe(customersBefore + 1);
    expect(onPlatform("customers", customerId)).toMatchObject({ email: "aroha@example.com", first_name: "Aroha" });
    const renamed = await send("PATCH", `/commerce/customers/${customerId}`, { last_name: "Ngata-Smith" });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.record!.data).toMatchObject({ email: "aroha@example.com", last_name: "Ngata-Smith" });
    expect([await events("CUSTOMER_CREATED", customerId), await events("CUSTOMER_UPDATED", customerId)]).toEqual([1, 1]);

    const product = await send("POST", "/commerce/products", { title: "Harakeke Tote", vendor: "Kete Co", status: "draft", tags: ["woven"] });
    expect(product.status, JSON.stringify(product.body)).toBe(201);
    const productId = String(product.body.record!.id);
    expect(product.body.record!.data).toMatchObject({
      title: "Harakeke Tote",
      vendor: "Kete Co",
      status: "draft",
      tags: ["woven"],
      variants: [{ title: "Default Title", price: "0.00" }],
    });
    const published = await send("PATCH", `/commerce/products/${productId}`, { status: "active" });
    expect(published.body.record!.data).toMatchObject({ title: "Harakeke Tote", status: "active" });
    expect(onPlatform("products", productId)).toMatchObject({ title: "Harakeke Tote", status: "active" });

    const read = await send("GET", "/commerce/products", undefined, "&limit=500");
    expect((read.body.products as Json[]).find((row) => row.id === productId)).toEqual(published.body.record);

    const before = await api.h.database.db.event.count({ where: { connectionId, externalId: { in: [customerId, productId] } } });
    const stats = await nextIncrementalSync(api, connectionId);
    for (const object of ["customers", "products"]) {
      expect(stats.objects[object], object).toMatchObject({ created: 0, updated: 0 });
      expect(stats.objects[object].unchanged, object).toBeGreaterThanOrEqual(1);
    }
    expect(await api.h.database.db.event.count({ where: { connectionId, externalId: { in: [customerId, productId] } } })).toBe(before);
  }, 120_000);

  it("names the field of a bad body, answers Shopify's userErrors as 422 naming ours, and an unknown id as 404", async () => {
    expect(await send("POST", "/commerce/customers", { phone: "555" })).toMatchObject({ status: 400, body: { field: "phone" } });
    expect(await send("POST", "/commerce/customers", {})).toMatchObject({ status: 400, body: { field: "email" } });
    expect(await send("POST", "/commerce/products", { vendor: "x" })).toMatchObject({ status: 400, body: { field: "title" } });
    const taken = String(
      onPlatform("customers", (await api.h.database.db.record.findFirstOrThrow({ where: { connectionId, object: "customers" } })).externalId).email,
    );
    expect(await send("POST", "/commerce/customers", { email: taken })).toMatchObject({
      status: 422,
      body: { error_code: "PLATFORM_REFUSED_WRITE", error_message: "Email has already been taken", field: "email" },
    });
    expect(await send("PATCH", "/commerce/products/1", { title: "x" })).toMatchObject({ status: 404 });
    expect(await send("POST", "/commerce/orders", { note: "x" })).toMatchObject({ status: 404 });
  }, 60_000);
});
