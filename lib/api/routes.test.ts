// Every operation of the public API, through the route Next.js serves it from (found in the folders),
// against the same rules: no key, a wrong secret or a revoked key answer 401; another organization's
// key on this organization's objects answers 404 exactly like an object that does not exist; a
// connection's access token works for its own organization only; a body that is not JSON or has an
// unknown field answers 400 naming it. A new operation is covered as soon as it is in OPERATIONS; a
// path parameter without a fixture here fails its tests, saying what to add.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { newId } from "@/lib/db/ids";
import { testDatabaseKinds } from "@/lib/db/testing";
import type { Credentials } from "@/lib/platforms/types";
import { createJob, createJobRun } from "@/lib/jobs/store";
import { createTrigger } from "@/lib/jobs/triggers";
import { createConnection } from "@/lib/sync/connections";
import { provideEngine } from "@/lib/sync/engine";
import { requestSync } from "@/lib/sync/planner";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { sendTestEvent } from "@/lib/webhooks/replay";
import { createApiKey, revokeApiKey } from "./keys";
import { discoverRoutes, type DiscoveredRoute } from "./openapi.testing";
import type { Operation } from "./operation";
import { OPERATIONS } from "./operations";
import { ApiRateLimiter, provideApiRateLimiter } from "./rate-limit";

/** Operations that take no API key, left out on purpose (say why). None yet: Link's public routes live under app/link, outside OPERATIONS. */
const NO_API_KEY = new Set<string>([]);

/** What a path parameter names in this organization, and a well-formed value that names nothing. */
interface Fixture {
  value: string;
  missing: string;
}

/**
 * Bodies that pass validation, for operations whose body needs more than `{}`: the 404 checks must
 * reach the handler, and an unknown field must be the only thing wrong with a body.
 */
const EXAMPLE_BODIES: Record<string, unknown> = {
  backfillConnection: { objects: ["orders"] },
  exchangePublicToken: { public_token: "public_not_a_token" },
  createWebhookEndpoint: { url: "https://example.com/webhooks" },
  replayWebhookDeliveries: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" },
  createSyncJob: { name: "Orders", category: "commerce", resources: [{ resource: "commerce/orders" }] },
  createSyncJobRun: { sync_job_id: "job_missing", connection_id: "conn_missing", webhook_endpoint_id: "whk_missing" },
  createSyncJobCronTrigger: { sync_job_id: "job_missing", connection_id: "conn_missing", webhook_endpoint_id: "whk_missing", cron_expression: "0 3 * * *" },
};
/** The same for query strings, for operations with required query parameters (access_token is filled in by the tests). */
const EXAMPLE_QUERIES: Record<string, Record<string, string>> = {};

const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
const parameterNames = (operation: Operation) => [...operation.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name);
const takesAccessToken = (operation: Operation) => Boolean(operation.query && "shape" in operation.query && "access_token" in (operation.query.shape as object));

