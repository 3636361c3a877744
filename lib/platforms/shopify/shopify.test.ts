// The Shopify connector against the sandbox's Shopify emulator over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { ConnectorError, type ConnectorContext, type ListRequest, type UnifiedRecord } from "../types";
import { shopifyConnector } from "./connector";

describe("Shopify connector on the sandbox", () => {
  let sandbox: SandboxServer;
  let context: ConnectorContext;
  const control = (path: string, method: string, body: unknown) =>
    fetch(`${sandbox.url}/control/accounts${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS });
    await control("", "POST", { platform: "shopify", id: "conn-shop", size: 1500, seed: 4, rate_limited: false });
    const token = (await (await control("/shopify/conn-shop/tokens", "POST", {})).json()) as { access_token: string };
    context = {
      baseUrl: `${sandbox.url}/shopify/conn-shop`,
      credentials: { kind: "oauth", accessToken: token.access_token, refreshToken: null, expiresAt: null, scopes: [] },
      fetch,
    };
  });
  afterAll(() => sandbox?.stop());

  async function listAll(request: Omit<ListRequest, "cursor">): Promise<UnifiedRecord[]> {
    const records: UnifiedRecord[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await shopifyConnector.list(context, { ...request, cursor });
      records.push(...page.records);
      if (!page.nextCursor) return records;
      cursor = page.nextCursor;
    }
  }

  async function truth(object: string) {
    const body = (await (await fetch(`${sandbox.url}/control/accounts/shopify/conn-shop/ground-truth/${object}`)).json()) as { records: { id: number; updated_at: string; deleted: boolean }[] };
    return body.records.filter((r) => !r.deleted);
  }

  it("reads every record of every object exactly once, in the unified model", async () => {
    for (const [object, resource] of [["products", "products"], ["collections", "custom_collections"], ["customers", "customers"], ["orders", "orders"]] as const) {
      const records = await listAll({ object });
      const ids = records.map((r) => r.externalId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual((await truth(resource)).map((r) => String(r.id)).sort());
    }
    const [order] = await listAll({ object: "orders", window: { start: null, end: new Date(Date.now() - 300 * 24 * 3600 * 1000) } });
    expect(order.data).toMatchObject({ id: order.externalId, currency: expect.any(String), line_items: expect.any(Array) });
    expect(order.updatedAt).toBeInstanceOf(Date);
  });

  it("splits by creation windows without losing or repeating a record", async () => {
    const middle = new Date(Date.now() - 180 * 24 * 3600 * 1000);
    const recent = await listAll({ object: "orders", window: { start: middle, end: null } });
    const older = await listAll({ object: "orders", window: { start: null, end: middle } });
    const all = [...recent, ...older].map((r) => r.externalId);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe((await truth("orders")).length);
    expect(recent.length).toBeGreaterThan(0);
    expect(older.length).toBeGreaterThan(0);
  });

  it("lists transactions per order, each pointing at its order", async () => {
    const page = await shopifyConnector.list(context, { object: "transactions", cursor: null });
    expect(page.records.length).toBeGreaterThan(0);
    expect(page.requests).toBe(51);
    expect(page.records.every((r) => typeof r.data.order_id === "string")).toBe(true);
  });

  it("finds exactly the records changed since a time", async () => {
    // Shopify filters to the second, so keep a whole second between the account's history, `since`
    // and the changes: the connector rounds `since` down, which may only ever add records.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const changes = (await (await control("/shopify/conn-shop/changes", "POST", { random: 40, seed: 2 })).json()) as { changes: { kind: string; object: string; id: number }[] };
    const expected = changes.changes.filter((c) => c.object === "orders" && c.kind !== "deleted").map((c) => String(c.id));
    const found = (await listAll({ object: "orders", updatedSince: since })).map((r) => r.externalId);
    expect(found.sort()).toEqual([...new Set(expected)].sort());
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
});
