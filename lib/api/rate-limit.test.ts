// The API's per-organization rate limit: the token bucket on a fake clock, the variable that sets it,
// and through apiRoute on a real database: 429 with Retry-After past the burst, the headers on every
// answer (errors and idempotent replays too), one organization's burst leaving another's alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as syncRoute } from "@/app/api/v1/connections/[id]/sync/route";
import { GET as getConnection } from "@/app/api/v1/connections/[id]/route";
import { GET as listConnections } from "@/app/api/v1/connections/route";
import { ConfigError } from "@/lib/config";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { testDatabaseKinds } from "@/lib/db/testing";
import { provideEngine } from "@/lib/sync/engine";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import type { RouteHandler } from "./handler";
import { createApiKey } from "./keys";
import { ApiRateLimiter, getApiRateLimiter, parseApiRateLimit, provideApiRateLimiter } from "./rate-limit";

describe("the API's token bucket", () => {
  it("lets a burst through, then one request per refilled token, and says when to come back", async () => {
    let now = 1_000_000;
    const limiter = new ApiRateLimiter({ requestsPerSecond: 100, burst: 200 }, () => now);
    const taken = await Promise.all(Array.from({ length: 200 }, () => limiter.take("org:sandbox")));
    expect(taken.every((d) => d.allowed)).toBe(true);
    expect(taken.map((d) => d.remaining).slice(0, 2)).toEqual([199, 198]);
    expect(taken.at(-1)).toMatchObject({ limit: 200, remaining: 0 });
    expect(await limiter.take("org:sandbox")).toEqual({ allowed: false, limit: 200, remaining: 0, retryAfterSeconds: 1 });
    // Another organization (or environment) has its own bucket.
    expect((await limiter.take("org:production")).allowed).toBe(true);
    now += 10; // one token at 100 per second
    expect((await limiter.take("org:sandbox")).allowed).toBe(true);
    expect((await limiter.take("org:sandbox")).allowed).toBe(false);
    now += 60_000; // a quiet minute refills to the burst, not beyond
    expect((await limiter.take("org:sandbox")).remaining).toBe(199);
  });

  it("gives Retry-After in whole seconds, at least 1", async () => {
    let now = 0;
    const slow = new ApiRateLimiter({ requestsPerSecond: 0.25, burst: 1 }, () => now);
    expect((await slow.take("k")).allowed).toBe(true);
    expect((await slow.take("k")).retryAfterSeconds).toBe(4);
    now += 3_500;
    expect((await slow.take("k")).retryAfterSeconds).toBe(1);
  });

  it("reads TRIBUTARY_API_RATE_LIMIT: requests per second, the burst twice that", () => {
    expect(parseApiRateLimit(undefined)).toEqual({ requestsPerSecond: 100, burst: 200 });
    expect(parseApiRateLimit("")).toEqual({ requestsPerSecond: 100, burst: 200 });
    expect(parseApiRateLimit("5")).toEqual({ requestsPerSecond: 5, burst: 10 });
    expect(parseApiRateLimit("0.2")).toEqual({ requestsPerSecond: 0.2, burst: 1 });
    for (const bad of ["0", "-1", "fast", "10/s"]) expect(() => parseApiRateLimit(bad)).toThrow(ConfigError);
    const saved = process.env.TRIBUTARY_API_RATE_LIMIT;
    try {
      process.env.TRIBUTARY_API_RATE_LIMIT = "7";
      provideApiRateLimiter(null);
      expect(getApiRateLimiter().config).toEqual({ requestsPerSecond: 7, burst: 14 });
    } finally {
      if (saved === undefined) delete process.env.TRIBUTARY_API_RATE_LIMIT;
      else process.env.TRIBUTARY_API_RATE_LIMIT = saved;
      provideApiRateLimiter(null);
    }
  });
});

