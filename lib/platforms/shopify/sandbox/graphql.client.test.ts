// The GraphQL Admin API emulator judged by Shopify's own client, @shopify/admin-api-client (2.0.0) and
// its createAdminApiClient, over real HTTP, against the store's ground truth (the control API's).
// The client builds https://{shop}.myshopify.com/admin/api/{version}/graphql.json; its customFetchApi
// hook sends that to {sandbox}/shopify/{shop}/…, as client.test.ts does for REST.
import { createHmac } from "node:crypto";
import { createAdminApiClient, type AdminApiClient } from "@shopify/admin-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";

// Response bodies are Shopify's JSON, read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const VERSION = "2026-10";

describe("Shopify GraphQL emulator with @shopify/admin-api-client", () => {
  let sandbox: SandboxServer;
  const webhooks: { url: string; headers: Record<string, string>; body: string }[] = [];
  let fetchCalls = 0;

  const control = async (path: string, method: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/control/accounts${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Json;
  };

  beforeAll(async () => {
    sandbox = await startSandboxServer({
      platforms: SANDBOX_PLATFORMS,
      fetch: async (url, init) => {
        webhooks.push({ url: String(url), headers: init?.headers as Record<string, string>, body: String(init?.body) });
        return new Response("ok");
      },
    });
    await control("", "POST", { platform: "shopify", id: "acme", size: 1500, seed: 7, rate_limited: false });
  });
  afterAll(() => sandbox?.stop());

  async function client(shop: string, retries = 0): Promise<{ shopify: AdminApiClient; secret: string }> {
    const { access_token, client_secret } = (await control(`/shopify/${shop}/tokens`, "POST", { client_secret: `secret-${shop}` })) as Json;
    const shopify = createAdminApiClient({
      storeDomain: `${shop}.myshopify.com`,
      apiVersion: VERSION,
      accessToken: access_token,
      retries,
      customFetchApi: (url, init) => {
        fetchCalls++;
        const target = new URL(String(url));
        const shopHost = /^([a-z0-9-]+)\.myshopify\.com$/.exec(target.hostname);
        return fetch(shopHost ? `${sandbox.url}/shopify/${shopHost[1]}${target.pathname}${target.search}` : target, init);
      },
    });
    return { shopify, secret: client_secret };
  }

  const truth = async (shop: string, object: string): Promise<{ id: number; updated_at: string; deleted: boolean }[]> =>
    (await control(`/shopify/${shop}/ground-truth/${object}`, "GET")).records;
  const numericId = (gid: string) => Number(gid.split("/").pop());

  it("pages a whole object with first/after and pageInfo, finding exactly the live records, with the cost Shopify charges", async () => {
    // A deletion and a creation, so the ground truth is not just the seed.
    await control("/shopify/acme/changes", "POST", {
      operations: [
        { op: "delete", object: "products", id: 8_000_000_000_003 },
        { op: "create", object: "products", data: { title: "New hat", status: "active", variants: [] } },
      ],
    });
    const { shopify } = await client("acme");
    const ids: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const response: Json = await shopify.request(
        `query Page($after: String) { products(first: 50, after: $after) { edges { cursor node { id title } } pageInfo { hasNextPage endCursor } } }`,
        { variables: { after } },
      );
      expect(response.errors).toBeUndefined();
      const connection = response.data.products;
      ids.push(...connection.edges.map((edge: Json) => numericId(edge.node.id)));
      // 2 + 50 × 1, refunded down to what came back.
      expect(response.extensions.cost.requestedQueryCost).toBe(52);
      expect(response.extensions.cost.actualQueryCost).toBe(2 + connection.edges.length);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    const live = (await truth("acme", "products")).filter((row) => !row.deleted).map((row) => row.id);
    expect(ids).toEqual(live);
    expect(ids).not.toContain(8_000_000_000_003);
  });

  it("filters orders with the search syntax and sorts them by UPDATED_AT, as the ground truth says", async () => {
    const { shopify } = await client("acme");
    const rows = await truth("acme", "orders");
    const cut = rows.map((row) => Date.parse(row.updated_at)).sort((a, b) => a - b)[Math.floor(rows.length / 2)];
    const since = new Date(Math.floor(cut / 1000) * 1000).toISOString().replace(".000Z", "Z");
    const expected = rows.filter((row) => !row.deleted && Math.floor(Date.parse(row.updated_at) / 1000) * 1000 > Date.parse(since));
    const seen: { id: number; updatedAt: string }[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const response: Json = await shopify.request(
        `query($after: String, $q: String) { orders(first: 100, after: $after, sortKey: UPDATED_AT, query: $q) { nodes { id updatedAt } pageInfo { hasNextPage endCursor } } }`,
        { variables: { after, q: `updated_at:>'${since}'` } },
      );
      seen.push(...response.data.orders.nodes.map((node: Json) => ({ id: numericId(node.id), updatedAt: node.updatedAt })));
      if (!response.data.orders.pageInfo.hasNextPage) break;
      after = response.data.orders.pageInfo.endCursor;
    }
    expect(seen.map((s) => s.id).sort()).toEqual(expected.map((row) => row.id).sort());
    expect(seen.map((s) => s.updatedAt)).toEqual([...seen.map((s) => s.updatedAt)].sort());
  });

  it("counts orders, customers, products and collections (uncapped with limit: null, capped AT_LEAST otherwise), orders by the search syntax", async () => {
    const { shopify } = await client("acme");
    const live = async (object: string) => (await truth("acme", object)).filter((row) => !row.deleted);
    const response: Json = await shopify.request(
      `{ orders: ordersCount(limit: null) { count precision } customers: customersCount(limit: null) { count precision } products: productsCount(limit: null) { count precision } collections: collectionsCount(limit: null) { count precision } capped: ordersCount(limit: 10) { count precision } }`,
    );
    expect(response.errors).toBeUndefined();
    // The store's collections are its custom collections in the ground truth.
    for (const [object, resource] of [
      ["orders", "orders"],
      ["customers", "customers"],
      ["products", "products"],
      ["collections", "custom_collections"],
    ]) {
      expect(response.data[object], object).toEqual({ count: (await live(resource)).length, precision: "EXACT" });
    }
    expect(response.data.capped).toEqual({ count: 10, precision: "AT_LEAST" });
    const orders = await live("orders");
    const since = new Date(orders.map((row) => Date.parse(row.updated_at)).sort((a, b) => a - b)[Math.floor(orders.length / 2)])
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
    const filtered: Json = await shopify.request(`query($q: String) { ordersCount(query: $q, limit: null) { count precision } }`, {
      variables: { q: `updated_at:>'${since}'` },
    });
    expect(filtered.data.ordersCount).toEqual({
      count: orders.filter((row) => Math.floor(Date.parse(row.updated_at) / 1000) * 1000 > Date.parse(since)).length,
      precision: "EXACT",
    });
  });

  it("answers errors in Shopify's shape: validation with locations and a code, a cost over 1,000 before running", async () => {
    const { shopify } = await client("acme");
    const invalid: Json = await shopify.request(`{ products(first: 1) { nodes { id colour } } }`);
    expect(invalid.errors.graphQLErrors[0]).toMatchObject({ locations: [{ line: 1, column: 35 }], extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
    const tooDear: Json = await shopify.request(`{ products(first: 250) { nodes { id variants(first: 10) { nodes { id } } } } }`);
    expect(tooDear.errors.graphQLErrors[0].extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", cost: 2 + 250 * (1 + 2 + 10), maxCost: 1000 });
    const missing: Json = await shopify.request(`{ products { nodes { id } } }`);
    expect(missing.errors.graphQLErrors[0]).toMatchObject({ message: "you must provide one of first or last", path: ["products"] });
  });

  it("throttles when the bucket cannot hold the requested cost: HTTP 200 with THROTTLED, which the client returns without retrying", async () => {
    // A twentieth of the Standard plan: a 100-point bucket restoring 5 points a second.
    await control("", "POST", { platform: "shopify", id: "slow", size: 300, seed: 2, rate_limited: true, rate_limit_scale: 0.05 });
    const { shopify } = await client("slow", 3);
    const query = `{ customers(first: 60) { nodes { id } } }`;
    const first: Json = await shopify.request(query);
    expect(first.extensions.cost).toMatchObject({ requestedQueryCost: 62, actualQueryCost: 62, throttleStatus: { maximumAvailable: 100, restoreRate: 5 } });
    expect(first.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(38);
    const before = fetchCalls;
    const throttled: Json = await shopify.request(query);
    // The client retries 429 and 503 only; Shopify's THROTTLED comes with 200, so it reached us once.
    expect(fetchCalls - before).toBe(1);
    expect(throttled.data).toBeUndefined();
    expect(throttled.errors.graphQLErrors).toEqual([
      { message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } },
    ]);
    expect(throttled.extensions.cost).toMatchObject({ requestedQueryCost: 62, actualQueryCost: null });
    expect(throttled.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(62);
    // A query that asked for more than came back is refunded the difference.
    const small: Json = await shopify.request(`{ customers(first: 30, query: "id:>1") { nodes { id } } }`);
    expect(small.extensions.cost.actualQueryCost).toBe(2 + 30);
  });

  it("runs a bulk query to completion, announces it to a webhookSubscriptionCreate subscription, and its JSONL (grouped as asked) is the ground truth with line items after their order", async () => {
    const { shopify, secret } = await client("acme");
    const subscribed: Json = await shopify.request(
      `mutation($topic: WebhookSubscriptionTopic!, $uri: String!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) { webhookSubscription { id topic uri } userErrors { message } } }`,
      {
        variables: { topic: "BULK_OPERATIONS_FINISH", uri: "https://app.example/webhooks/bulk" },
      },
    );
    expect(subscribed.data.webhookSubscriptionCreate).toMatchObject({
      webhookSubscription: { topic: "BULK_OPERATIONS_FINISH", uri: "https://app.example/webhooks/bulk" },
      userErrors: [],
    });

    const bulkQuery = `{ orders { edges { node { id name totalPriceSet { shopMoney { amount currencyCode } } transactions { kind amountSet { shopMoney { amount } } } lineItems { edges { node { id quantity } } } } } } }`;
    const started: Json = await shopify.request(
      `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: true) { bulkOperation { id status } userErrors { field message code } } }`,
      { variables: { q: bulkQuery } },
    );
    expect(started.extensions.cost.requestedQueryCost).toBe(10);
    const { id, status } = started.data.bulkOperationRunQuery.bulkOperation;
    expect(status).toBe("CREATED");
    let operation: Json;
    for (let poll = 0; poll < 200; poll++) {
      operation = (
        await shopify.request(
          `query($id: ID!) { node(id: $id) { ... on BulkOperation { id status objectCount rootObjectCount fileSize url completedAt query } } }`,
          { variables: { id } },
        )
      ).data.node;
      if (operation.status === "COMPLETED") break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(operation.status).toBe("COMPLETED");
    expect(operation.query).toBe(bulkQuery);
    const current: Json = await shopify.request(`{ currentBulkOperation { id status } }`);
    expect(current.data.currentBulkOperation).toEqual({ id, status: "COMPLETED" });

    const download = await fetch(operation.url);
    expect(download.status).toBe(200);
    const text = await download.text();
    expect(Buffer.byteLength(text)).toBe(Number(operation.fileSize));
    const lines = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Json);
    expect(lines.length).toBe(Number(operation.objectCount));
    const roots = lines.filter((line) => line.__parentId === undefined);
    expect(roots.length).toBe(Number(operation.rootObjectCount));
    const live = (await truth("acme", "orders")).filter((row) => !row.deleted).map((row) => row.id);
    expect(roots.map((root) => numericId(root.id))).toEqual(live);
    expect(roots[0]).toMatchObject({
      name: expect.stringMatching(/^#\d+$/),
      totalPriceSet: { shopMoney: { amount: expect.any(String) } },
      transactions: expect.any(Array),
    });
    expect(roots[0]).not.toHaveProperty("lineItems");
    // Every child follows its parent, before the next parent.
    let parent: string | null = null;
    for (const line of lines) {
      if (line.__parentId === undefined) parent = line.id;
      else expect(line.__parentId).toBe(parent);
    }
    expect(lines.length).toBeGreaterThan(roots.length);

    // A download cut off midway resumes with a byte range, as cloud storage serves it.
    const from = Math.floor(Buffer.byteLength(text) / 2);
    const rest = await fetch(operation.url, { headers: { Range: `bytes=${from}-` } });
    expect(rest.status).toBe(206);
    expect(rest.headers.get("content-range")).toBe(`bytes ${from}-${Buffer.byteLength(text) - 1}/${Buffer.byteLength(text)}`);
    expect(Buffer.from(await rest.arrayBuffer()).equals(Buffer.from(text).subarray(from))).toBe(true);
    expect((await fetch(operation.url, { headers: { Range: `bytes=${Buffer.byteLength(text)}-` } })).status).toBe(416);

    // Without groupObjects (false by default since 2026-01) children are not next to their parents.
    const ungrouped: Json = await shopify.request(
      `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }`,
      { variables: { q: bulkQuery } },
    );
    const ungroupedId = ungrouped.data.bulkOperationRunQuery.bulkOperation.id;
    let url: string | null = null;
    await expect
      .poll(
        async () =>
          (url = ((await shopify.request(`query($id: ID!) { node(id: $id) { ... on BulkOperation { url } } }`, { variables: { id: ungroupedId } })) as Json)
            .data.node.url),
      )
      .toBeTruthy();
    const ungroupedLines = (await (await fetch(url!)).text())
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Json);
    expect(ungroupedLines.map((line) => line.id).sort()).toEqual(lines.map((line) => line.id).sort());
    expect(ungroupedLines[1].__parentId).toBeUndefined();

    // One per operation: the grouped one and the ungrouped one.
    await expect.poll(() => webhooks.filter((hook) => hook.url === "https://app.example/webhooks/bulk").length).toBe(2);
    const hook = webhooks.find((h) => h.url === "https://app.example/webhooks/bulk" && h.body.includes(`"${id}"`))!;
    expect(hook.headers["X-Shopify-Topic"]).toBe("bulk_operations/finish");
    expect(hook.headers["X-Shopify-Hmac-Sha256"]).toBe(createHmac("sha256", secret).update(hook.body).digest("base64"));
    expect(JSON.parse(hook.body)).toMatchObject({ admin_graphql_api_id: id, status: "completed", type: "query", error_code: null });
    // Change webhooks do not go to a subscription of another topic.
    await control("/shopify/acme/changes", "POST", { operations: [{ op: "update", object: "orders", id: live[0], data: { note: "x" } }] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(webhooks.filter((h) => h.url === "https://app.example/webhooks/bulk")).toHaveLength(2);
  });

  it("refuses bulk queries Shopify refuses, a sixth concurrent one, and cancels a running one", async () => {
    // 25,000 customers at 5,000 root objects a second: operations stay running while the test looks at them.
    await control("", "POST", { platform: "shopify", id: "busy", size: 100_000, seed: 3, rate_limited: true });
    const { shopify } = await client("busy");
    const run = async (q: string): Promise<Json> =>
      (
        await shopify.request(`mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { field message code } } }`, {
          variables: { q },
        })
      ).data.bulkOperationRunQuery;
    expect((await run(`{ products { nodes { id } } customers { nodes { id } } }`)).userErrors[0]).toMatchObject({ code: "INVALID", field: ["query"] });
    expect((await run(`{ node(id: "gid://shopify/Product/1") { id } }`)).userErrors[0].code).toBe("INVALID");
    expect((await run(`{ products { nodes { id variants { nodes { product { variants { nodes { id } } } } } } } }`)).userErrors[0].message).toMatch(
      /levels deep/,
    );
    expect((await run(`{ products { nodes { id nope } } }`)).userErrors[0].message).toMatch(/nope/);

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const started = await run(`{ customers { nodes { id email } } }`);
      expect(started.userErrors).toEqual([]);
      ids.push(started.bulkOperation.id);
    }
    const sixth = await run(`{ customers { nodes { id } } }`);
    expect(sixth).toEqual({
      bulkOperation: null,
      userErrors: [{ field: null, message: "Bulk operations limit reached. Please try again later.", code: "LIMIT_REACHED" }],
    });

    const running: Json = await shopify.request(`query($id: ID!) { node(id: $id) { ... on BulkOperation { status url } } }`, { variables: { id: ids[0] } });
    expect(running.data.node).toEqual({ status: "RUNNING", url: null });
    for (const id of ids) {
      const cancelled: Json = await shopify.request(`mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }`, {
        variables: { id },
      });
      expect(cancelled.data.bulkOperationCancel).toEqual({ bulkOperation: { status: "CANCELING" }, userErrors: [] });
    }
    await expect
      .poll(
        async () =>
          ((await shopify.request(`query($id: ID!) { node(id: $id) { ... on BulkOperation { status } } }`, { variables: { id: ids[4] } })) as Json).data.node
            .status,
      )
      .toBe("CANCELED");
    expect((await run(`{ customers { nodes { id } } }`)).userErrors).toEqual([]);
  });

  it("reports deleted products and collections through deletionEvents, as Shopify offers them", async () => {
    await control("/shopify/acme/changes", "POST", { operations: [{ op: "delete", object: "custom_collections", id: 400_000_000_001 }] });
    const { shopify } = await client("acme");
    const response: Json = await shopify.request(
      `{ deletionEvents(first: 10, subjectTypes: [PRODUCT, COLLECTION]) { nodes { subjectId subjectType occurredAt } } }`,
    );
    expect(response.data.deletionEvents.nodes.map((n: Json) => [n.subjectType, n.subjectId])).toEqual([
      ["COLLECTION", "gid://shopify/Collection/400000000001"],
      ["PRODUCT", "gid://shopify/Product/8000000000003"],
    ]);
    const products: Json = await shopify.request(`{ deletionEvents(first: 10, subjectTypes: [PRODUCT]) { nodes { subjectId } } }`);
    expect(products.data.deletionEvents.nodes).toEqual([{ subjectId: "gid://shopify/Product/8000000000003" }]);
  });
});
