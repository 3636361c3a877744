// The fuzz suite: every operation of the OpenAPI document (read from the document, so a new operation
// is covered without editing this file), driven in-process through its real route handler on a real
// database with a valid API key, access token and real ids, with malformed input (lib/api/fuzz.testing.ts).
// The dashboard's JSON routes (app/api/dashboard, with a signed-in member) and Link's (app/link, with
// a live link session) get the same treatment. Every answer must be below 500, every 400 must name its
// field (a `field` member, or the line and column where the JSON broke), and none may take over 2 s.
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { tenantDb } from "@/lib/db/tenant";
import { testDatabaseKinds } from "@/lib/db/testing";
import { ERRORS, isErrorCode } from "@/lib/errors";
import { DELIVERY_STATUSES } from "@/lib/presenters/webhooks";
import { createLinkSession } from "@/lib/link/sessions";
import { relinkCapability } from "@/lib/sync/health";
import { bodyCases, exampleOf, pathCases, pick, prng, queryCases, seedOf, type FuzzCase, type JsonSchema, type QueryParameter } from "./fuzz.testing";
import { openApiDocument } from "./openapi";
import { discoverRoutes, matchRoute, type DiscoveredRoute } from "./openapi.testing";
import { createApiFixtures, EXAMPLE_BODIES, EXAMPLE_QUERIES, parameterNames, type ApiFixtures } from "./routes.testing";

const state = vi.hoisted(() => ({ context: null as unknown }));
// The dashboard routes read the member's session through getRequestContext: a signed-in admin of the
// test organization (the session itself has its own tests).
vi.mock("@/lib/auth/context", () => ({ getRequestContext: async () => state.context, requireContext: async () => state.context, hasRole: () => true }));

const SEED = 15;
/** Cases per route at most (picked by the seeded PRNG when there are more), so the suite's time stays flat as fields are added. */
const CASES_PER_ROUTE = 130;
const SLOW_MS = 2_000;
/** What a body limit is taken to be when the document does not say. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;
const ROOT = path.resolve(import.meta.dirname, "../..");

interface DocumentedOperation {
  operationId: string;
  parameters?: (QueryParameter & { in?: string; $ref?: string })[];
  requestBody?: { content: Record<string, { schema: JsonSchema }>; "x-body-limit"?: number };
  "x-passthrough"?: boolean;
}

interface Outcome {
  status: number;
  ms: number;
  body: Record<string, unknown> | null;
}

/** What is wrong with an answer, or null. */
function problem(outcome: Outcome): string | null {
  if (outcome.status >= 500) return `answered ${outcome.status}: ${JSON.stringify(outcome.body)}`;
  if (outcome.ms > SLOW_MS) return `took ${Math.round(outcome.ms)} ms`;
  if (outcome.status === 400) {
    const body = outcome.body ?? {};
    const message = String(body.error_message ?? body.error ?? "");
    const named = typeof body.field === "string" && body.field.length > 0;
    const located = /line \d+, column \d+/.test(message);
    if (!named && !located) return `answered 400 without naming the field or where the JSON broke: ${JSON.stringify(body)}`;
  }
  if (outcome.status >= 400) {
    // Every refusal is rendered from the one error table (lib/errors.ts): a code it holds, with that code's status and type.
    const body = outcome.body ?? {};
    const code = String(body.error_code ?? "");
    if (!isErrorCode(code)) return `answered ${outcome.status} without an error_code of lib/errors.ts: ${JSON.stringify(body)}`;
    if (ERRORS[code].status !== outcome.status) return `answered ${outcome.status} with ${code}, which the error table answers with ${ERRORS[code].status}`;
    if (body.error_type !== undefined && body.error_type !== ERRORS[code].type)
      return `answered ${code} with error_type ${String(body.error_type)}, not ${ERRORS[code].type}`;
  }
  if (outcome.status === 413 && (outcome.body ?? {}).error_code !== "BODY_TOO_LARGE")
    return `answered 413 without BODY_TOO_LARGE: ${JSON.stringify(outcome.body)}`;
  return null;
}

const encodeSegment = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return "x"; // a lone surrogate cannot be percent-encoded; the handler gets the parameter itself
  }
};

