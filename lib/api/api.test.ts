// The public API's first routes through their handlers: API-key auth (none, wrong, revoked, another
// organization's key, another token), validation naming the field, PRODUCT_NOT_READY then force_fetch,
// pagination returning each record exactly once, and the connection status in Rutter's shape.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { purgeConnection } from "@/lib/retention/purge";
import { DELETE as deleteConnectionRoute, GET as getConnection } from "@/app/api/v1/connections/[id]/route";
import { POST as backfillRoute } from "@/app/api/v1/connections/[id]/backfill/route";
import { POST as syncRoute } from "@/app/api/v1/connections/[id]/sync/route";
import { GET as listEvents } from "@/app/api/v1/events/route";
import { GET as listConnections } from "@/app/api/v1/connections/route";
import { GET as readObject } from "@/app/api/v1/[category]/[object]/route";
import { createConnection } from "@/lib/sync/connections";
import { syncDue } from "@/lib/sync/drive";
import { provideEngine } from "@/lib/sync/engine";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { createApiKey, revokeApiKey } from "./keys";

describe("the public API", () => {
  let h: SyncHarness;
  let auth: string;
  let otherAuth: string;
  let connectionId: string;
  let accessToken: string;

  const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  const call = async (
    handler: (r: Request, c?: { params?: Promise<never> }) => Promise<Response>,
    path: string,
    params: Record<string, string>,
    authorization: string | null = auth,
  ) => {
    const response = await handler(new Request(`http://localhost:3000${path}`, { headers: authorization ? { authorization } : {} }), {
      params: Promise.resolve(params as never),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const send = async (handler: unknown, method: string, path: string, params: Record<string, string>, body?: unknown, authorization: string = auth) => {
    const request = new Request(`http://localhost:3000${path}`, {
      method,
      headers: { authorization, "content-type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const response = await (handler as (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>)(request, {
      params: Promise.resolve(params),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const read = (query: string, authorization: string | null = auth) =>
    call(readObject as never, `/api/v1/commerce/orders?${query}`, { category: "commerce", object: "orders" }, authorization);

  beforeAll(async () => {
    h = await createSyncHarness({});
    provideEngine(h.engine);
    const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox", name: "Backend" });
    auth = basic(key.clientId, key.secret);
    const other = await createOrganizationWithOwner(h.database.db, {
      name: "Other",
      slug: "other-api",
      owner: { email: "o@example.com", name: "O", passwordHash: "x" },
    });
    const otherKey = await createApiKey(h.database.db, { organizationId: other.organization.id, environment: "sandbox", name: "Other" });
    otherAuth = basic(otherKey.clientId, otherKey.secret);
    await h.control("", "POST", { platform: "shopify", id: "api-shop", size: 1200, seed: 4, rate_limited: false });
    const token = (await (await h.control("/shopify/api-shop/tokens", "POST", {})).json()) as {
      access_token: string;
      refresh_token: string;
      expires_at: string;
    };
    ({ id: connectionId, accessToken } = await createConnection(h.database.db, {
      organizationId: h.organizationId,
      environment: "sandbox",
      platform: "shopify",
      platformAccountId: "api-shop",
      credentials: { kind: "oauth", accessToken: token.access_token, refreshToken: token.refresh_token, expiresAt: Date.parse(token.expires_at), scopes: [] },
    }));
  });
  afterAll(() => h?.close());

  it("refuses requests without a valid key, the same way for every reason", async () => {
    for (const authorization of [null, "Bearer x", basic("ck_test_nope", "sk_test_nope"), auth.replace(/.{4}$/, "AAAA")]) {
      const { status, body } = await read(`access_token=${accessToken}`, authorization);
      expect(status).toBe(401);
      expect(body).toMatchObject({ error_type: "AUTHENTICATION_ERROR", error_code: "INVALID_CREDENTIALS" });
    }
    const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox", name: "Old" });
    expect((await read(`access_token=${accessToken}`, basic(key.clientId, key.secret))).status).toBe(409);
    await revokeApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox" }, key.id);
    expect((await read(`access_token=${accessToken}`, basic(key.clientId, key.secret))).status).toBe(401);
  });

  it("answers PRODUCT_NOT_READY before the first batch, and force_fetch reads orders from the platform", async () => {
    const notReady = await read(`access_token=${accessToken}`);
    expect(notReady).toMatchObject({ status: 409, body: { error_type: "CONNECTION_ERROR", error_code: "PRODUCT_NOT_READY" } });
    const forced = await read(`access_token=${accessToken}&force_fetch=true`);
    expect(forced.status).toBe(200);
    expect((forced.body.orders as unknown[]).length).toBeGreaterThan(0);
    expect(forced.body.force_fetched).toBe(true);
  });

  it("pages through every order exactly once after the sync", async () => {
    await syncDue(h.engine, connectionId);
    const ids: string[] = [];
    for (let cursor: string | null = null, pages = 0; pages < 100; pages++) {
      const { status, body } = await read(`access_token=${accessToken}&limit=100${cursor ? `&cursor=${cursor}` : ""}`);
      expect(status).toBe(200);
      ids.push(...(body.orders as { id: string }[]).map((o) => o.id));
      cursor = body.next_cursor as string | null;
      if (!cursor) break;
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(await h.stored(connectionId, "orders"));
  });

  it("answers each page in the schema the document gives it, with the platform's payloads on expand=platform_data", async () => {
    const documented = readObject.operation.instances!.find((i) => i.params.category === "commerce" && i.params.object === "orders")!.response;
    const plain = await read(`access_token=${accessToken}&limit=50`);
    expect(documented.safeParse(plain.body).error).toBeUndefined();
    expect(plain.body.orders as object[]).not.toContainEqual(expect.objectContaining({ platform_data: expect.anything() }));
    const expanded = await read(`access_token=${accessToken}&limit=50&expand=platform_data`);
    expect(documented.safeParse(expanded.body).error).toBeUndefined();
    for (const order of expanded.body.orders as { id: string; record_id: string; platform_data: { id: string } }[]) {
      expect(order.platform_data.id).toBe(`gid://shopify/Order/${order.id}`);
      expect(order.record_id).toMatch(/^rec_[0-9A-F]{16}$/);
    }
    expect(await read(`access_token=${accessToken}&expand=everything`)).toMatchObject({ status: 400, body: { field: "expand" } });
  });

  it("names the field of every bad input", async () => {
    const field = async (query: string) => (await read(`access_token=${accessToken}&${query}`)).body.field;
    expect(await field("limit=0")).toBe("limit");
    expect(await field("limit=501")).toBe("limit");
    expect(await field("limit=ten")).toBe("limit");
    expect(await field("updated_at_min=yesterday")).toBe("updated_at_min");
    expect(await field("include_deleted=maybe")).toBe("include_deleted");
    expect(await field("cursor=garbage")).toBe("cursor");
    expect((await read("")).body).toMatchObject({ error_code: "INVALID_FIELD", field: "access_token" });
    const unknownObject = await call(readObject as never, `/api/v1/commerce/widgets?access_token=${accessToken}`, { category: "commerce", object: "widgets" });
    expect(unknownObject).toMatchObject({ status: 400, body: { field: "object" } });
    const wrongCategory = await call(readObject as never, `/api/v1/accounting/invoices?access_token=${accessToken}`, {
      category: "accounting",
      object: "invoices",
    });
    expect(wrongCategory.status).toBe(404);
    expect((await call(listConnections as never, "/api/v1/connections?stage=DONE", {})).body.field).toBe("stage");
  });

  it("hides other organizations' connections and tokens: 404, as if they did not exist", async () => {
    expect((await read(`access_token=${accessToken}`, otherAuth)).status).toBe(404);
    expect((await read("access_token=access_not_a_token")).status).toBe(404);
    expect((await call(getConnection as never, `/api/v1/connections/${connectionId}`, { id: connectionId }, otherAuth)).status).toBe(404);
    expect((await call(listConnections as never, "/api/v1/connections", {}, otherAuth)).body.connections).toEqual([]);
  });

  it("returns the connection status in Rutter's shape, and lists connections with a cursor", async () => {
    const { status, body } = await call(getConnection as never, `/api/v1/connections/${connectionId}`, { id: connectionId });
    expect(status).toBe(200);
    const connection = body.connection as Record<string, unknown>;
    expect(connection).toMatchObject({
      id: connectionId,
      platform: "shopify",
      stage: "ONGOING",
      health: "HEALTHY",
      is_ready: true,
      needs_update: null,
      disabled: null,
    });
    expect(connection.historical_sync).toMatchObject({
      batches_completed: 2,
      batches_total: 2,
      records: { orders: (await h.stored(connectionId, "orders")).length },
    });
    const second = await h.connect("quickbooks", { id: "api-books", size: 50 });
    const first = await call(listConnections as never, "/api/v1/connections?limit=1", {});
    expect((first.body.connections as { id: string }[]).map((c) => c.id)).toEqual([second]);
    const next = await call(listConnections as never, `/api/v1/connections?limit=1&cursor=${first.body.next_cursor as string}`, {});
    expect((next.body.connections as { id: string }[]).map((c) => c.id)).toEqual([connectionId]);
    expect(next.body.next_cursor).toBeNull();
  });

  it("queues a sync and a backfill, lists events with a cursor, and deletes a connection", async () => {
    const path = `/api/v1/connections/${connectionId}`;
    const sync = await send(syncRoute, "POST", `${path}/sync`, { id: connectionId }, {});
    expect(sync).toMatchObject({ status: 202, body: { created: true } });
    expect(await h.database.db.syncRun.findUniqueOrThrow({ where: { id: sync.body.sync_run_id as string } })).toMatchObject({
      kind: "manual",
      status: "queued",
    });
    expect((await send(syncRoute, "POST", `${path}/sync`, { id: connectionId }, { full: "yes" })).body).toMatchObject({
      error_code: "INVALID_FIELD",
      field: "full",
    });
    expect((await send(syncRoute, "POST", `${path}/sync`, { id: connectionId }, "{not json")).body).toMatchObject({ error_code: "INVALID_JSON" });
    expect((await send(syncRoute, "POST", `${path}/sync`, { id: connectionId }, {}, otherAuth)).status).toBe(404);

    expect((await send(backfillRoute, "POST", `${path}/backfill`, { id: connectionId }, { objects: [] })).body).toMatchObject({ field: "objects" });
    expect((await send(backfillRoute, "POST", `${path}/backfill`, { id: connectionId }, { objects: ["widgets"] })).body).toMatchObject({ field: "objects[0]" });
    expect((await send(backfillRoute, "POST", `${path}/backfill`, { id: connectionId }, { objects: ["orders"], start: "last week" })).body).toMatchObject({
      field: "start",
    });
    expect((await send(backfillRoute, "POST", `${path}/backfill`, { id: connectionId }, { objects: ["orders"], extra: 1 })).body).toMatchObject({
      field: "extra",
    });
    const backfill = await send(
      backfillRoute,
      "POST",
      `${path}/backfill`,
      { id: connectionId },
      { objects: ["orders"], start: "2025-01-01T00:00:00Z", end: null },
    );
    expect(backfill.status).toBe(202);
    expect((await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).incrementalPausedAt).not.toBeNull();

    const first = await call(listEvents as never, `/api/v1/events?connection_id=${connectionId}&limit=2`, {});
    expect((first.body.events as { type: string }[]).map((e) => e.type)).toEqual(["CONNECTION_CREATED", "PRODUCT_SYNC_STARTED"]);
    const next = await call(
      listEvents as never,
      `/api/v1/events?connection_id=${connectionId}&type=BACKFILL_STARTED&cursor=${first.body.next_cursor as string}`,
      {},
    );
    expect((next.body.events as { type: string }[]).map((e) => e.type)).toEqual(["BACKFILL_STARTED"]);
    expect((await call(listEvents as never, "/api/v1/events?cursor=abc", {})).body.field).toBe("cursor");
    expect((await call(listEvents as never, "/api/v1/events", {}, otherAuth)).body.events).toEqual([]);

    expect((await send(deleteConnectionRoute, "DELETE", path, { id: connectionId }, undefined, otherAuth)).status).toBe(404);
    expect(await send(deleteConnectionRoute, "DELETE", path, { id: connectionId })).toMatchObject({ status: 200, body: { deleted: true } });
    expect((await call(getConnection as never, path, { id: connectionId })).status).toBe(404);
    // The records go in the background (lib/retention/purge.ts), not in the request.
    expect(await h.database.db.record.count({ where: { connectionId } })).toBeGreaterThan(0);
    expect((await purgeConnection(h.database.db, connectionId)).done).toBe(true);
    expect(await h.database.db.record.count({ where: { connectionId } })).toBe(0);
  });
});
