// The Shopify connector against the sandbox's GraphQL Admin API emulator over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { COMMERCE } from "@/lib/unified/commerce";
import type { CostBudget, CostOutcome } from "../cost";
import { ConnectorError, type ConnectorContext, type ListRequest, type UnifiedRecord } from "../types";
import { forgetOpenDownloads } from "./bulk";
import { shopifyConnector } from "./connector";

const DAY = 24 * 3600 * 1000;

describe("Shopify connector on the GraphQL emulator", () => {
  let sandbox: SandboxServer;
  let context: ConnectorContext;
  const control = (path: string, method: string, body: unknown) =>
    fetch(`${sandbox.url}/control/accounts${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  async function contextFor(shop: string, extra: Partial<ConnectorContext> = {}): Promise<ConnectorContext> {
    const token = (await (await control(`/shopify/${shop}/tokens`, "POST", {})).json()) as { access_token: string };
    return {
      baseUrl: `${sandbox.url}/shopify/${shop}`,
      credentials: { kind: "oauth", accessToken: token.access_token, refreshToken: null, expiresAt: null, scopes: [] },
      fetch,
      ...extra,
    };
  }

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS });
    await control("", "POST", { platform: "shopify", id: "conn-shop", size: 1500, seed: 4, rate_limited: false });
    context = await contextFor("conn-shop");
  });
  afterAll(() => sandbox?.stop());

  /** Every page of a listing, from its start or from `cursor`. */
  async function listAll(
    request: Omit<ListRequest, "cursor"> & { cursor?: string | null },
    on = context,
  ): Promise<{ records: UnifiedRecord[]; deleted: string[]; pages: number }> {
    const records: UnifiedRecord[] = [];
    const deleted: string[] = [];
    for (let cursor: string | null = request.cursor ?? null, pages = 1; ; pages++) {
      const page = await shopifyConnector.list(on, { ...request, cursor });
      records.push(...page.records);
      deleted.push(...page.deleted);
      if (!page.nextCursor) return { records, deleted, pages };
      cursor = page.nextCursor;
    }
  }

  async function truth(object: string, shop = "conn-shop") {
    const body = (await (await fetch(`${sandbox.url}/control/accounts/shopify/${shop}/ground-truth/${object}`)).json()) as {
      records: { id: number; updated_at: string; deleted: boolean }[];
    };
    return body.records.filter((r) => !r.deleted);
  }

  it("reads every record of every object exactly once, in the unified model, with the numeric ids and the GraphQL node as payload", async () => {
    for (const [object, resource] of [
      ["products", "products"],
      ["collections", "custom_collections"],
      ["customers", "customers"],
      ["orders", "orders"],
    ] as const) {
      const { records } = await listAll({ object });
      const ids = records.map((r) => r.externalId);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual((await truth(resource)).map((r) => String(r.id)).sort());
      for (const record of records) {
        expect(COMMERCE[object].safeParse(record.data).error, `${object} ${record.externalId}`).toBeUndefined();
        expect(record.platformData?.id).toBe(
          `gid://shopify/${{ products: "Product", collections: "Collection", customers: "Customer", orders: "Order" }[object]}/${record.externalId}`,
        );
      }
    }
    const [order] = (await listAll({ object: "orders", window: { start: null, end: new Date(Date.now() - 300 * DAY) } })).records;
    expect(order.data).toMatchObject({ id: order.externalId, currency: expect.any(String), line_items: expect.any(Array) });
    expect((order.data.line_items as unknown[]).length).toBeGreaterThan(0);
    expect(order.updatedAt).toBeInstanceOf(Date);
  });

  it("splits by creation windows without losing or repeating a record", async () => {
    const middle = new Date(Date.now() - 180 * DAY + 123);
    const recent = (await listAll({ object: "orders", window: { start: middle, end: null } })).records;
    const older = (await listAll({ object: "orders", window: { start: null, end: middle } })).records;
    const all = [...recent, ...older].map((r) => r.externalId);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe((await truth("orders")).length);
    expect(recent.length).toBeGreaterThan(0);
    expect(older.length).toBeGreaterThan(0);
  });

  it("lists transactions from their orders, the same ones Shopify lists per order, each pointing at its order", async () => {
    const end = new Date(Date.now() - 330 * DAY);
    const { records } = await listAll({ object: "transactions", window: { start: null, end } });
    const orders = (await listAll({ object: "orders", window: { start: null, end } })).records;
    expect(orders.length).toBeGreaterThan(0);
    // The REST Admin API's per-order listing is an independent reading of the same transactions.
    const expected: string[] = [];
    for (const order of orders) {
      const response = await fetch(`${sandbox.url}/shopify/conn-shop/admin/api/2024-10/orders/${order.externalId}/transactions.json`, {
        headers: { "X-Shopify-Access-Token": (context.credentials as { accessToken: string }).accessToken },
      });
      const body = (await response.json()) as { transactions: { id: number; order_id: number }[] };
      expected.push(...body.transactions.map((t) => `${t.order_id}/${t.id}`));
    }
    expect(records.map((r) => `${String(r.data.order_id)}/${r.externalId}`).sort()).toEqual(expected.sort());
    for (const record of records) expect(COMMERCE.transactions.safeParse(record.data).error).toBeUndefined();
  });

  it("takes each query's requested cost before sending it and settles what Shopify reported", async () => {
    const taken: number[] = [];
    const settled: CostOutcome[] = [];
    const reported: number[] = [];
    const cost: CostBudget = {
      async take(points) {
        taken.push(points);
        return { points, settle: (outcome) => void settled.push(outcome), throttled: () => new ConnectorError("rate_limited", "throttled") };
      },
    };
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const body = (await response.clone().json()) as { extensions?: { cost?: { requestedQueryCost: number } } };
      reported.push(body.extensions?.cost?.requestedQueryCost ?? -1);
      return response;
    };
    const metered = { ...context, cost, fetch: recording };
    for (const object of ["products", "collections", "customers", "orders", "transactions"]) await shopifyConnector.list(metered, { object, cursor: null });
    await listAll({ object: "products", updatedSince: new Date(Date.now() - DAY) }, metered);
    // The connector's own calculation is Shopify's, and stays well under the 1,000-point maximum.
    expect(taken).toEqual(reported);
    expect(Math.max(...taken)).toBeLessThanOrEqual(800);
    expect(settled).toHaveLength(taken.length);
    expect(settled.every((s) => typeof s.actual === "number" && s.actual <= taken[settled.indexOf(s)] && s.throttleStatus !== null)).toBe(true);
  });

  it("reads a product's variants and an order's line items past the page that came with the record", async () => {
    const [product] = await truth("products");
    const [order] = await truth("orders");
    const variants = Array.from({ length: 30 }, (_, i) => ({
      id: 990_000_000 + i,
      title: `Size ${i}`,
      sku: `SKU-${i}`,
      price: "10.00",
      inventory_quantity: i,
      position: i + 1,
    }));
    const lines = Array.from({ length: 8 }, (_, i) => ({
      id: 980_000_000 + i,
      title: `Line ${i}`,
      name: `Line ${i}`,
      quantity: 1,
      price: "5.00",
      sku: null,
      product_id: product.id,
      variant_id: 990_000_000 + i,
    }));
    const since = new Date(Date.now() - 1000);
    await control("/shopify/conn-shop/changes", "POST", {
      operations: [
        { op: "update", object: "products", id: product.id, data: { variants } },
        { op: "update", object: "orders", id: order.id, data: { line_items: lines } },
      ],
    });
    const products = await shopifyConnector.list(context, { object: "products", cursor: null, updatedSince: since });
    const read = products.records.find((r) => r.externalId === String(product.id))!;
    expect((read.data.variants as { id: string }[]).map((v) => v.id)).toEqual(variants.map((v) => String(v.id)));
    expect(products.requests).toBe(2);
    const orders = await shopifyConnector.list(context, { object: "orders", cursor: null, updatedSince: since });
    const readOrder = orders.records.find((r) => r.externalId === String(order.id))!;
    expect((readOrder.data.line_items as { id: string; variant_id: string }[]).map((l) => [l.id, l.variant_id])).toEqual(
      lines.map((l) => [String(l.id), String(l.variant_id)]),
    );
    expect(COMMERCE.orders.safeParse(readOrder.data).error).toBeUndefined();
    expect(orders.requests).toBe(2);
  });

  it("finds exactly the records changed since a time, and the products and collections Shopify reports deleted", async () => {
    // Shopify filters to the second, so keep a whole second between the account's history, `since`
    // and the changes: the connector rounds `since` down, which may only ever add records.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const changes = (await (await control("/shopify/conn-shop/changes", "POST", { random: 60, seed: 2 })).json()) as {
      changes: { kind: string; object: string; id: number }[];
    };
    const [product] = await truth("products");
    const [collection] = await truth("custom_collections");
    await control("/shopify/conn-shop/changes", "POST", {
      operations: [
        { op: "delete", object: "products", id: product.id },
        { op: "delete", object: "custom_collections", id: collection.id },
      ],
    });
    const deletedIds = new Set([
      ...changes.changes.filter((c) => c.kind === "deleted").map((c) => `${c.object}/${c.id}`),
      `products/${product.id}`,
      `custom_collections/${collection.id}`,
    ]);
    for (const [object, resource] of [
      ["orders", "orders"],
      ["customers", "customers"],
      ["products", "products"],
      ["collections", "custom_collections"],
    ] as const) {
      const expected = new Set(changes.changes.filter((c) => c.object === resource && !deletedIds.has(`${c.object}/${c.id}`)).map((c) => String(c.id)));
      const found = await listAll({ object, updatedSince: since });
      expect(found.records.map((r) => r.externalId).sort(), object).toEqual([...expected].sort());
      const reported = [...deletedIds].filter((key) => key.startsWith(`${resource}/`)).map((key) => key.split("/")[1]);
      // Shopify lists deletions of products and collections only; customers' and orders' come by webhook.
      expect(found.deleted.sort(), object).toEqual(object === "products" || object === "collections" ? reported.sort() : []);
    }
  });

  it("answers THROTTLED with a rate limit that waits for the missing points", async () => {
    // An 800-point bucket restoring 40 a second: an orders page (722 requested) leaves too few for another.
    await control("", "POST", { platform: "shopify", id: "small-shop", size: 300, seed: 3, rate_limited: true, rate_limit_scale: 0.4 });
    const small = await contextFor("small-shop");
    await shopifyConnector.list(small, { object: "orders", cursor: null });
    const error = await shopifyConnector.list(small, { object: "orders", cursor: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe("rate_limited");
    expect((error as ConnectorError).options.retryAfterMs).toBeGreaterThan(1000);
    expect((error as ConnectorError).options.retryAfterMs).toBeLessThanOrEqual(722_000 / 40);
  });

  it("starts a listing again from a cursor it cannot read", async () => {
    const first = await shopifyConnector.list(context, { object: "customers", cursor: null });
    const again = await shopifyConnector.list(context, { object: "customers", cursor: "eyJsYXN0X2lkIjoxfQ" });
    expect(again.records.map((r) => r.externalId)).toEqual(first.records.map((r) => r.externalId));
  });

  it("gives back the points of a query refused before it ran (429), so the bucket does not wait for them", async () => {
    const settled: CostOutcome[] = [];
    const cost: CostBudget = {
      take: async (points) => ({ points, settle: (outcome) => void settled.push(outcome), throttled: () => new ConnectorError("rate_limited", "throttled") }),
    };
    await control("/shopify/conn-shop/faults", "PUT", { burst_429: 1 });
    const error = await shopifyConnector.list({ ...context, cost }, { object: "orders", cursor: null }).catch((e: unknown) => e);
    expect((error as ConnectorError).kind).toBe("rate_limited");
    expect(settled).toEqual([{ actual: null, throttleStatus: null }]);
  });

  it("classifies failures: rate limited with its wait, transient, revoked and closed", async () => {
    const expectKind = async (kind: string) => {
      const error = await shopifyConnector.list(context, { object: "products", cursor: null }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).kind).toBe(kind);
      return error as ConnectorError;
    };
    await control("/shopify/conn-shop/faults", "PUT", { burst_429: 1 });
    expect((await expectKind("rate_limited")).options.retryAfterMs).toBe(1000);
    await control("/shopify/conn-shop/faults", "PUT", { error_rate: 1 });
    await expectKind("transient");
    await control("/shopify/conn-shop/faults", "PUT", { error_rate: 0, malformed_rate: 1 });
    await expectKind("transient");
    await control("/shopify/conn-shop/faults", "PUT", { malformed_rate: 0, revoke_tokens: true });
    await expectKind("auth_revoked");
    await control("/shopify/conn-shop/faults", "PUT", { closed: true });
    await expectKind("account_closed");
  });
  describe("bulk operations", () => {
    // A store of their own: the tests above leave conn-shop closed.
    let shop: ConnectorContext;
    beforeAll(async () => {
      await control("", "POST", { platform: "shopify", id: "bulk-shop", size: 1500, seed: 6, rate_limited: false });
      shop = await contextFor("bulk-shop");
    });
    /** A context whose requests are recorded: each GraphQL query's text, and each file download's Range. */
    function recorded(on: ConnectorContext) {
      const queries: string[] = [];
      const downloads: (string | null)[] = [];
      const recording: typeof fetch = async (input, init) => {
        const url = String(input);
        if (url.includes("/bulk-operation-results/")) downloads.push(new Headers(init?.headers).get("range"));
        else queries.push((JSON.parse(String(init?.body)) as { query: string }).query);
        return fetch(input, init);
      };
      return { context: { ...on, fetch: recording }, queries, downloads };
    }
    const runs = (queries: string[]) => queries.filter((query) => query.includes("bulkOperationRunQuery")).length;

    it("reads a window past its first page through one operation, its file streamed in pages over one download", async () => {
      const { context: traced, queries, downloads } = recorded(shop);
      const { records, pages } = await listAll({ object: "orders" }, traced);
      expect(records.map((r) => r.externalId).sort()).toEqual((await truth("orders", "bulk-shop")).map((r) => String(r.id)).sort());
      expect(runs(queries)).toBe(1);
      expect(downloads).toEqual([null]);
      // The first page by query, then the file in pages of 1,000 orders.
      expect(pages).toBeGreaterThan(1);
      for (const record of records) expect(COMMERCE.orders.safeParse(record.data).error, record.externalId).toBeUndefined();
      // An order's line items come back inside it, with the shape a paginated read stores.
      const withLines = records.find((r) => ((r.platformData?.lineItems as { nodes: unknown[] }).nodes.length ?? 0) > 0)!;
      expect(Object.keys(withLines.platformData!.lineItems as object)).toEqual(["nodes"]);
      expect((withLines.data.line_items as unknown[]).length).toBe((withLines.platformData!.lineItems as { nodes: unknown[] }).nodes.length);
    });

    it("resumes from a checkpoint in a new process: the operation is found again and the file read from its byte offset", async () => {
      const { context: traced, downloads } = recorded(shop);
      const first = await shopifyConnector.list(traced, { object: "customers", cursor: null });
      const second = await shopifyConnector.list(traced, { object: "customers", cursor: first.nextCursor, pageSize: 50 });
      expect(second.records).toHaveLength(50);
      forgetOpenDownloads();
      const rest = await listAll({ object: "customers", cursor: second.nextCursor }, traced);
      const ids = [...first.records, ...second.records, ...rest.records].map((r) => r.externalId);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual((await truth("customers", "bulk-shop")).map((r) => String(r.id)).sort());
      const offset = (JSON.parse(second.nextCursor!) as { offset: number }).offset;
      expect(offset).toBeGreaterThan(0);
      expect(downloads).toEqual([null, `bytes=${offset}-`]);
    });

    it("runs an operation that was cancelled again, and pages when the shop's five operations are taken", async () => {
      // A store whose operations run for seconds (1,000 records a second) and whose bucket holds 400 points.
      await control("", "POST", { platform: "shopify", id: "busy-shop", size: 30_000, seed: 5, rate_limited: true, rate_limit_scale: 0.2 });
      const busy = await contextFor("busy-shop");
      const gql = (query: string, variables: Record<string, unknown> = {}) =>
        fetch(`${busy.baseUrl}/admin/api/2026-10/graphql.json`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-shopify-access-token": (busy.credentials as { accessToken: string }).accessToken },
          body: JSON.stringify({ query, variables }),
        }).then((response) => response.json() as Promise<{ data: Record<string, { bulkOperation: { status: string } | null; userErrors: unknown[] }> }>);

      const first = await shopifyConnector.list(busy, { object: "products", cursor: null, pageSize: 10 });
      const { operation } = JSON.parse(first.nextCursor!) as { operation: string };
      const cancelled = await gql(`mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }`, { id: operation });
      expect(cancelled.data.bulkOperationCancel).toEqual({ bulkOperation: { status: "CANCELING" }, userErrors: [] });
      const { context: traced, queries } = recorded(busy);
      const rest = await listAll({ object: "products", cursor: first.nextCursor }, traced);
      expect(runs(queries)).toBe(1);
      const ids = [...first.records, ...rest.records].map((r) => r.externalId);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual((await truth("products", "busy-shop")).map((r) => String(r.id)).sort());

      for (let i = 0; i < 5; i++) {
        const started = await gql(
          `mutation { bulkOperationRunQuery(query: "{ customers { edges { node { id } } } }") { bulkOperation { status } userErrors { code } } }`,
        );
        expect(started.data.bulkOperationRunQuery.userErrors).toEqual([]);
      }
      const page = await shopifyConnector.list(busy, { object: "customers", cursor: null, pageSize: 20 });
      expect(JSON.parse(page.nextCursor!)).toMatchObject({ phase: "records", paged: true });
      const next = await shopifyConnector.list(busy, { object: "customers", cursor: page.nextCursor, pageSize: 20 });
      expect(next.records.map((r) => r.externalId)).not.toContain(page.records[0].externalId);
      expect(JSON.parse(next.nextCursor!)).toMatchObject({ phase: "records", paged: true });
    });

    it("never starts an operation for a read someone waits on, nor for an incremental sync", async () => {
      const { context: traced, queries } = recorded(shop);
      const interactive = await shopifyConnector.list(traced, { object: "orders", cursor: null, interactive: true });
      expect(JSON.parse(interactive.nextCursor!)).toMatchObject({ phase: "records" });
      await shopifyConnector.list(traced, { object: "orders", cursor: null, updatedSince: new Date(Date.now() - 400 * DAY) });
      expect(runs(queries)).toBe(0);
    });
  });
});