describe.each(testDatabaseKinds())("fuzzing every route (%s)", (kind) => {
  const totals = { requests: 0, ms: 0, slowest: 0, failures: 0, serverErrors: 0 };
  let api: ApiFixtures;
  let dashboardRoutes: DiscoveredRoute[];
  let linkRoutes: DiscoveredRoute[];
  let platformWebhookRoutes: DiscoveredRoute[];
  let linkToken: () => Promise<string>;
  let started = 0;

  beforeAll(async () => {
    started = performance.now();
    api = await createApiFixtures(kind);
    // Data reads reach the records only once the first batch is done.
    await api.h.database.db.connection.update({ where: { id: api.connectionId }, data: { isReady: true } });
    state.context = {
      user: { id: "usr_fuzz", email: "owner@example.com", name: "Owner" },
      organization: { id: api.scope.organizationId, name: "Acme", slug: "acme" },
      organizations: [],
      role: "owner",
      environment: "sandbox",
      db: tenantDb(api.h.database.db, api.scope),
    };
    [dashboardRoutes, linkRoutes, platformWebhookRoutes] = await Promise.all(
      ["app/api/dashboard", "app/link", "app/api/platform-webhooks"].map((root) => discoverRoutes(path.join(ROOT, root))),
    );
    linkToken = async () => (await createLinkSession(api.h.engine, api.scope, {})).token;
  });
  afterAll(async () => {
    await api?.close();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(
      `fuzz (${kind}): ${totals.requests} requests in ${seconds} s with the fixtures (${Math.round(totals.ms)} ms in handlers, the slowest answer ${Math.round(totals.slowest)} ms), ${totals.serverErrors} answered 5xx, ${totals.failures} problems`,
    );
  });

  /** Sends each case to `route`, returning what went wrong with each. */
  async function drive(
    route: DiscoveredRoute,
    cases: FuzzCase[],
    build: (c: FuzzCase) => { request: Request; params: Record<string, string> },
    strict = false,
  ): Promise<string[]> {
    const problems: string[] = [];
    for (const c of cases) {
      const { request, params } = build(c);
      const begin = performance.now();
      // Next.js answers 500 to a handler that throws.
      const response = await route
        .handler(request, { params: Promise.resolve(params) })
        .catch((error: unknown) => Response.json({ thrown: String(error).slice(0, 200) }, { status: 500 }));
      const text = await response.text();
      const ms = performance.now() - begin;
      // The platform's own answer, passed through by the proxy (its status and body are the platform's):
      // only the time it took is ours to judge. The proxy's own refusals carry no such header.
      const proxied = response.headers.get("tributary-proxied") === "true";
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { text: text.slice(0, 200) };
      }
      const outcome = { status: response.status, ms, body };
      totals.requests++;
      totals.ms += ms;
      totals.slowest = Math.max(totals.slowest, ms);
      if (response.status >= 500 && !proxied) totals.serverErrors++;
      const refused =
        strict && c.refusedField && (response.status !== 400 || body?.field !== c.refusedField)
          ? `answered ${response.status}, not 400 naming ${c.refusedField}: ${text.slice(0, 200)}`
          : null;
      const wrong = proxied
        ? ms > SLOW_MS
          ? `took ${Math.round(ms)} ms`
          : null
        : (problem(outcome) ?? refused ?? (text.includes("INTERNAL_ERROR") ? "answered INTERNAL_ERROR" : null));
      if (wrong) {
        totals.failures++;
        problems.push(`${c.name}: ${wrong}`.slice(0, 400));
      }
    }
    return problems;
  }

  const document = openApiDocument();
  const operations = Object.entries(document.paths)
    .flatMap(([operationPath, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: operationPath,
        operation: operation as unknown as DocumentedOperation,
      })),
    )
    // Deletions last: the objects they remove are the other operations' fixtures.
    .sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"));

  it("reads operations from the document", () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  describe.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))("%s", (_name, { method, path: operationPath, operation }) => {
    it("answers malformed input with a 4xx naming the field, within 2 s", async () => {
      const next = prng(seedOf(operation.operationId, SEED));
      // A path the document lists whole (GET /commerce/orders) is served by a route with parameters
      // (/{category}/{object}): those are fuzzed like the document's own path parameters.
      const match = matchRoute(api.routes.values(), method, operationPath);
      expect(match, `no route serves ${method} ${operationPath}`).toBeDefined();
      const route = match?.route;
      const valid: Record<string, string> = { ...match?.params };
      for (const name of parameterNames(operationPath)) {
        const prefix = operationPath.slice(0, operationPath.indexOf(`{${name}}`) + name.length + 2);
        expect(api.fixtures[prefix], `add a fixture for "${prefix}" in lib/api/routes.testing.ts`).toBeDefined();
        valid[name] = api.fixtures[prefix].value;
      }
      const parameters = (operation.parameters ?? []).filter((p) => p.in === "query");
      const baseQuery: [string, string][] = Object.entries(EXAMPLE_QUERIES[operation.operationId] ?? {});
      for (const parameter of parameters.filter((p) => p.required && !baseQuery.some(([n]) => n === p.name))) {
        baseQuery.push([parameter.name, parameter.name === "access_token" ? api.tokens.ours : String(exampleOf(parameter.schema ?? {}))]);
      }
      const bodySchema = operation.requestBody?.content["application/json"]?.schema;
      const baseBody = bodySchema ? (EXAMPLE_BODIES[operation.operationId] ?? exampleOf(bodySchema)) : undefined;
      const limit = operation.requestBody?.["x-body-limit"] ?? DEFAULT_BODY_LIMIT;
      const cases = pick(
        [
          ...pathCases(valid),
          // The proxy forwards parameters it does not declare to the platform: none is refused as unknown.
          ...(parameters.length || method === "GET"
            ? queryCases(parameters, baseQuery, next).map((c) => (operation["x-passthrough"] ? { ...c, refusedField: undefined } : c))
            : []),
          ...(bodySchema ? bodyCases(bodySchema, baseBody, next, limit) : []),
        ],
        CASES_PER_ROUTE,
        next,
      );
      const problems = await drive(
        route!,
        cases,
        (c) => {
          const params = c.params ?? valid;
          const urlPath = operationPath.replace(/\{([^}]+)\}/g, (_, name: string) => encodeSegment(params[name]));
          const query = new URLSearchParams(c.query ?? baseQuery).toString();
          const body = c.body ?? (baseBody === undefined ? undefined : JSON.stringify(baseBody));
          const request = new Request(`http://localhost:3000/api/v1${urlPath}${query ? `?${query}` : ""}`, {
            method,
            headers: { authorization: api.auth.ours, "content-type": "application/json" },
            body: method === "GET" || method === "DELETE" ? undefined : body,
          });
          return { request, params };
        },
        true,
      );
      expect(problems).toEqual([]);
    });
  });

  /** The dashboard routes' query parameters (they have no document): what each reads. */
  const DASHBOARD_QUERIES: Record<string, { parameters: QueryParameter[]; base?: [string, string][] }> = {
    "GET /connections/{id}/timeline": {
      parameters: [
        { name: "from", schema: { format: "date-time" } },
        { name: "to", schema: { format: "date-time" } },
      ],
    },
    "GET /connections/{id}/records": { parameters: [{ name: "object" }, { name: "cursor" }], base: [["object", "orders"]] },
    "GET /connections/{id}/events": { parameters: [{ name: "type" }, { name: "cursor" }] },
    "GET /webhooks/{id}/deliveries": { parameters: [{ name: "status", schema: { enum: [...DELIVERY_STATUSES] } }, { name: "cursor" }] },
  };

  it("covers the dashboard's and Link's routes", () => {
    expect(dashboardRoutes.length).toBeGreaterThan(4);
    expect(linkRoutes.map((r) => r.key).sort()).toEqual([
      "GET /oauth/callback",
      "POST /api/api-key",
      "POST /api/oauth",
      "POST /api/relink",
      "POST /api/tenant",
    ]);
    for (const key of Object.keys(DASHBOARD_QUERIES))
      expect(
        dashboardRoutes.map((r) => r.key),
        `${key} is listed in DASHBOARD_QUERIES`,
      ).toContain(key);
  });

  it("answers the dashboard's routes with a 4xx naming the field, within 2 s", async () => {
    const fixtures: Record<string, string> = {
      "/connections/{id}": api.connectionId,
      "/webhooks/{id}": api.fixtures["/webhook-endpoints/{id}"].value,
      "/sync-jobs/runs/{runId}": api.fixtures["/sync-job-runs/{id}"].value,
      "/connections/{id}/runs/{runId}": api.fixtures["/sync-runs/{id}"].value,
    };
    const problems: string[] = [];
    for (const route of dashboardRoutes) {
      const next = prng(seedOf(route.key, SEED));
      const valid: Record<string, string> = {};
      for (const name of parameterNames(route.path)) {
        const prefix = route.path.slice(0, route.path.indexOf(`{${name}}`) + name.length + 2);
        expect(fixtures[prefix], `add a fixture for the dashboard's "${prefix}" in lib/api/fuzz.test.ts`).toBeDefined();
        valid[name] = fixtures[prefix];
      }
      const { parameters, base = [] } = DASHBOARD_QUERIES[route.key] ?? { parameters: [] };
      const cases = pick([...pathCases(valid), ...queryCases(parameters, base, next)], CASES_PER_ROUTE, next);
      const found = await drive(route, cases, (c) => {
        const params = c.params ?? valid;
        const urlPath = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeSegment(params[name]));
        const query = new URLSearchParams(c.query ?? base).toString();
        return { request: new NextRequest(`http://localhost:3000/api/dashboard${urlPath}${query ? `?${query}` : ""}`), params };
      });
      problems.push(...found.map((p) => `${route.key} ${p}`));
    }
    expect(problems).toEqual([]);
  });

  /** Link's JSON bodies (its routes have no document): a valid body and its shape. */
  const LINK_BODIES: Record<string, { schema: JsonSchema; base: (token: string, relink: string) => Record<string, string> }> = {
    "POST /api/oauth": {
      schema: {
        type: "object",
        properties: { token: { type: "string" }, platform: { type: "string" }, account: { type: "string" } },
        required: ["token", "platform"],
      },
      base: (token) => ({ token, platform: "zendesk", account: "fuzz-desk" }),
    },
    "POST /api/api-key": {
      schema: {
        type: "object",
        properties: { token: { type: "string" }, platform: { type: "string" }, account: { type: "string" }, api_key: { type: "string" } },
        required: ["token", "platform", "account", "api_key"],
      },
      base: (token) => ({ token, platform: "quickbooks", account: "fuzz-company", api_key: "not-a-key" }),
    },
    "POST /api/relink": {
      schema: { type: "object", properties: { relink: { type: "string" } }, required: ["relink"] },
      base: (_token, relink) => ({ relink }),
    },
    "POST /api/tenant": {
      schema: { type: "object", properties: { token: { type: "string" }, tenant_id: { type: "string" } }, required: ["token", "tenant_id"] },
      base: (token) => ({ token, tenant_id: "00000000-0000-4000-8000-000000000000" }),
    },
  };

  it("answers Link's routes with a 4xx naming the field, within 2 s", async () => {
    const problems: string[] = [];
    for (const route of linkRoutes) {
      const next = prng(seedOf(route.key, SEED));
      if (route.method === "GET") {
        const parameters = ["state", "code", "error", "realmId"].map((name) => ({ name }));
        const cases = pick(
          queryCases(
            parameters,
            [
              ["state", "fuzz"],
              ["code", "fuzz"],
            ],
            next,
          ),
          CASES_PER_ROUTE,
          next,
        );
        const found = await drive(route, cases, (c) => ({
          request: new Request(`http://localhost:3000/link${route.path}?${new URLSearchParams(c.query ?? []).toString()}`),
          params: {},
        }));
        problems.push(...found.map((p) => `${route.key} ${p}`));
        continue;
      }
      const shape = LINK_BODIES[route.key];
      expect(shape, `${route.key}: describe its body in LINK_BODIES`).toBeDefined();
      // One session for the whole route: the cases that complete it leave the rest answering 410.
      const base = shape.base(await linkToken(), relinkCapability({ id: api.connectionId, relinkGeneration: 0 }));
      const cases = pick(bodyCases(shape.schema, base, next, 64 * 1024), CASES_PER_ROUTE, next);
      const found = await drive(route, cases, (c) => ({
        request: new Request(`http://localhost:3000/link${route.path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: c.body ?? JSON.stringify(base),
        }),
        params: {},
      }));
      problems.push(...found.map((p) => `${route.key} ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it("answers the platforms' webhook route with a 4xx, within 2 s", async () => {
    const problems: string[] = [];
    for (const route of platformWebhookRoutes) {
      const next = prng(seedOf(route.key, SEED));
      const valid = { platform: "shopify", connectionId: api.connectionId };
      const base = { id: 1, updated_at: "2026-01-01T00:00:00Z" };
      const cases = pick(
        [
          ...pathCases(valid),
          ...bodyCases({ type: "object", properties: { id: { type: "integer" }, updated_at: { type: "string", format: "date-time" } } }, base, next, 64 * 1024),
        ],
        CASES_PER_ROUTE,
        next,
      );
      const found = await drive(route, cases, (c) => {
        const params = c.params ?? valid;
        return {
          request: new Request(`http://localhost:3000/api/platform-webhooks/${encodeSegment(params.platform)}/${encodeSegment(params.connectionId)}`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-shopify-topic": "orders/updated", "x-shopify-hmac-sha256": "AAAA" },
            body: c.body ?? JSON.stringify(base),
          }),
          params,
        };
      });
      problems.push(...found.map((p) => `${route.key} ${p}`));
    }
    expect(problems).toEqual([]);
  });
});
