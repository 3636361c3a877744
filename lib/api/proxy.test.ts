// The proxy (/api/v1/proxy/{path}) through its route handler, on a real database, against the
// platforms' emulators over HTTP: GET and POST pass through with the connection's credentials and
// come back as the platform sent them, marked as proxied; paths outside the platform's API are
// refused naming `path`; and a burst of proxied GraphQL queries beside a running sync takes its
// points from the same bucket as the sync, so Shopify answers none of them THROTTLED.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@/lib/crypto";
import { testDatabaseKinds } from "@/lib/db/testing";
import { provideEngine, type SyncEngine } from "@/lib/sync/engine";
import { RequestLimiter } from "@/lib/sync/limiter";
import { requestSync } from "@/lib/sync/planner";
import { executeRun } from "@/lib/sync/runner";
import { proxyUrl } from "@/lib/platforms/proxy-url";
import { createApiFixtures, type ApiFixtures } from "./routes.testing";

type Json = Record<string, unknown>;

describe.each(testDatabaseKinds())("the proxy (%s)", (kind) => {
  let api: ApiFixtures;
  const tokens: Record<string, string> = {};

  /** A sandbox connection whose access token is `token`. */
  async function connect(platform: string, id: string, token: string, options: { size: number; rate_limited?: boolean }) {
    const connectionId = await api.h.connect(platform, { id, ...options });
    await api.h.database.db.connection.update({ where: { id: connectionId }, data: { accessTokenHash: hashToken(token) } });
    tokens[platform] = token;
    return connectionId;
  }

  /**
   * Runs `work` with the engine's limits at the platforms' own allowances. The harness scales them 1000×
   * (tests without limits), so its model of a points bucket starts at 2,000,000 until the first answer
   * reports the real level: a burst sent at once would be let through before any report (CI met 2 of 20
   * THROTTLED that way on PostgreSQL). A deployment runs unscaled, as here.
   */
  async function withRealLimits<T>(work: (engine: SyncEngine) => Promise<T>): Promise<T> {
    const engine: SyncEngine = { ...api.h.engine, limiter: new RequestLimiter() };
    provideEngine(engine);
    try {
      return await work(engine);
    } finally {
      provideEngine(api.h.engine);
    }
  }

  beforeAll(async () => {
    api = await createApiFixtures(kind);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  async function proxy(method: string, path: string, options: { token: string; query?: string; body?: string; headers?: Record<string, string> }) {
    const route = api.routes.get(`${method} /proxy/{path}`)!;
    const search = new URLSearchParams(options.query ?? "");
    search.set("access_token", options.token);
    const request = new Request(`http://localhost:3000/api/v1/proxy${path}?${search}`, {
      method,
      headers: { authorization: api.auth.ours, ...options.headers },
      body: options.body,
    });
    const response = await route.handler(request, { params: Promise.resolve({ path: path.slice(1).split("/") }) });
    const text = await response.text();
    let body: Json | null = null;
    try {
      body = JSON.parse(text) as Json;
    } catch {
      body = null;
    }
    return { status: response.status, headers: response.headers, body, text };
  }

  it("passes a GET through to Zendesk with the connection's credentials, and its answer back as the platform sent it", async () => {
    await connect("zendesk", `proxy-desk-${kind}`, "access_proxy_desk", { size: 12 });
    const answer = await proxy("GET", "/tickets.json", { token: tokens.zendesk, query: "per_page=5", headers: { accept: "application/json" } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("tributary-proxied")).toBe("true");
    expect(answer.headers.get("content-type")).toMatch(/application\/json/);
    // The platform's own shape, not a unified one, and the ids its ground truth holds.
    const tickets = answer.body!.tickets as Json[];
    expect(tickets.length).toBe(5);
    const truth = new Set(await api.h.truth("zendesk", `proxy-desk-${kind}`, "tickets"));
    for (const ticket of tickets) expect(truth.has(String(ticket.id))).toBe(true);
    // Our rate-limit headers are on the answer; the caller's API key never reaches the platform (it would refuse it).
    expect(answer.headers.get("x-ratelimit-limit") ?? answer.headers.get("ratelimit-limit")).not.toBeNull();

    // A platform's refusal comes back as the platform's, still marked as proxied.
    const missing = await proxy("GET", "/tickets/999999999.json", { token: tokens.zendesk });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("tributary-proxied")).toBe("true");
    expect(missing.body).not.toHaveProperty("error_code");
  });

  it("passes a POST through to Shopify's GraphQL Admin API", async () => {
    const answer = await proxy("POST", "/2026-10/graphql.json", {
      token: api.tokens.ours,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ products(first: 3) { edges { node { id title } } } }" }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("tributary-proxied")).toBe("true");
    const edges = ((answer.body!.data as Json).products as Json).edges as Json[];
    const products = await api.h.truth("shopify", `routes-shop-${kind}`, "products");
    expect(edges.length).toBe(Math.min(3, products.length));
    expect(edges.length).toBeGreaterThan(0);
    expect(String((edges[0].node as Json).id)).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
  });

  it("refuses absolute URLs, dot segments and paths outside the platform's API, naming path, and sends nothing", async () => {
    for (const path of ["/..%2Foauth%2Faccess_token", "/https:%2F%2Fevil.example%2Fx", "//evil.example/x", "/2026-10%5C..%5Cshop.json", "/"]) {
      const refused = await proxy("GET", path, { token: api.tokens.ours });
      expect(refused.status, path).toBe(400);
      expect(refused.body, path).toMatchObject({ error_code: "INVALID_FIELD", field: "path" });
      expect(refused.headers.get("tributary-proxied"), path).toBeNull();
    }
    expect(() => proxyUrl("https://shop.example/admin/api", "/../oauth/access_token", "")).toThrow("must not hold . or .. segments");
    expect(proxyUrl("https://shop.example/admin/api", "/2026-10/shop.json", "?fields=id")).toBe("https://shop.example/admin/api/2026-10/shop.json?fields=id");
    // And the rest of the request's refusals: a token of no connection, an Idempotency-Key (the proxy keeps no answers).
    expect(await proxy("GET", "/2026-10/shop.json", { token: "access_nothing" })).toMatchObject({ status: 404, body: { error_code: "NOT_FOUND" } });
    expect(await proxy("POST", "/2026-10/graphql.json", { token: api.tokens.ours, body: "{}", headers: { "idempotency-key": "k1" } })).toMatchObject({
      status: 400,
      body: { field: "Idempotency-Key" },
    });
  });

  it("holds a burst of proxied queries to the points bucket: 20 queries of ~250 points at once, against 2,000 points, none THROTTLED", async () => {
    // Alone, so the outcome does not hang on how a sync's pages interleave: without the reservation the
    // queries go one after another as fast as they are answered, each costing ~150 points of the
    // 1,500-record store's products, and Shopify throttled 8 of the 20 (checked by switching it off).
    await connect("shopify", `proxy-burst-${kind}`, "access_proxy_burst", { size: 1500, rate_limited: true });
    const query = JSON.stringify({ query: "{ products(first: 240) { edges { node { id title } } } }" });
    const answers = await withRealLimits(() =>
      Promise.all(
        Array.from({ length: 20 }, () =>
          proxy("POST", "/2026-10/graphql.json", { token: "access_proxy_burst", headers: { "content-type": "application/json" }, body: query }),
        ),
      ),
    );
    expect(answers.filter((answer) => answer.text.includes("THROTTLED")).length).toBe(0);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
  }, 120_000);

  it("takes a burst of proxied queries from the bucket a running sync spends: Shopify throttles none of them, nor the sync", async () => {
    const connectionId = await connect("shopify", `proxy-busy-${kind}`, "access_proxy_busy", { size: 1500, rate_limited: true });
    const run = await requestSync(api.h.engine, connectionId);
    // 20 queries of about 250 points each at once: 5,000 points against a 2,000-point bucket that restores 100 a second.
    const query = JSON.stringify({ query: "{ products(first: 240) { edges { node { id title } } } }" });
    let syncing: Promise<unknown> = Promise.resolve();
    const answers = await withRealLimits((engine) => {
      syncing = executeRun(engine, run!.runId);
      return Promise.all(
        Array.from({ length: 20 }, () =>
          proxy("POST", "/2026-10/graphql.json", { token: tokens.shopify, headers: { "content-type": "application/json" }, body: query }),
        ),
      );
    });
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain("THROTTLED");
      expect((((answer.body!.data as Json).products as Json).edges as Json[]).length).toBeGreaterThan(0);
    }
    await syncing;
    const stats = (await api.h.database.db.syncRun.findUniqueOrThrow({ where: { id: run!.runId } })).stats as { rate_limited: number };
    expect(stats.rate_limited).toBe(0);
  }, 120_000);
});
