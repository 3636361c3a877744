// For tests that call the API's route handlers in-process on a real database (the route tests, the
// fuzz suite): an organization with API keys (its own, a wrong secret, a revoked one, another
// organization's), a connection to a sandbox account with an access token, and one object of each
// kind a path names, plus the valid bodies and queries each operation needs.
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { newId } from "@/lib/db/ids";
import type { TestDatabaseKind } from "@/lib/db/testing";
import type { Credentials } from "@/lib/platforms/types";
import { createJob, createJobRun } from "@/lib/jobs/store";
import { createTrigger } from "@/lib/jobs/triggers";
import { queueWrite } from "@/lib/sync/async-writes";
import { createConnection } from "@/lib/sync/connections";
import { provideEngine } from "@/lib/sync/engine";
import { syncDue } from "@/lib/sync/drive";
import { requestSync } from "@/lib/sync/planner";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { sendTestEvent } from "@/lib/webhooks/replay";
import { createApiKey, revokeApiKey } from "./keys";
import { discoverRoutes, type DiscoveredRoute } from "./openapi.testing";
import type { Operation } from "./operation";
import { ApiRateLimiter, provideApiRateLimiter } from "./rate-limit";

/** What a path parameter names in this organization, and a well-formed value that names nothing. */
export interface Fixture {
  value: string;
  missing: string;
}

/**
 * Bodies that pass validation, for operations whose body needs more than `{}`: the 404 checks must
 * reach the handler, and an unknown field must be the only thing wrong with a body.
 */
export const EXAMPLE_BODIES: Record<string, unknown> = {
  backfillConnection: { objects: ["orders"] },
  exchangePublicToken: { public_token: "public_not_a_token" },
  createWebhookEndpoint: { url: "https://example.com/webhooks" },
  replayWebhookDeliveries: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" },
  createSyncJob: { name: "Orders", category: "commerce", resources: [{ resource: "commerce/orders" }] },
  createSyncJobRun: { sync_job_id: "job_missing", connection_id: "conn_missing", webhook_endpoint_id: "whk_missing" },
  createSyncJobCronTrigger: { sync_job_id: "job_missing", connection_id: "conn_missing", webhook_endpoint_id: "whk_missing", cron_expression: "0 3 * * *" },
  // The write routes' fixtures are ticketing/tickets (below): bodies of that shape.
  createRecord: { subject: "Printer offline", description: "Restarting does not help" },
  updateRecord: { status: "open" },
  // A line's amount must be its quantity × unit_price, which a body made from the schema alone is not.
  createAccountingInvoices: { customer_id: "200000001", lines: [{ description: "Services", amount: "10.00" }] },
  // Amounts are decimal strings, and references the platform's ids, which a body made from the schema alone is not.
  createAccountingBills: { vendor_id: "100000001", lines: [{ amount: "10.00", account_id: "8" }] },
  createAccountingExpenses: { account_id: "1", payment_type: "Cash", lines: [{ amount: "10.00", account_id: "8" }] },
  createAccountingPayments: { customer_id: "200000001", total: "10.00" },
  // A reference is the platform's id, digits, which a body made from the schema alone is not.
  createTicketingComments: { ticket_id: "35001", body: "Checked with the courier." },
};
/** The same for query strings, for operations with required query parameters (access_token is filled in by the tests). */
export const EXAMPLE_QUERIES: Record<string, Record<string, string>> = {};

export const basicAuth = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
export const parameterNames = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name);
export const takesAccessToken = (operation: Operation) =>
  Boolean(operation.query && "shape" in operation.query && "access_token" in (operation.query.shape as object));

export interface ApiFixtures {
  h: SyncHarness;
  kind: TestDatabaseKind;
  scope: { organizationId: string; environment: "sandbox" };
  routes: Map<string, DiscoveredRoute>;
  /** Authorization headers. */
  auth: { ours: string; wrongSecret: string; revoked: string; other: string };
  /** Connection access tokens: this organization's, another's, and one that names nothing. */
  tokens: { ours: string; other: string; missing: string };
  connectionId: string;
  /** Keyed by the path up to the parameter, e.g. "/connections/{id}". */
  fixtures: Record<string, Fixture>;
  close(): Promise<void>;
}