describe.each(testDatabaseKinds())("every API operation (%s)", (kind) => {
  let h: SyncHarness;
  let routes: Map<string, DiscoveredRoute>;
  let fixtures: Record<string, Fixture>;
  const auth = { ours: "", wrongSecret: "", revoked: "", other: "" };
  const tokens = { ours: "", other: "", missing: "access_not_a_token" };

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
    provideEngine(h.engine);
    // Hundreds of requests in a few seconds: the rate limit has its own tests.
    provideApiRateLimiter(new ApiRateLimiter({ requestsPerSecond: 1e6, burst: 1e6 }));
    routes = new Map((await discoverRoutes()).map((route) => [route.key, route]));

    const scope = { organizationId: h.organizationId, environment: "sandbox" } as const;
    const key = await createApiKey(h.database.db, { ...scope, name: "Backend" });
    auth.ours = basic(key.clientId, key.secret);
    auth.wrongSecret = basic(key.clientId, `${key.secret.slice(0, -4)}AAAA`);
    const old = await createApiKey(h.database.db, { ...scope, name: "Revoked" });
    await revokeApiKey(h.database.db, scope, old.id);
    auth.revoked = basic(old.clientId, old.secret);
    const other = await createOrganizationWithOwner(h.database.db, { name: "Other", slug: `other-routes-${kind}`, owner: { email: "o@example.com", name: "O", passwordHash: "x" } });
    const otherScope = { organizationId: other.organization.id, environment: "sandbox" } as const;
    const otherKey = await createApiKey(h.database.db, { ...otherScope, name: "Other" });
    auth.other = basic(otherKey.clientId, otherKey.secret);

    const credentials: Credentials = { kind: "oauth", accessToken: "platform-token", refreshToken: "platform-refresh", expiresAt: Date.now() + 3600_000, scopes: [] };
    const connection = await createConnection(h.database.db, { ...scope, platform: "shopify", platformAccountId: `routes-shop-${kind}`, credentials });
    const otherConnection = await createConnection(h.database.db, { ...otherScope, platform: "shopify", platformAccountId: `routes-other-${kind}`, credentials });
    tokens.ours = connection.accessToken;
    tokens.other = otherConnection.accessToken;
    const run = await requestSync(h.engine, connection.id);
    if (!run) throw new Error("requestSync queued no run for the sync-run fixture");
    const endpoint = await createEndpoint(h.database.db, scope, { url: "https://example.com/webhooks" });
    const delivery = await sendTestEvent(h.database.db, endpoint.id);
    const job = await createJob(h.database.db, scope, { name: "Orders", category: "commerce", resources: [{ resource: "commerce/orders" }] });
    const targets = { syncJobId: job.id, connectionId: connection.id, webhookEndpointId: endpoint.id };
    const jobRun = await createJobRun(h.database.db, scope, targets);
    const trigger = await createTrigger(h.database.db, scope, { ...targets, expression: "0 3 * * *" });

    // Keyed by the path up to the parameter. Category and object are not objects of an organization:
    // the data route's access token is what must not leak (checked apart).
    fixtures = {
      "/connections/{id}": { value: connection.id, missing: newId("conn") },
      "/sync-runs/{id}": { value: run.runId, missing: newId("run") },
      "/webhook-endpoints/{id}": { value: endpoint.id, missing: newId("whk") },
      "/deliveries/{id}": { value: delivery, missing: newId("dlv") },
      "/sync-jobs/{id}": { value: job.id, missing: newId("job") },
      "/sync-job-runs/{id}": { value: jobRun.id, missing: newId("jrun") },
      "/sync-job-cron-triggers/{id}": { value: trigger.id, missing: newId("cron") },
      "/{category}": { value: "commerce", missing: "commerce" },
      "/{category}/{object}": { value: "orders", missing: "orders" },
    };
  });
  afterAll(async () => {
    provideApiRateLimiter(null);
    await h?.close();
  });

  /** The route of `operation`, and its path parameters: the fixtures' values, or their missing ones. */
  const target = (operation: Operation, which: keyof Fixture = "value") => {
    const route = routes.get(`${operation.method} ${operation.path}`);
    if (!route) throw new Error(`${operation.operationId}: no route file serves ${operation.method} ${operation.path} (app/api/v1${operation.path.replace(/\{([^}]+)\}/g, "[$1]")}/route.ts)`);
    const params: Record<string, string> = {};
    let path = operation.path;
    for (const name of parameterNames(operation)) {
      const prefix = operation.path.slice(0, operation.path.indexOf(`{${name}}`) + name.length + 2);
      const fixture = fixtures[prefix];
      if (!fixture) {
        throw new Error(
          `${operation.operationId}: lib/api/routes.test.ts has no fixture for {${name}} in ${operation.path}. Add "${prefix}" to the fixtures in beforeAll: an object of the test organization, created with the library, and a well-formed id that does not exist.`,
        );
      }
      params[name] = fixture[which];
      path = path.replace(`{${name}}`, encodeURIComponent(fixture[which]));
    }
    return { route, params, path };
  };

  const exampleQuery = (operation: Operation, accessToken: string): URLSearchParams => {
    const query = new URLSearchParams(EXAMPLE_QUERIES[operation.operationId] ?? {});
    if (takesAccessToken(operation)) query.set("access_token", accessToken);
    if (operation.query && !operation.query.safeParse(Object.fromEntries(query)).success) {
      throw new Error(`${operation.operationId}: its query needs values: add a valid query to EXAMPLE_QUERIES in lib/api/routes.test.ts`);
    }
    return query;
  };
  const exampleBody = (operation: Operation): unknown => {
    if (!operation.body) return undefined;
    const body = EXAMPLE_BODIES[operation.operationId] ?? {};
    if (!operation.body.safeParse(body).success) throw new Error(`${operation.operationId}: {} is not a valid body: add a valid one to EXAMPLE_BODIES in lib/api/routes.test.ts`);
    return body;
  };

  const call = async (operation: Operation, options: { authorization: string | null; which?: keyof Fixture; accessToken?: string; body?: string }) => {
    const { route, params, path } = target(operation, options.which);
    const query = exampleQuery(operation, options.accessToken ?? tokens.ours).toString();
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.authorization) headers.authorization = options.authorization;
    const body = options.body ?? (operation.body ? JSON.stringify(exampleBody(operation)) : undefined);
    const request = new Request(`http://localhost:3000/api/v1${path}${query ? `?${query}` : ""}`, { method: operation.method, headers, body });
    const response = await route.handler(request, { params: Promise.resolve(params) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const covered = OPERATIONS.filter((operation) => !NO_API_KEY.has(operation.operationId));

  it("covers every operation but those left out on purpose", () => {
    expect(covered.length).toBeGreaterThan(0);
    for (const id of NO_API_KEY) expect(OPERATIONS.some((o) => o.operationId === id), `NO_API_KEY lists ${id}, which is not an operation`).toBe(true);
  });

  describe.each(covered.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))("%s", (_name, operation) => {
    it("answers 401 without a key, with a wrong secret and with a revoked key", async () => {
      for (const authorization of [null, auth.wrongSecret, auth.revoked]) {
        const { status, body } = await call(operation, { authorization });
        expect(status, `authorization: ${authorization ?? "none"}`).toBe(401);
        expect(body).toMatchObject({ error_type: "AUTHENTICATION_ERROR", error_code: "INVALID_CREDENTIALS" });
      }
    });

    if (parameterNames(operation).length > 0 || takesAccessToken(operation)) {
      it("answers 404 to another organization's key on this organization's objects, exactly as for objects that do not exist", async () => {
        const foreign = await call(operation, { authorization: auth.other });
        const missing = await call(operation, { authorization: auth.ours, which: "missing", accessToken: tokens.missing });
        const missingForeign = await call(operation, { authorization: auth.other, which: "missing", accessToken: tokens.missing });
        expect(foreign.status).toBe(404);
        expect(foreign.body).toEqual(missing.body);
        expect(foreign.body).toEqual(missingForeign.body);
      });
    }

    if (takesAccessToken(operation)) {
      it("answers 404 to another organization's access token, as to a token that does not exist", async () => {
        const foreignToken = await call(operation, { authorization: auth.ours, accessToken: tokens.other });
        const missingToken = await call(operation, { authorization: auth.ours, accessToken: tokens.missing });
        expect(foreignToken.status).toBe(404);
        expect(foreignToken.body).toEqual(missingToken.body);
      });
    }

    if (operation.body !== undefined) {
      it("answers 400 INVALID_JSON to a body that is not JSON, and 400 naming an unknown field", async () => {
        expect(await call(operation, { authorization: auth.ours, body: "{not json" })).toMatchObject({ status: 400, body: { error_type: "INVALID_REQUEST", error_code: "INVALID_JSON" } });
        const unknown = JSON.stringify({ ...(exampleBody(operation) as object), zz_unknown_field: 1 });
        expect(await call(operation, { authorization: auth.ours, body: unknown })).toMatchObject({ status: 400, body: { error_code: "INVALID_FIELD", field: "zz_unknown_field" } });
      });
    }
  });
});
