// The Shopify emulator judged by Shopify's own Admin API client, @shopify/admin-api-client (2.0.0), and
// its REST client createAdminRestApiClient, over real HTTP: every listing, filter, paging and error path
// the connector (../connector.ts) relies on — products, custom_collections, customers and orders
// (status=any) with updated_at_min and created_at_min/max, Link-header page_info paging, an order's
// transactions, 401, 404 for a closed shop and 429 — and the API versions the client asks for.
//
// Pointing the client at the emulator: the client builds every URL as https://{storeDomain}/admin/api/
// {version}/{path}.json from the shop's domain alone (its `scheme` option can make it http, but a domain
// has no path, and the emulator serves shops under /shopify/{shop}). So the client gets the shop's real
// domain, acme.myshopify.com, and its customFetchApi option (the hook Shopify provides for a custom fetch)
// maps https://acme.myshopify.com/… to {sandbox}/shopify/acme/… and otherwise sends the request as is.
// Link headers carry the emulator's URLs; the test takes page_info from them, as clients do.
import { createAdminRestApiClient, type AdminRestApiClient } from "@shopify/admin-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";

// Response bodies are Shopify's JSON, read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const SHOP = "acme";
/** The connector's resources and the ground-truth object of each. */
const RESOURCES = ["products", "custom_collections", "customers", "orders"] as const;
type Resource = (typeof RESOURCES)[number];

/** The stable version of the current quarter, the newest one the client itself lists as supported. */
function currentVersion(now = new Date()): string {
  const month = Math.floor(now.getUTCMonth() / 3) * 3 + 1;
  return `${now.getUTCFullYear()}-${String(month).padStart(2, "0")}`;
}