export async function createApiFixtures(kind: TestDatabaseKind): Promise<ApiFixtures> {
  const h = await createSyncHarness({ kind });
  provideEngine(h.engine);
  // Hundreds of requests in a few seconds: the rate limit has its own tests.
  provideApiRateLimiter(new ApiRateLimiter({ requestsPerSecond: 1e6, burst: 1e6 }));
  const routes = new Map((await discoverRoutes()).map((route) => [route.key, route]));

  const scope = { organizationId: h.organizationId, environment: "sandbox" } as const;
  const key = await createApiKey(h.database.db, { ...scope, name: "Backend" });
  const old = await createApiKey(h.database.db, { ...scope, name: "Revoked" });
  await revokeApiKey(h.database.db, scope, old.id);
  const other = await createOrganizationWithOwner(h.database.db, {
    name: "Other",
    slug: `other-routes-${kind}`,
    owner: { email: "o@example.com", name: "O", passwordHash: "x" },
  });
  const otherScope = { organizationId: other.organization.id, environment: "sandbox" } as const;
  const otherKey = await createApiKey(h.database.db, { ...otherScope, name: "Other" });
  const auth = {
    ours: basicAuth(key.clientId, key.secret),
    wrongSecret: basicAuth(key.clientId, `${key.secret.slice(0, -4)}AAAA`),
    revoked: basicAuth(old.clientId, old.secret),
    other: basicAuth(otherKey.clientId, otherKey.secret),
  };

  // A real sandbox account, so reads that go to the platform (force_fetch) get real answers.
  const account = `routes-shop-${kind}`;
  const created = await h.control("", "POST", { platform: "shopify", id: account, size: 5, seed: 7, history_months: 24 });
  if (created.status !== 201) throw new Error(`sandbox account: ${created.status} ${await created.text()}`);
  const token = (await (await h.control(`/shopify/${account}/tokens`, "POST", {})).json()) as {
    access_token: string;
    refresh_token: string;
    expires_at: string;
  };
  const credentials: Credentials = {
    kind: "oauth",
    accessToken: token.access_token,
    refreshToken: token.refresh_token,
    expiresAt: Date.parse(token.expires_at),
    scopes: [],
  };
  const connection = await createConnection(h.database.db, { ...scope, platform: "shopify", platformAccountId: account, credentials });
  const otherConnection = await createConnection(h.database.db, { ...otherScope, platform: "shopify", platformAccountId: `routes-other-${kind}`, credentials });
  const run = await requestSync(h.engine, connection.id);
  if (!run) throw new Error("requestSync queued no run for the sync-run fixture");
  const endpoint = await createEndpoint(h.database.db, scope, { url: "https://example.com/webhooks" });
  const delivery = await sendTestEvent(h.database.db, endpoint.id);
  const job = await createJob(h.database.db, scope, { name: "Orders", category: "commerce", resources: [{ resource: "commerce/orders" }] });
  const targets = { syncJobId: job.id, connectionId: connection.id, webhookEndpointId: endpoint.id };
  const jobRun = await createJobRun(h.database.db, scope, targets);
  const trigger = await createTrigger(h.database.db, scope, { ...targets, expression: "0 3 * * *" });
  // A write as response_mode=async queues it (never run: no worker runs in these tests).
  const write = await queueWrite(h.database.db, {
    ...scope,
    connectionId: connection.id,
    object: "tickets",
    operation: "update",
    recordId: "35001",
    data: { status: "open" },
    idempotencyKey: null,
  });

  return {
    h,
    kind,
    scope,
    routes,
    auth,
    tokens: { ours: connection.accessToken, other: otherConnection.accessToken, missing: "access_not_a_token" },
    connectionId: connection.id,
    // Category and object are not objects of an organization: the data route's access token is what
    // must not leak (checked apart).
    fixtures: {
      "/connections/{id}": { value: connection.id, missing: newId("conn") },
      "/sync-runs/{id}": { value: run.runId, missing: newId("run") },
      "/webhook-endpoints/{id}": { value: endpoint.id, missing: newId("whk") },
      "/deliveries/{id}": { value: delivery, missing: newId("dlv") },
      "/sync-jobs/{id}": { value: job.id, missing: newId("job") },
      "/sync-job-runs/{id}": { value: jobRun.id, missing: newId("jrun") },
      "/sync-job-cron-triggers/{id}": { value: trigger.id, missing: newId("cron") },
      "/writes/{id}": { value: write.id, missing: newId("wrt") },
      // A writable object (ticketing/tickets), so the write routes' bodies reach their checks; the connection is a store.
      "/{category}": { value: "ticketing", missing: "ticketing" },
      "/{category}/{object}": { value: "tickets", missing: "tickets" },
      "/{category}/{object}/{id}": { value: "35001", missing: "35001" },
      "/ticketing/tickets/{id}": { value: "35001", missing: "35001" },
      "/accounting/customers/{id}": { value: "200000001", missing: "200000001" },
      "/accounting/vendors/{id}": { value: "100000001", missing: "100000001" },
      "/accounting/invoices/{id}": { value: "400000001", missing: "400000001" },
      "/accounting/bills/{id}": { value: "300000001", missing: "300000001" },
      "/accounting/expenses/{id}": { value: "500000001", missing: "500000001" },
      "/accounting/payments/{id}": { value: "600000001", missing: "600000001" },
      "/commerce/customers/{id}": { value: "7000000000001", missing: "7000000000001" },
      "/commerce/products/{id}": { value: "8000000000001", missing: "8000000000001" },
      // A path under the platform's API, not an object: the access token is what must not leak.
      "/proxy/{path}": { value: "2026-10/shop.json", missing: "2026-10/shop.json" },
    },
    async close() {
      provideApiRateLimiter(null);
      await h.close();
    },
  };
}

