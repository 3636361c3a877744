// Shopify's count queries (GraphQL Admin API 2026-10: productsCount, collectionsCount, customersCount,
// ordersCount(query:, limit:) → Count { count precision }, 1 point) in the emulator, and the
// connector's count capability reading them for a run's progress.
import { describe, expect, it } from "vitest";
import { AccountRegistry } from "@/lib/sandbox/accounts";
import type { CostBudget, CostOutcome } from "../cost";
import { ConnectorError, type ConnectorContext, type UnifiedRecord } from "../types";
import { shopifyConnector, SHOPIFY_API_VERSION } from "./connector";
import { handleShopify } from "./sandbox/api";
import { shopify } from "./sandbox/platform";

// Response bodies are Shopify's JSON, read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ANCHOR = Date.UTC(2026, 10, 1);
const DAY = 24 * 3600 * 1000;
const BASE = "https://sandbox.test/shopify/count-shop";
const GRAPHQL = `${BASE}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`;
const COUNTED = { productsCount: "products", collectionsCount: "custom_collections", customersCount: "customers", ordersCount: "orders" } as const;
// Whole seconds, so the window's search terms (to the second) are the window itself.
const WINDOW = { start: new Date(ANCHOR - 200 * DAY), end: new Date(ANCHOR - 90 * DAY) };

function store() {
  // Ten seconds pass per request: the points bucket (2,000, restoring 100 a second) is back to full
  // before each query, so each answer's currentlyAvailable shows that query's own cost.
  let now = ANCHOR + 3_600_000;
  const registry = new AccountRegistry(new Map([["shopify", shopify]]), () => now);
  const account = registry.create({
    platform: "shopify",
    id: "count-shop",
    name: "Count Shop",
    seed: 5,
    size: 900,
    historyMonths: 12,
    rateLimited: true,
    anchor: ANCHOR,
  });
  const { dataset } = account;
  const sent: { query: string; variables: Record<string, unknown> }[] = [];
  // The emulator answers over the Fetch API, as it does behind the sandbox's HTTP server.
  const fetch: typeof globalThis.fetch = async (input, init) => {
    now += 10_000;
    const url = new URL(String(input));
    const body = JSON.parse(String(init?.body)) as { query: string; variables: Record<string, unknown> };
    sent.push(body);
    const request = {
      method: init?.method ?? "GET",
      path: url.pathname.slice(new URL(BASE).pathname.length),
      query: url.searchParams,
      headers: {},
      body,
      baseUrl: BASE,
    };
    const response = handleShopify(request, dataset, { account, notify: () => {} });
    return new Response(JSON.stringify(response.body), { status: response.status, headers: { "content-type": "application/json" } });
  };
  const gql = async (query: string): Promise<Json> => (await fetch(GRAPHQL, { method: "POST", body: JSON.stringify({ query, variables: {} }) })).json();
  const context: ConnectorContext = { baseUrl: BASE, credentials: { kind: "oauth", accessToken: "t", refreshToken: null, expiresAt: null, scopes: [] }, fetch };
  /** The live records of a resource, optionally only those created in [start, end). */
  const truth = (resource: string, window?: { start: Date; end: Date }) =>
    [...dataset.groundTruth(resource)]
      .filter((row) => !row.deleted)
      .filter((row) => {
        if (!window) return true;
        const createdAt = dataset.get(resource, row.id)!.createdAt;
        return createdAt >= window.start.getTime() && createdAt < window.end.getTime();
      }).length;
  return { dataset, gql, context, sent, truth };
}

const searchTerms = (window: { start: Date; end: Date }) =>
  `created_at:>='${window.start.toISOString().slice(0, 19)}Z' AND created_at:<'${window.end.toISOString().slice(0, 19)}Z'`;