describe("Shopify emulator with @shopify/admin-api-client", () => {
  let sandbox: SandboxServer;
  const logs: { type: string; content: Json }[] = [];

  const control = async (path: string, method: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/control/accounts${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Json;
  };

  beforeAll(async () => {
    // The emulator's clock is the wall clock, as the client's list of supported versions is.
    sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS });
    await control("", "POST", { platform: "shopify", id: SHOP, size: 1200, seed: 5, rate_limited: false });
  });
  afterAll(() => sandbox?.stop());

  function client(accessToken: string, options: { shop?: string; apiVersion?: string } = {}): AdminRestApiClient {
    const shop = options.shop ?? SHOP;
    return createAdminRestApiClient({
      storeDomain: `${shop}.myshopify.com`,
      apiVersion: options.apiVersion ?? currentVersion(),
      accessToken,
      logger: (log) => logs.push(log as { type: string; content: Json }),
      customFetchApi: (url, init) => {
        const target = new URL(String(url));
        const shopHost = /^([a-z0-9-]+)\.myshopify\.com$/.exec(target.hostname);
        return fetch(shopHost ? `${sandbox.url}/shopify/${shopHost[1]}${target.pathname}${target.search}` : target, init);
      },
    });
  }
  const token = async (shop = SHOP) => ((await control(`/shopify/${shop}/tokens`, "POST", {})) as { access_token: string }).access_token;

  /** Every page of a listing: the first with the filters, then page_info from rel="next", as the connector pages. */
  async function listAll(shopify: AdminRestApiClient, resource: Resource, filters: Record<string, string>, limit = 250): Promise<Json[]> {
    const items: Json[] = [];
    let searchParams: Record<string, string | number> = { limit, ...filters };
    for (let pages = 0; pages < 100; pages++) {
      const response = await shopify.get(resource, { searchParams });
      expect(response.status).toBe(200);
      items.push(...((await response.json()) as Json)[resource]);
      const next = /<([^>]+)>; rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
      if (!next) return items;
      searchParams = { limit, page_info: new URL(next).searchParams.get("page_info")! };
    }
    throw new Error("the listing never ended");
  }

  async function liveIds(resource: Resource): Promise<number[]> {
    const { records } = await control(`/shopify/${SHOP}/ground-truth/${resource}`, "GET");
    return (records as { id: number; deleted: boolean }[]).filter((r) => !r.deleted).map((r) => r.id);
  }

  it("lists every product, custom collection, customer and order exactly once across Link-header pages", async () => {
    const shopify = client(await token());
    for (const resource of RESOURCES) {
      const items = await listAll(shopify, resource, resource === "orders" ? { status: "any" } : {}, 100);
      expect(
        items.map((item) => item.id),
        resource,
      ).toEqual(await liveIds(resource));
    }
  });

  it("filters by updated_at_min and created_at_min/max as the unfiltered listing says", async () => {
    const shopify = client(await token());
    for (const resource of RESOURCES) {
      const all = await listAll(shopify, resource, resource === "orders" ? { status: "any" } : {});
      const status: Record<string, string> = resource === "orders" ? { status: "any" } : {};
      const times = (field: string) => all.map((item) => Date.parse(item[field])).sort((a, b) => a - b);
      const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
      const updatedMin = times("updated_at")[Math.floor(all.length * 0.7)];
      const ids = (keep: (item: Json) => boolean) => all.filter(keep).map((item) => item.id);
      const updated = await listAll(shopify, resource, { ...status, updated_at_min: iso(updatedMin) }, 50);
      expect(
        updated.map((item) => item.id),
        resource,
      ).toEqual(ids((item) => Date.parse(item.updated_at) >= updatedMin));
      // Custom collections take no created_at filters (the connector sends none for them).
      if (resource === "custom_collections") continue;
      const [start, end] = [times("created_at")[Math.floor(all.length * 0.2)], times("created_at")[Math.floor(all.length * 0.5)]];
      const window = await listAll(shopify, resource, { ...status, created_at_min: iso(start), created_at_max: iso(end) }, 20);
      const expected = ids((item) => Date.parse(item.created_at) >= start && Date.parse(item.created_at) <= end);
      expect(expected.length, resource).toBeGreaterThan(20);
      expect(
        window.map((item) => item.id),
        resource,
      ).toEqual(expected);
    }
  });

  it("lists each order's transactions", async () => {
    const shopify = client(await token());
    const orders = await listAll(shopify, "orders", { status: "any" });
    let found = 0;
    for (const order of orders.slice(0, 40)) {
      const response = await shopify.get(`orders/${order.id}/transactions`);
      expect(response.status).toBe(200);
      const { transactions } = (await response.json()) as Json;
      found += transactions.length;
      for (const transaction of transactions)
        expect(transaction).toMatchObject({ order_id: order.id, kind: expect.any(String), status: expect.any(String), amount: expect.any(String) });
    }
    expect(found).toBeGreaterThan(0);
  });

  it("answers the version the client asks for, and falls forward from the connector's 2024-10 as Shopify does", async () => {
    const accessToken = await token();
    const current = await client(accessToken).get("customers", { searchParams: { limit: 1 } });
    expect(current.status).toBe(200);
    expect(current.headers.get("x-shopify-api-version")).toBe(currentVersion());
    expect(logs.filter((log) => log.type === "Unsupported_Api_Version")).toEqual([]);

    const old = await client(accessToken, { apiVersion: "2024-10" }).get("customers", { searchParams: { limit: 1 } });
    expect(old.status).toBe(200);
    // The client warns that 2024-10 is no longer supported; the emulator answers with the oldest supported version.
    const supported = logs.find((log) => log.type === "Unsupported_Api_Version")!.content.supportedApiVersions as string[];
    expect(old.headers.get("x-shopify-api-version")).toBe(supported[0]);
  });

  it("answers a forged token with Shopify's 401", async () => {
    const response = await client("shpat_forged").get("products", { searchParams: { limit: 1 } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
  });

  it("answers 429 with Retry-After, which the client's own retries wait out", async () => {
    const accessToken = await token();
    await control(`/shopify/${SHOP}/faults`, "PUT", { burst_429: 1 });
    const refused = await client(accessToken).get("orders", { searchParams: { limit: 1, status: "any" } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(((await refused.json()) as Json).errors).toMatch(/Exceeded 2 calls per second/);
    await control(`/shopify/${SHOP}/faults`, "PUT", { burst_429: 1 });
    // Per request: in 2.0.0 a request's own `retries` (default 0) overrides the client's `retries` option.
    // (The client waits Retry-After as milliseconds, so the retry comes at once, and the burst is over.)
    const retried = await client(accessToken).get("orders", { searchParams: { limit: 1, status: "any" }, retries: 1 });
    expect(retried.status).toBe(200);
    expect(logs.some((log) => log.type === "HTTP-Retry")).toBe(true);
  });

  it("answers 404 once the shop is closed", async () => {
    await control("", "POST", { platform: "shopify", id: "closing", size: 20, seed: 1, rate_limited: false });
    const shopify = client(await token("closing"), { shop: "closing" });
    expect((await shopify.get("products")).status).toBe(200);
    await control("/shopify/closing/faults", "PUT", { closed: true });
    const closed = await shopify.get("products");
    expect(closed.status).toBe(404);
    expect(await closed.json()).toEqual({ errors: "Not Found" });
  });
});
