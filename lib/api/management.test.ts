// The management routes of the public API through their handlers, on each test database: sync runs
// (newest first, filters, cursor, per-object statistics), the connection's configuration (effective
// and overridden, a PATCH naming the request's field), webhook endpoints (the secret only at creation
// and rotation, validation like creation with the SSRF rule, disable/enable/test/replay/delete) and
// deliveries (attempts, resend); another organization's ids answer 404.
import { createServer, type Server } from "node:http";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as getConfiguration, PATCH as patchConfiguration } from "@/app/api/v1/connections/[id]/configuration/route";
import { GET as listSyncRuns } from "@/app/api/v1/connections/[id]/sync-runs/route";
import { GET as getDelivery } from "@/app/api/v1/deliveries/[id]/route";
import { POST as resendRoute } from "@/app/api/v1/deliveries/[id]/resend/route";
import { GET as getSyncRun } from "@/app/api/v1/sync-runs/[id]/route";
import { GET as listDeliveries } from "@/app/api/v1/webhook-endpoints/[id]/deliveries/route";
import { POST as disableRoute } from "@/app/api/v1/webhook-endpoints/[id]/disable/route";
import { POST as enableRoute } from "@/app/api/v1/webhook-endpoints/[id]/enable/route";
import { POST as replayRoute } from "@/app/api/v1/webhook-endpoints/[id]/replay/route";
import { POST as rotateRoute } from "@/app/api/v1/webhook-endpoints/[id]/rotate-secret/route";
import { DELETE as deleteEndpointRoute, GET as getEndpoint, PATCH as patchEndpoint } from "@/app/api/v1/webhook-endpoints/[id]/route";
import { POST as testRoute } from "@/app/api/v1/webhook-endpoints/[id]/test/route";
import { GET as listEndpoints, POST as createEndpointRoute } from "@/app/api/v1/webhook-endpoints/route";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { testDatabaseKinds } from "@/lib/db/testing";
import { emitEvent } from "@/lib/events/emit";
import { syncDue } from "@/lib/sync/drive";
import { provideEngine } from "@/lib/sync/engine";
import { requestSync } from "@/lib/sync/planner";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { attemptDelivery } from "@/lib/webhooks/deliver";
import { fanOutEvents } from "@/lib/webhooks/fanout";
import { OPERATIONS } from "./operations";
import { createApiKey } from "./keys";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Body = Record<string, unknown>;