describe("Shopify's count queries", () => {
  it("answer { count, precision } with the live records of each object, at 1 point, deletions lowering them", async () => {
    const { dataset, gql, truth } = store();
    for (const [field, resource] of Object.entries(COUNTED)) {
      const answer = await gql(`{ ${field}(limit: null) { count precision } }`);
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({ [field]: { count: truth(resource), precision: "EXACT" } });
      expect(truth(resource)).toBeGreaterThan(0);
      // A Count is one object: Shopify charges 1 point, taken from the bucket and kept.
      expect(answer.extensions.cost).toEqual({
        requestedQueryCost: 1,
        actualQueryCost: 1,
        throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1999, restoreRate: 100 },
      });
    }
    const before = (await gql(`{ ordersCount { count } }`)).data.ordersCount.count;
    const victim = [...dataset.groundTruth("orders")].find((row) => !row.deleted)!;
    dataset.delete("orders", victim.id);
    expect((await gql(`{ ordersCount { count } }`)).data.ordersCount.count).toBe(before - 1);
    expect(before - 1).toBe(truth("orders"));
  });

  it("count what the list with the same search terms returns: a creation window narrows them", async () => {
    const { gql, truth } = store();
    for (const [field, resource] of [
      ["productsCount", "products"],
      ["customersCount", "customers"],
      ["ordersCount", "orders"],
    ] as const) {
      const windowed = truth(resource, WINDOW);
      expect(windowed).toBeGreaterThan(0);
      expect(windowed).toBeLessThan(truth(resource));
      const answer = await gql(`{ ${field}(query: ${JSON.stringify(searchTerms(WINDOW))}, limit: null) { count precision } }`);
      expect(answer.data[field]).toEqual({ count: windowed, precision: "EXACT" });
      expect(answer.extensions.search).toBeUndefined();
    }
    // The list the count stands for, through the same terms.
    const listed = await gql(`{ orders(first: 250, query: ${JSON.stringify(searchTerms(WINDOW))}) { nodes { id } pageInfo { hasNextPage } } }`);
    expect(listed.data.orders.pageInfo.hasNextPage).toBe(false);
    expect(listed.data.orders.nodes).toHaveLength(truth("orders", WINDOW));
  });

  it("stop at `limit`, 10,000 unless null, and say AT_LEAST when they reach it", async () => {
    const { gql, truth } = store();
    expect((await gql(`{ ordersCount(limit: 5) { count precision } }`)).data.ordersCount).toEqual({ count: 5, precision: "AT_LEAST" });
    expect((await gql(`{ ordersCount(query: ${JSON.stringify(searchTerms(WINDOW))}, limit: 3) { count precision } }`)).data.ordersCount).toEqual({
      count: 3,
      precision: "AT_LEAST",
    });
    // Below the default cap the count is exact.
    expect((await gql(`{ customersCount { count precision } }`)).data.customersCount).toEqual({ count: truth("customers"), precision: "EXACT" });
  });

  it("back the connector's count, uncapped, with the listing's window terms, paid for with 1 point; transactions have none", async () => {
    const { context, sent, truth } = store();
    const taken: number[] = [];
    const settled: CostOutcome[] = [];
    const cost: CostBudget = {
      async take(points) {
        taken.push(points);
        return { points, settle: (outcome) => void settled.push(outcome), throttled: () => new ConnectorError("rate_limited", "throttled") };
      },
    };
    for (const [object, field, resource] of [
      ["products", "productsCount", "products"],
      ["collections", "collectionsCount", "custom_collections"],
      ["customers", "customersCount", "customers"],
      ["orders", "ordersCount", "orders"],
    ] as const) {
      sent.length = 0;
      expect(await shopifyConnector.count!({ ...context, cost }, { object })).toBe(truth(resource));
      expect(sent).toHaveLength(1);
      expect(sent[0].query).toContain(`${field}(query: $query, limit: null) { count precision }`);
      expect(sent[0].variables).toEqual({ query: null });
    }
    expect(taken).toEqual([1, 1, 1, 1]);
    expect(settled.map((outcome) => outcome.actual)).toEqual([1, 1, 1, 1]);

    for (const [object, resource] of [
      ["products", "products"],
      ["customers", "customers"],
      ["orders", "orders"],
    ] as const) {
      sent.length = 0;
      expect(await shopifyConnector.count!(context, { object, window: WINDOW })).toBe(truth(resource, WINDOW));
      expect(sent.map((body) => body.variables)).toEqual([{ query: searchTerms(WINDOW) }]);
    }
    // Collections carry no creation time: their listing takes no window, and neither does their count.
    sent.length = 0;
    expect(await shopifyConnector.count!(context, { object: "collections", window: WINDOW })).toBe(truth("custom_collections"));
    expect(sent.map((body) => body.variables)).toEqual([{ query: null }]);

    sent.length = 0;
    expect(await shopifyConnector.count!(context, { object: "transactions" })).toBeNull();
    expect(await shopifyConnector.count!(context, { object: "transactions", window: WINDOW })).toBeNull();
    expect(sent).toHaveLength(0);
  });

  it("match what the connector then lists in the same window", async () => {
    const { context } = store();
    const records: UnifiedRecord[] = [];
    for (let cursor: string | null = null; ;) {
      const page = await shopifyConnector.list(context, { object: "orders", cursor, window: WINDOW, interactive: true });
      records.push(...page.records);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(records.length).toBeGreaterThan(18);
    expect(await shopifyConnector.count!(context, { object: "orders", window: WINDOW })).toBe(records.length);
  });
});