/** The route serving `method path`, and its path parameters: the fixtures' values, or their missing ones. */
export function routeTarget(api: ApiFixtures, method: string, operationPath: string, which: keyof Fixture = "value") {
  const route = api.routes.get(`${method} ${operationPath}`);
  if (!route) throw new Error(`No route file serves ${method} ${operationPath} (app/api/v1${operationPath.replace(/\{([^}]+)\}/g, "[$1]")}/route.ts)`);
  const params: Record<string, string> = {};
  let path = operationPath;
  for (const name of parameterNames(operationPath)) {
    const prefix = operationPath.slice(0, operationPath.indexOf(`{${name}}`) + name.length + 2);
    const fixture = api.fixtures[prefix];
    if (!fixture) {
      throw new Error(
        `${method} ${operationPath}: lib/api/routes.testing.ts has no fixture for {${name}}. Add "${prefix}" to the fixtures of createApiFixtures: an object of the test organization, created with the library, and a well-formed id that does not exist.`,
      );
    }
    params[name] = fixture[which];
    path = path.replace(`{${name}}`, encodeURIComponent(fixture[which]));
  }
  return { route, params, path };
}

/** A query that passes `operation`'s validation, with `accessToken` where it takes one. */
export function exampleQuery(operation: Operation, accessToken: string): URLSearchParams {
  const query = new URLSearchParams(EXAMPLE_QUERIES[operation.operationId] ?? {});
  if (takesAccessToken(operation)) query.set("access_token", accessToken);
  if (operation.query && !operation.query.safeParse(Object.fromEntries(query)).success) {
    throw new Error(`${operation.operationId}: its query needs values: add a valid query to EXAMPLE_QUERIES in lib/api/routes.testing.ts`);
  }
  return query;
}

/** A body that passes `operation`'s validation, undefined when it takes none. */
export function exampleBody(operation: Operation): unknown {
  if (!operation.body) return undefined;
  const body = EXAMPLE_BODIES[operation.operationId] ?? {};
  if (!operation.body.safeParse(body).success)
    throw new Error(`${operation.operationId}: {} is not a valid body: add a valid one to EXAMPLE_BODIES in lib/api/routes.testing.ts`);
  return body;
}

/**
 * A call of the data routes (GET/POST /{category}/{object}, PATCH/DELETE /{category}/{object}/{id})
 * through their handlers, as a team's backend makes it: its API key, the connection's access token,
 * an Idempotency-Key when given. The writes tests share it.
 */
export async function callDataRoute(
  api: ApiFixtures,
  token: string,
  method: "POST" | "PATCH" | "GET" | "DELETE",
  path: string,
  options: { body?: unknown; key?: string; query?: string } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const routePath = method === "PATCH" || method === "DELETE" ? "/{category}/{object}/{id}" : "/{category}/{object}";
  const route = api.routes.get(`${method} ${routePath}`)!;
  const [, category, object, id] = path.split("/");
  const headers: Record<string, string> = { authorization: api.auth.ours, "content-type": "application/json" };
  if (options.key) headers["idempotency-key"] = options.key;
  const request = new Request(`http://localhost:3000/api/v1${path}?access_token=${token}${options.query ?? ""}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const response = await route.handler(request, { params: Promise.resolve({ category, object, ...(id ? { id } : {}) }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/**
 * The next incremental sync of a connection, `afterMs` from now: requested, driven (the run driven is
 * the one requested) and answered as its per-object stats. The writes tests ask it whether what they
 * wrote comes back unchanged.
 */
export async function nextIncrementalSync(
  api: ApiFixtures,
  connectionId: string,
  afterMs = 60_000,
): Promise<{ objects: Record<string, { created: number; updated: number; unchanged: number }> }> {
  api.h.advance(afterMs);
  const run = await requestSync(api.h.engine, connectionId);
  const [done] = await syncDue(api.h.engine, connectionId, { maxRuns: 1 });
  if (!run || done?.runId !== run.runId) throw new Error(`The sync driven (${done?.runId}) is not the one requested (${run?.runId})`);
  const { stats } = await api.h.database.db.syncRun.findUniqueOrThrow({ where: { id: run.runId } });
  return stats as unknown as { objects: Record<string, { created: number; updated: number; unchanged: number }> };
}