describe.each(testDatabaseKinds())("the API's rate limit per organization (%s)", (kind) => {
  let h: SyncHarness;
  let auth: string;
  let otherAuth: string;
  let connectionId: string;
  let now = 0;

  const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  const call = async (
    route: RouteHandler,
    path: string,
    options: { authorization?: string; params?: Record<string, string>; method?: string; headers?: Record<string, string> } = {},
  ) => {
    const request = new Request(`http://localhost:3000/api/v1${path}`, {
      method: options.method ?? "GET",
      headers: { authorization: options.authorization ?? auth, ...options.headers },
      body: options.method === "POST" ? "{}" : undefined,
    });
    const response = await route(request, { params: Promise.resolve(options.params ?? {}) });
    const header = (name: string) => response.headers.get(name);
    return {
      status: response.status,
      limit: header("X-RateLimit-Limit"),
      remaining: header("X-RateLimit-Remaining"),
      retryAfter: header("Retry-After"),
      replayed: header("Idempotent-Replayed"),
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
    provideEngine(h.engine);
    const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox", name: "Backend" });
    auth = basic(key.clientId, key.secret);
    const other = await createOrganizationWithOwner(h.database.db, {
      name: "Other",
      slug: `other-rate-${kind}`,
      owner: { email: "o@example.com", name: "O", passwordHash: "x" },
    });
    const otherKey = await createApiKey(h.database.db, { organizationId: other.organization.id, environment: "sandbox", name: "Other" });
    otherAuth = basic(otherKey.clientId, otherKey.secret);
    connectionId = await h.connect("shopify", { id: `rate-shop-${kind}`, size: 10 });
  });
  afterAll(async () => {
    provideApiRateLimiter(null);
    await h?.close();
  });

  it("answers 429 RATE_LIMIT_EXCEEDED with Retry-After past the burst, and X-RateLimit headers on every answer", async () => {
    provideApiRateLimiter(new ApiRateLimiter({ requestsPerSecond: 2, burst: 4 }, () => now));
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await call(listConnections, "/connections"));
    expect(answers.map((a) => [a.status, a.limit, a.remaining])).toEqual([
      [200, "4", "3"],
      [200, "4", "2"],
      [200, "4", "1"],
      [200, "4", "0"],
    ]);
    const refused = await call(listConnections, "/connections");
    expect(refused).toMatchObject({
      status: 429,
      limit: "4",
      remaining: "0",
      retryAfter: "1",
      body: { error_type: "RATE_LIMIT_ERROR", error_code: "RATE_LIMIT_EXCEEDED" },
    });
    expect(refused.body.error_message).toMatch(/2 per second/);

    // Another organization is not slowed down by this one.
    expect(await call(listConnections, "/connections", { authorization: otherAuth })).toMatchObject({ status: 200, remaining: "3" });

    // Half a second later one token is back: an error answer carries the headers too.
    now += 500;
    const missing = "conn_01ARZ3NDEKTSV4RRFFQ69G5FAV";
    expect(await call(getConnection, `/connections/${missing}`, { params: { id: missing } })).toMatchObject({ status: 404, limit: "4", remaining: "0" });
    expect((await call(listConnections, "/connections")).status).toBe(429);
    // Bad credentials are answered 401 whatever the bucket holds: authentication comes first.
    expect((await call(listConnections, "/connections", { authorization: basic("ck_test_nope", "x") })).status).toBe(401);
  });

  it("counts idempotent replays like any request, and puts the headers on them", async () => {
    provideApiRateLimiter(new ApiRateLimiter({ requestsPerSecond: 2, burst: 4 }, () => now));
    const sync = (key: string) =>
      call(syncRoute, `/connections/${connectionId}/sync`, {
        method: "POST",
        params: { id: connectionId },
        headers: { "Idempotency-Key": key, "content-type": "application/json" },
      });
    expect(await sync("rate-1")).toMatchObject({ status: 202, replayed: null, remaining: "3" });
    expect(await sync("rate-1")).toMatchObject({ status: 202, replayed: "true", limit: "4", remaining: "2" });
  });
});