describe.each(testDatabaseKinds())("the management API on %s", (kind) => {
  let h: SyncHarness;
  let auth: string;
  let otherAuth: string;
  let connectionId: string;
  let receiver: Server;
  let receiverUrl: string;
  const answers: number[] = [];
  const received: { headers: Record<string, string>; body: string }[] = [];

  const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  const send = async (handler: unknown, method: string, path: string, params: Record<string, string> = {}, body?: unknown, authorization = auth) => {
    const request = new Request(`http://localhost:3000/api/v1${path}`, {
      method,
      headers: { authorization, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const response = await (handler as Handler)(request, { params: Promise.resolve(params) });
    return { status: response.status, body: (await response.json()) as Body };
  };
  const get = (handler: unknown, path: string, params: Record<string, string> = {}, authorization = auth) =>
    send(handler, "GET", path, params, undefined, authorization);
  const isoDate = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const createEndpoint = async (body: Body) => {
    const created = await send(createEndpointRoute, "POST", "/webhook-endpoints", {}, body);
    expect(created.status).toBe(201);
    return { id: (created.body.webhook_endpoint as { id: string }).id, secret: created.body.secret as string };
  };

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
    provideEngine(h.engine);
    const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox", name: "Backend" });
    auth = basic(key.clientId, key.secret);
    const other = await createOrganizationWithOwner(h.database.db, {
      name: "Other",
      slug: `other-mgmt-${kind}`,
      owner: { email: "o@example.com", name: "O", passwordHash: "x" },
    });
    const otherKey = await createApiKey(h.database.db, { organizationId: other.organization.id, environment: "sandbox", name: "Other" });
    otherAuth = basic(otherKey.clientId, otherKey.secret);
    connectionId = await h.connect("shopify", { id: `mgmt-shop-${kind}`, size: 60 });
    await syncDue(h.engine, connectionId);
    // The sync's events are fanned out before any endpoint exists, so the counts below are exact.
    while ((await fanOutEvents(h.database.db)).events > 0);
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString() });
        const status = answers.shift() ?? 200;
        res.writeHead(status).end(`answer ${status}`);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
  });
  afterAll(async () => {
    receiver?.close();
    await h?.close();
  });

  it("declares every management route in OPERATIONS", () => {
    const declared = OPERATIONS.map((o) => `${o.method} ${o.path}`);
    for (const route of [
      "GET /connections/{id}/sync-runs",
      "GET /sync-runs/{id}",
      "GET /connections/{id}/configuration",
      "PATCH /connections/{id}/configuration",
      "GET /webhook-endpoints",
      "POST /webhook-endpoints",
      "GET /webhook-endpoints/{id}",
      "PATCH /webhook-endpoints/{id}",
      "DELETE /webhook-endpoints/{id}",
      "POST /webhook-endpoints/{id}/rotate-secret",
      "POST /webhook-endpoints/{id}/disable",
      "POST /webhook-endpoints/{id}/enable",
      "POST /webhook-endpoints/{id}/test",
      "POST /webhook-endpoints/{id}/replay",
      "GET /webhook-endpoints/{id}/deliveries",
      "GET /deliveries/{id}",
      "POST /deliveries/{id}/resend",
    ])
      expect(declared).toContain(route);
    expect(new Set(OPERATIONS.map((o) => o.operationId)).size).toBe(OPERATIONS.length);
  });

  it("lists a connection's sync runs newest first, filtered and in pages, and shows one with its per-object statistics", async () => {
    const path = `/connections/${connectionId}/sync-runs`;
    const queued = (await requestSync(h.engine, connectionId))!;
    const all = await get(listSyncRuns, path, { id: connectionId });
    expect(all.status).toBe(200);
    const runs = all.body.sync_runs as Body[];
    // The default configuration's two batches (the last month, then the rest), then the sync asked for.
    expect(runs.map((r) => [r.kind, r.status])).toEqual([
      ["manual", "queued"],
      ["historical_batch", "succeeded"],
      ["initial_batch", "succeeded"],
    ]);
    expect(runs[0].id).toBe(queued.runId);
    expect(runs[1]).toMatchObject({ kind: "historical_batch", batch_position: 2, window_start: isoDate, window_end: isoDate });
    expect(runs[2]).toEqual({
      id: expect.stringMatching(/^run_/),
      connection_id: connectionId,
      kind: "initial_batch",
      status: "succeeded",
      objects: ["products", "collections", "customers", "orders", "transactions"],
      batch_position: 1,
      window_start: isoDate,
      window_end: null,
      updated_since: null,
      attempt: 1,
      error: null,
      requests: expect.any(Number),
      rate_limited: 0,
      retries: 0,
      scheduled_at: isoDate,
      resume_at: null,
      started_at: isoDate,
      finished_at: isoDate,
      duration_ms: expect.any(Number),
      created_at: isoDate,
    });
    expect(all.body.next_cursor).toBeNull();

    const filtered = async (query: string) => ((await get(listSyncRuns, `${path}?${query}`, { id: connectionId })).body.sync_runs as Body[]).map((r) => r.kind);
    expect(await filtered("status=succeeded")).toEqual(["historical_batch", "initial_batch"]);
    expect(await filtered("kind=manual")).toEqual(["manual"]);
    expect(await filtered("kind=manual&status=succeeded")).toEqual([]);
    const first = await get(listSyncRuns, `${path}?limit=1`, { id: connectionId });
    expect((first.body.sync_runs as Body[]).map((r) => r.id)).toEqual([queued.runId]);
    const next = await get(listSyncRuns, `${path}?limit=1&cursor=${first.body.next_cursor as string}`, { id: connectionId });
    expect((next.body.sync_runs as Body[]).map((r) => r.id)).toEqual([runs[1].id]);
    const last = await get(listSyncRuns, `${path}?limit=1&cursor=${next.body.next_cursor as string}`, { id: connectionId });
    expect((last.body.sync_runs as Body[]).map((r) => r.id)).toEqual([runs[2].id]);
    expect(last.body.next_cursor).toBeNull();

    const field = async (query: string) => (await get(listSyncRuns, `${path}?${query}`, { id: connectionId })).body;
    expect(await field("status=done")).toMatchObject({ error_code: "INVALID_FIELD", field: "status" });
    expect(await field("kind=nightly")).toMatchObject({ field: "kind" });
    expect(await field("limit=101")).toMatchObject({ field: "limit" });
    expect(await field("cursor=conn_x")).toMatchObject({ field: "cursor" });

    const run = await get(getSyncRun, `/sync-runs/${runs[2].id as string}`, { id: runs[2].id as string });
    expect(run.status).toBe(200);
    const detail = run.body.sync_run as Body;
    expect(detail).toMatchObject({ ...runs[2], pauses: [] });
    const stored = (await h.database.db.syncRun.findUniqueOrThrow({ where: { id: runs[2].id as string } })).stats as { objects: Record<string, Body> };
    const objectStats = detail.object_stats as Body[];
    expect(objectStats.map((s) => s.object)).toEqual(["products", "collections", "customers", "orders", "transactions"]);
    expect(objectStats[3]).toEqual({ object: "orders", ...stored.objects.orders });
    // Between them the two batches created every stored order once.
    // (Collections, which take no window, were fetched whole by the first and are not in the second.)
    const historical = (
      (await get(getSyncRun, `/sync-runs/${runs[1].id as string}`, { id: runs[1].id as string })).body.sync_run as { object_stats: Body[] }
    ).object_stats.find((s) => s.object === "orders")!;
    expect((objectStats[3].created as number) + (historical.created as number)).toBe((await h.stored(connectionId, "orders")).length);
    expect(objectStats[3]).toEqual({
      object: "orders",
      status: "succeeded",
      requests: expect.any(Number),
      pages: expect.any(Number),
      seen: expect.any(Number),
      total: expect.any(Number),
      created: expect.any(Number),
      updated: 0,
      deleted: 0,
      unchanged: 0,
      rate_limited: 0,
      retries: 0,
      started_at: isoDate,
      finished_at: isoDate,
      error: null,
    });
    expect(objectStats[3].created).toBeGreaterThan(0);
    expect(historical.created).toBeGreaterThan(0);
    // Shopify's count of the batch's window (ordersCount) is what the batch then listed.
    expect(objectStats[3].total).toBe(objectStats[3].seen);
    // A queued run has no statistics yet: every object pending, every counter zero.
    const pending = ((await get(getSyncRun, `/sync-runs/${queued.runId}`, { id: queued.runId })).body.sync_run as { object_stats: Body[] }).object_stats;
    expect(pending.every((s) => s.status === "pending" && s.requests === 0)).toBe(true);

    expect((await get(listSyncRuns, path, { id: connectionId }, otherAuth)).status).toBe(404);
    expect((await get(getSyncRun, `/sync-runs/${queued.runId}`, { id: queued.runId }, otherAuth)).status).toBe(404);
    const missing = "run_01ARZ3NDEKTSV4RRFFQ69G5FAV";
    expect((await get(getSyncRun, `/sync-runs/${missing}`, { id: missing })).body).toMatchObject({ error_type: "NOT_FOUND" });
    // A path id that is not an id at all is refused before any lookup, naming it.
    expect((await get(getSyncRun, "/sync-runs/run_nope", { id: "run_nope" })).body).toMatchObject({ error_code: "INVALID_FIELD", field: "id" });
  });

  it("shows the effective configuration and the connection's overrides, and patches the connection level", async () => {
    const path = `/connections/${connectionId}/configuration`;
    const params = { id: connectionId };
    const before = await get(getConfiguration, path, params);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      configuration: {
        platform: "shopify",
        objects: ["products", "collections", "customers", "orders", "transactions"],
        added: [],
        history_months: 25,
        incremental_frequency_minutes: 60,
        // Tributary's default: the last month first, then the rest of the history.
        batches: [
          { position: 1, objects: ["products", "collections", "customers", "orders", "transactions"], from_months_ago: 1, to_months_ago: 0, remainder: false },
          { position: 2, objects: ["products", "collections", "customers", "orders", "transactions"], from_months_ago: 25, to_months_ago: 1, remainder: false },
        ],
      },
      overrides: {},
    });
    expect((await h.database.db.connection.findFirstOrThrow({ where: { id: params.id } })).batchesTotal).toBe(2);

    const patched = await send(patchConfiguration, "PATCH", path, params, {
      objects: ["orders"],
      incremental_frequency_minutes: 30,
      batches: [
        { to_months_ago: 0, from_months_ago: 3 },
        { to_months_ago: 3, from_months_ago: 6 },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({
      configuration: {
        platform: "shopify",
        objects: ["products", "customers", "orders"],
        added: [
          { object: "products", needed_by: "orders" },
          { object: "customers", needed_by: "orders" },
        ],
        history_months: 25,
        incremental_frequency_minutes: 30,
        batches: [
          { position: 1, objects: ["products", "customers", "orders"], from_months_ago: 3, to_months_ago: 0, remainder: false },
          { position: 2, objects: ["products", "customers", "orders"], from_months_ago: 6, to_months_ago: 3, remainder: false },
          { position: 3, objects: ["products", "customers", "orders"], from_months_ago: 25, to_months_ago: 6, remainder: true },
        ],
      },
      overrides: {
        objects: ["orders"],
        incremental_frequency_minutes: 30,
        batches: [
          { objects: [], from_months_ago: 3, to_months_ago: 0 },
          { objects: [], from_months_ago: 6, to_months_ago: 3 },
        ],
      },
    });
    expect((await get(getConfiguration, path, params)).body).toEqual(patched.body);
    // The connection's progress counts the batches now in force.
    expect((await h.database.db.connection.findFirstOrThrow({ where: { id: params.id } })).batchesTotal).toBe(3);
    // Absent fields stay, null inherits again.
    const inherited = await send(patchConfiguration, "PATCH", path, params, { incremental_frequency_minutes: null, batches: null });
    expect(inherited.body.overrides).toEqual({ objects: ["orders"] });
    expect((inherited.body.configuration as Body).incremental_frequency_minutes).toBe(60);

    const field = async (body: unknown) => (await send(patchConfiguration, "PATCH", path, params, body)).body;
    expect(await field({ incremental_frequency_minutes: 1 })).toMatchObject({ error_code: "INVALID_FIELD", field: "incremental_frequency_minutes" });
    expect(await field({ history_months: 0 })).toMatchObject({ field: "history_months" });
    expect(await field({ history_months: "ten" })).toMatchObject({ field: "history_months" });
    expect(await field({ objects: ["orders", "widgets"] })).toMatchObject({ field: "objects[1]" });
    expect(await field({ batches: [{ from_months_ago: 30, to_months_ago: 0 }] })).toMatchObject({ field: "batches[0].from_months_ago" });
    expect(await field({ batches: [{ from_months_ago: 3, to_months_ago: 6 }] })).toMatchObject({ field: "batches[0]" });
    // A nested unknown key is named where it is.
    expect(await field({ batches: [{ from_months_ago: 3, until: 0 }] })).toMatchObject({
      error_code: "INVALID_FIELD",
      field: "batches[0].until",
      error_message: "batches[0].until: unknown field",
    });
    expect(await field({ frequency: 5 })).toMatchObject({ field: "frequency" });
    // Nothing invalid was saved.
    expect((await get(getConfiguration, path, params)).body.overrides).toEqual({ objects: ["orders"] });

    expect((await get(getConfiguration, path, params, otherAuth)).status).toBe(404);
    expect((await send(patchConfiguration, "PATCH", path, params, { history_months: 12 }, otherAuth)).status).toBe(404);
    expect((await get(getConfiguration, path, params)).body.overrides).toEqual({ objects: ["orders"] });
  });

  it("creates an endpoint with its secret shown once, validates like creation when changed, and never shows the secret again", async () => {
    const created = await send(
      createEndpointRoute,
      "POST",
      "/webhook-endpoints",
      {},
      { url: receiverUrl, event_types: ["CONNECTION_UPDATED"], description: "Backend" },
    );
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    const view = created.body.webhook_endpoint as Body;
    expect(view).toEqual({
      id: expect.stringMatching(/^whk_/),
      url: receiverUrl,
      description: "Backend",
      event_types: ["CONNECTION_UPDATED"],
      objects: [],
      retry_schedule: [],
      timeout_ms: 15000,
      ordering_wait_seconds: 3600,
      enabled: true,
      disabled_reason: null,
      disabled_at: null,
      failing_since: null,
      previous_secret_expires_at: null,
      created_at: isoDate,
      updated_at: isoDate,
    });
    const id = view.id as string;
    const shown = await get(getEndpoint, `/webhook-endpoints/${id}`, { id });
    expect(shown.body).toEqual({ webhook_endpoint: view });
    const listed = await get(listEndpoints, "/webhook-endpoints");
    expect(listed.body.webhook_endpoints).toEqual([view]);
    for (const answer of [shown.body, listed.body]) {
      expect(JSON.stringify(answer)).not.toContain(secret.slice(6));
      expect(JSON.stringify(answer)).not.toMatch(/"secret|encrypted/i);
    }

    const invalid = async (body: unknown, handler: unknown = createEndpointRoute, method = "POST", params: Record<string, string> = {}) =>
      (await send(handler, method, params.id ? `/webhook-endpoints/${params.id}` : "/webhook-endpoints", params, body)).body;
    expect(await invalid({ url: "not a url" })).toMatchObject({ error_code: "INVALID_FIELD", field: "url" });
    expect(await invalid({ url: "ftp://example.com/hooks" })).toMatchObject({ field: "url" });
    expect(await invalid({})).toMatchObject({ field: "url" });
    expect(await invalid({ url: receiverUrl, secret: "whsec_mine" })).toMatchObject({ field: "secret", error_message: "secret: unknown field" });
    expect(await invalid({ url: receiverUrl, event_types: ["ORDER_EXPLODED"] })).toMatchObject({ field: "event_types[0]" });
    expect(await invalid({ url: receiverUrl, timeout_ms: 10 })).toMatchObject({ field: "timeout_ms" });
    expect(await invalid({ url: "https://user:pw@example.com/" }, patchEndpoint, "PATCH", { id })).toMatchObject({ field: "url" });
    expect(await invalid({ event_types: ["*_NOTHING"] }, patchEndpoint, "PATCH", { id })).toMatchObject({ field: "event_types[0]" });
    expect(await invalid({ enabled: false }, patchEndpoint, "PATCH", { id })).toMatchObject({ field: "enabled" });

    // In production, private and reserved destinations are refused when saved, as deliveries to them would be.
    vi.stubEnv("NODE_ENV", "production");
    try {
      expect(await invalid({ url: "http://127.0.0.1:9/hooks" })).toMatchObject({ field: "url" });
      expect(await invalid({ url: "http://169.254.169.254/latest" }, patchEndpoint, "PATCH", { id })).toMatchObject({ field: "url" });
      expect(await invalid({ url: "http://localhost/hooks" }, patchEndpoint, "PATCH", { id })).toMatchObject({ field: "url" });
      expect(await invalid({ url: "http://[::1]/hooks" }, patchEndpoint, "PATCH", { id })).toMatchObject({ field: "url" });
    } finally {
      vi.unstubAllEnvs();
    }
    expect((await get(getEndpoint, `/webhook-endpoints/${id}`, { id })).body).toEqual({ webhook_endpoint: view });

    const patched = await send(
      patchEndpoint,
      "PATCH",
      `/webhook-endpoints/${id}`,
      { id },
      { description: null, event_types: ["CONNECTION_*"], retry_schedule: [0, 5], timeout_ms: 5000 },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.webhook_endpoint).toEqual({
      ...view,
      description: null,
      event_types: ["CONNECTION_*"],
      retry_schedule: [0, 5],
      timeout_ms: 5000,
      updated_at: isoDate,
    });
    expect(JSON.stringify(patched.body)).not.toContain(secret.slice(6));

    for (const [handler, method] of [
      [getEndpoint, "GET"],
      [patchEndpoint, "PATCH"],
      [deleteEndpointRoute, "DELETE"],
    ] as const) {
      expect((await send(handler, method, `/webhook-endpoints/${id}`, { id }, method === "PATCH" ? { description: "x" } : undefined, otherAuth)).status).toBe(
        404,
      );
    }
    expect((await get(listEndpoints, "/webhook-endpoints", {}, otherAuth)).body.webhook_endpoints).toEqual([]);
    expect((await get(getEndpoint, `/webhook-endpoints/${id}`, { id })).body.webhook_endpoint).toMatchObject({ description: null });
  });

  it("rotates the secret (a new one, shown once; the old one still signs) and sends a test event", async () => {
    const { id, secret } = await createEndpoint({ url: receiverUrl, event_types: ["CONNECTION_DISABLED"] });
    const rotated = await send(rotateRoute, "POST", `/webhook-endpoints/${id}/rotate-secret`, { id }, {});
    expect(rotated).toEqual({ status: 200, body: { id, secret: expect.stringMatching(/^whsec_/), previous_secret_expires_at: isoDate } });
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(secret);
    const expires = Date.parse(rotated.body.previous_secret_expires_at as string) - Date.now();
    expect(expires).toBeGreaterThan(23 * 3600_000);
    const shown = await get(getEndpoint, `/webhook-endpoints/${id}`, { id });
    expect(shown.body.webhook_endpoint).toMatchObject({ previous_secret_expires_at: rotated.body.previous_secret_expires_at });
    expect(JSON.stringify(shown.body)).not.toContain(fresh.slice(6));
    expect(JSON.stringify(shown.body)).not.toContain(secret.slice(6));
    expect((await send(rotateRoute, "POST", `/webhook-endpoints/${id}/rotate-secret`, { id }, { grace: 0 })).body).toMatchObject({ field: "grace" });

    const test = await send(testRoute, "POST", `/webhook-endpoints/${id}/test`, { id }, {});
    expect(test).toEqual({ status: 202, body: { delivery_id: expect.stringMatching(/^dlv_/) } });
    expect(await attemptDelivery(h.database.db, test.body.delivery_id as string)).toBe("succeeded");
    const request = received.at(-1)!;
    for (const key of [secret, fresh]) expect(new Webhook(key).verify(request.body, request.headers)).toMatchObject({ type: "ENDPOINT_TEST" });

    expect((await send(rotateRoute, "POST", `/webhook-endpoints/${id}/rotate-secret`, { id }, {}, otherAuth)).status).toBe(404);
    expect((await send(testRoute, "POST", `/webhook-endpoints/${id}/test`, { id }, {}, otherAuth)).status).toBe(404);
  });

  it("lists deliveries newest first, shows each attempt, and resends one as a new attempt", async () => {
    const { id } = await createEndpoint({ url: receiverUrl, event_types: ["ENDPOINT_TEST"], retry_schedule: [0, 5] });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await send(testRoute, "POST", `/webhook-endpoints/${id}/test`, { id }, {})).body.delivery_id as string);
    answers.push(500);
    expect(await attemptDelivery(h.database.db, ids[0])).toBe("retry_scheduled");
    expect(await attemptDelivery(h.database.db, ids[1])).toBe("succeeded");

    const path = `/webhook-endpoints/${id}/deliveries`;
    const list = await get(listDeliveries, path, { id });
    expect(list.status).toBe(200);
    const deliveries = list.body.deliveries as Body[];
    expect(deliveries.map((d) => d.id)).toEqual([...ids].reverse());
    expect(deliveries[1]).toEqual({
      id: ids[1],
      endpoint_id: id,
      event_id: expect.stringMatching(/^evt_/),
      event_type: "ENDPOINT_TEST",
      status: "succeeded",
      attempt_count: 1,
      next_attempt_at: null,
      last_attempt_at: isoDate,
      created_at: isoDate,
    });
    const statuses = async (query: string) => ((await get(listDeliveries, `${path}?${query}`, { id })).body.deliveries as Body[]).map((d) => d.id);
    expect(await statuses("status=succeeded")).toEqual([ids[1]]);
    expect(await statuses("status=pending")).toEqual([ids[2], ids[0]]);
    const first = await get(listDeliveries, `${path}?limit=2`, { id });
    expect(await statuses(`limit=2&cursor=${first.body.next_cursor as string}`)).toEqual([ids[0]]);
    expect((await get(listDeliveries, `${path}?status=sent`, { id })).body).toMatchObject({ error_code: "INVALID_FIELD", field: "status" });

    const failed = await get(getDelivery, `/deliveries/${ids[0]}`, { id: ids[0] });
    expect(failed.body.delivery).toEqual({
      id: ids[0],
      endpoint_id: id,
      event_id: expect.any(String),
      event_type: "ENDPOINT_TEST",
      status: "pending",
      attempt_count: 1,
      next_attempt_at: isoDate,
      last_attempt_at: isoDate,
      created_at: isoDate,
      attempts: [{ number: 1, started_at: isoDate, status_code: 500, latency_ms: expect.any(Number), response_excerpt: "answer 500", error: null }],
    });

    const resent = await send(resendRoute, "POST", `/deliveries/${ids[1]}/resend`, { id: ids[1] }, {});
    expect(resent.status).toBe(202);
    expect(resent.body.delivery).toMatchObject({ id: ids[1], status: "pending", attempt_count: 1, next_attempt_at: isoDate });
    expect(await attemptDelivery(h.database.db, ids[1])).toBe("succeeded");
    const again = (await get(getDelivery, `/deliveries/${ids[1]}`, { id: ids[1] })).body.delivery as {
      status: string;
      attempt_count: number;
      attempts: Body[];
    };
    expect(again).toMatchObject({ status: "succeeded", attempt_count: 2 });
    expect(again.attempts.map((a) => [a.number, a.status_code])).toEqual([
      [1, 200],
      [2, 200],
    ]);
    // The receiver saw the same event twice, under the same webhook-id (it dedupes on it).
    const eventId = (resent.body.delivery as Body).event_id;
    expect(received.slice(-2).map((r) => r.headers["webhook-id"])).toEqual([eventId, eventId]);

    expect((await get(listDeliveries, path, { id }, otherAuth)).status).toBe(404);
    expect((await get(getDelivery, `/deliveries/${ids[0]}`, { id: ids[0] }, otherAuth)).status).toBe(404);
    expect((await send(resendRoute, "POST", `/deliveries/${ids[0]}/resend`, { id: ids[0] }, {}, otherAuth)).status).toBe(404);
    expect((await send(resendRoute, "POST", `/deliveries/${ids[0]}/resend`, { id: ids[0] }, { now: true })).body).toMatchObject({ field: "now" });
  });

  it("replays the failed deliveries of a window, answering how many", async () => {
    const { id } = await createEndpoint({ url: receiverUrl, event_types: ["ENDPOINT_TEST"], retry_schedule: [0] });
    const start = new Date(Date.now() - 1000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await send(testRoute, "POST", `/webhook-endpoints/${id}/test`, { id }, {})).body.delivery_id as string);
    answers.push(500, 503);
    expect(await attemptDelivery(h.database.db, ids[0])).toBe("failed");
    expect(await attemptDelivery(h.database.db, ids[1])).toBe("failed");
    expect(await attemptDelivery(h.database.db, ids[2])).toBe("succeeded");
    const end = new Date(Date.now() + 1000).toISOString();
    const path = `/webhook-endpoints/${id}/replay`;

    expect((await send(replayRoute, "POST", path, { id }, { from: end, to: start })).body).toMatchObject({ error_code: "INVALID_FIELD", field: "from" });
    expect((await send(replayRoute, "POST", path, { id }, { from: "yesterday", to: end })).body).toMatchObject({ field: "from" });
    expect((await send(replayRoute, "POST", path, { id }, { from: start })).body).toMatchObject({ field: "to" });
    expect((await send(replayRoute, "POST", path, { id }, { from: start, to: end }, otherAuth)).status).toBe(404);
    expect(await send(replayRoute, "POST", path, { id }, { from: "2020-01-01T00:00:00Z", to: start })).toEqual({ status: 202, body: { replayed: 0 } });
    expect(await send(replayRoute, "POST", path, { id }, { from: start, to: end })).toEqual({ status: 202, body: { replayed: 2 } });
    const statuses = await h.database.db.delivery.findMany({ where: { endpointId: id }, orderBy: { id: "asc" }, select: { status: true } });
    expect(statuses.map((d) => d.status)).toEqual(["pending", "pending", "succeeded"]);
    expect(await send(replayRoute, "POST", path, { id }, { from: start, to: end })).toEqual({ status: 202, body: { replayed: 0 } });
  });

  it("disables an endpoint once, enables it with what it missed, and deletes it with its deliveries", async () => {
    const { id } = await createEndpoint({ url: receiverUrl, event_types: ["CONNECTION_UPDATED"] });
    const since = new Date(Date.now() - 1000).toISOString();
    const disabled = await send(disableRoute, "POST", `/webhook-endpoints/${id}/disable`, { id }, { reason: "Receiver migration" });
    expect(disabled.status).toBe(200);
    expect(disabled.body.webhook_endpoint).toMatchObject({ id, enabled: false, disabled_reason: "Receiver migration", disabled_at: isoDate });
    expect((await send(disableRoute, "POST", `/webhook-endpoints/${id}/disable`, { id }, {})).body.webhook_endpoint).toMatchObject({
      disabled_reason: "Receiver migration",
    });
    const disabledEvents = await h.database.db.event.findMany({ where: { organizationId: h.organizationId, type: "ENDPOINT_DISABLED" } });
    expect(disabledEvents.filter((e) => (e.data as { endpoint_id: string }).endpoint_id === id)).toHaveLength(1);

    // Two events it wants while disabled: fanned out to nobody.
    for (let i = 0; i < 2; i++)
      await emitEvent(h.database.db, { organizationId: h.organizationId, environment: "sandbox", connectionId, type: "CONNECTION_UPDATED", data: { i } });
    while ((await fanOutEvents(h.database.db)).events > 0);
    expect(await h.database.db.delivery.count({ where: { endpointId: id } })).toBe(0);

    expect((await send(enableRoute, "POST", `/webhook-endpoints/${id}/enable`, { id }, { replay_missed_since: "last week" })).body).toMatchObject({
      field: "replay_missed_since",
    });
    expect((await send(enableRoute, "POST", `/webhook-endpoints/${id}/enable`, { id }, {}, otherAuth)).status).toBe(404);
    expect((await send(disableRoute, "POST", `/webhook-endpoints/${id}/disable`, { id }, {}, otherAuth)).status).toBe(404);
    const enabled = await send(enableRoute, "POST", `/webhook-endpoints/${id}/enable`, { id }, { replay_missed_since: since });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toEqual({
      webhook_endpoint: expect.objectContaining({ id, enabled: true, disabled_reason: null, disabled_at: null }),
      deliveries_queued: 2,
    });
    expect(await h.database.db.delivery.count({ where: { endpointId: id, status: "pending" } })).toBe(2);
    expect((await send(enableRoute, "POST", `/webhook-endpoints/${id}/enable`, { id }, {})).body.deliveries_queued).toBe(0);

    expect((await send(deleteEndpointRoute, "DELETE", `/webhook-endpoints/${id}`, { id })).body).toEqual({ id, deleted: true });
    expect((await get(getEndpoint, `/webhook-endpoints/${id}`, { id })).status).toBe(404);
    expect((await send(deleteEndpointRoute, "DELETE", `/webhook-endpoints/${id}`, { id })).status).toBe(404);
    expect(await h.database.db.delivery.count({ where: { endpointId: id } })).toBe(0);
  });
});
