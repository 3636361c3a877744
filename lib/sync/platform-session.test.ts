// The platform session against the sandbox's Shopify, through a small HTTP proxy that sees every
// request (when, which token, page or token refresh) and can answer in the platform's place (401, 503,
// 429 with Retry-After), on a real database holding the connection's sealed credentials: one refresh
// after a 401 and then the page, a second 401 is auth_revoked, transient failures retried after the one
// backoff and no more often than allowed, a 429 blocks the connection's limiter for its Retry-After,
// every request is counted and goes through the limiter, and a cost-limited connector's THROTTLED
// answer is rate_limited, counted like a 429, and holds the next query until the points are restored.
import { createServer, type Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getConnector } from "@/lib/platforms";
import { ConnectorError, type ListRequest } from "@/lib/platforms/types";
import { openCredentials, sealCredentials } from "./credentials";
import type { SyncEngine } from "./engine";
import { RequestLimiter } from "./limiter";
import { classifyFailure, openPlatformSession, transientBackoffMs, type PlatformFailure, type SessionOptions } from "./platform-session";
import { createSyncHarness, type SyncHarness } from "./testing";

interface Seen {
  /** A token request (the refresh grant), or a page. */
  kind: "token" | "page";
  at: number;
  authorization: string | null;
}

interface Proxy {
  url: string;
  seen: Seen[];
  pages(): Seen[];
  tokens(): Seen[];
  /** Answers a page request in the platform's place; null forwards it to the sandbox. Token requests are always forwarded. */
  answer: (page: number) => { status: number; headers?: Record<string, string> } | null;
  close(): Promise<void>;
}

async function startProxy(target: string): Promise<Proxy> {
  const proxy: Proxy = {
    url: "",
    seen: [],
    pages: () => proxy.seen.filter((s) => s.kind === "page"),
    tokens: () => proxy.seen.filter((s) => s.kind === "token"),
    answer: () => null,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const kind = req.url!.includes("/oauth/") ? "token" : "page";
        proxy.seen.push({ kind, at: performance.now(), authorization: req.headers["x-shopify-access-token"]?.toString() ?? req.headers.authorization ?? null });
        const planned = kind === "page" ? proxy.answer(proxy.pages().length) : null;
        if (planned) {
          res
            .writeHead(planned.status, { "content-type": "application/json", ...planned.headers })
            .end(JSON.stringify({ errors: `planned ${planned.status}` }));
          return;
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !["host", "connection", "content-length"].includes(name))) as Record<
          string,
          string
        >;
        const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body: req.method === "GET" ? undefined : Buffer.concat(chunks) });
        const body = Buffer.from(await upstream.arrayBuffer());
        // fetch has decoded the body already: its length and encoding are the proxy's to set.
        const answerHeaders = [...upstream.headers].filter(
          ([name]) => !["content-length", "content-encoding", "transfer-encoding", "connection"].includes(name),
        );
        res.writeHead(upstream.status, Object.fromEntries(answerHeaders)).end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return proxy;
}

describe("the platform session", () => {
  const RETRY_BASE_MS = 100;
  const MAX_RETRIES = 3;
  let h: SyncHarness;
  let proxy: Proxy;
  let connectionId: string;
  let engine: SyncEngine;
  // One query a page: a first page of a whole listing would also start a bulk operation (a second request).
  const orders: ListRequest = { object: "orders", cursor: null, interactive: true };

  beforeAll(async () => {
    h = await createSyncHarness({ engine: { retryBaseMs: RETRY_BASE_MS, maxTransientRetries: MAX_RETRIES } });
    proxy = await startProxy(h.sandbox.url);
    connectionId = await h.connect("shopify", { id: "session-shop", size: 300 });
  });
  afterAll(async () => {
    await proxy?.close();
    await h?.close();
  });

  let hooks: { requests: number; rateLimited: number[]; retries: PlatformFailure[] };
  afterEach(async () => {
    proxy.seen.length = 0;
    proxy.answer = () => null;
    // Working credentials again, whatever the test did to them.
    const token = (await (await h.control("/shopify/session-shop/tokens", "POST", {})).json()) as {
      access_token: string;
      refresh_token: string;
      expires_at: string;
    };
    await h.database.db.connection.update({
      where: { id: connectionId },
      data: {
        credentialsEncrypted: sealCredentials({
          kind: "oauth",
          accessToken: token.access_token,
          refreshToken: token.refresh_token,
          expiresAt: Date.parse(token.expires_at),
          scopes: [],
        }),
      },
    });
  });

  /** A session on a fresh limiter (no bucket left blocked by another test), through the proxy. */
  function open(options: SessionOptions = {}, limiter = new RequestLimiter({ scale: 1000 })) {
    engine = { ...h.engine, sandboxUrl: proxy.url, limiter };
    hooks = { requests: 0, rateLimited: [], retries: [] };
    return openPlatformSession(
      engine,
      { id: connectionId, platform: "shopify", platformAccountId: "session-shop", environment: "sandbox" },
      {
        onRequest: () => hooks.requests++,
        onRateLimited: (ms) => hooks.rateLimited.push(ms),
        onRetry: (failure) => hooks.retries.push(failure),
        ...options,
      },
    );
  }

  const stored = async () => openCredentials((await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).credentialsEncrypted);
  /** The stored access token stops working (the platform expired it early); the refresh token still works. */
  async function staleAccessToken(refreshable = true): Promise<void> {
    const credentials = await stored();
    if (credentials.kind !== "oauth") throw new Error("expected OAuth credentials");
    const stale = { ...credentials, accessToken: "shopify_at_expired_early", refreshToken: refreshable ? credentials.refreshToken : null };
    await h.database.db.connection.update({ where: { id: connectionId }, data: { credentialsEncrypted: sealCredentials(stale) } });
  }
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => classifyFailure(error),
    );

  it("refreshes the credentials once after a 401 and sends the page again, which succeeds", async () => {
    await staleAccessToken();
    const page = await open().list(orders);
    expect(page.records.length).toBeGreaterThan(0);
    // The page with the stale token (401 from the sandbox), the refresh grant, the page with the new token.
    expect(proxy.seen.map((s) => s.kind)).toEqual(["page", "token", "page"]);
    const refreshed = await stored();
    if (refreshed.kind !== "oauth") throw new Error("expected OAuth credentials");
    expect(proxy.seen[0].authorization).toBe("shopify_at_expired_early");
    expect(proxy.seen[2].authorization).toBe(refreshed.accessToken);
    expect(refreshed.accessToken).not.toBe("shopify_at_expired_early");
    expect(hooks.retries.map((f) => f.kind)).toEqual(["auth_revoked"]);
  });

  it("proxies a request with fresh credentials after a 401, and passes a second 401 back as the platform's answer", async () => {
    await staleAccessToken();
    const shop = {
      method: "POST",
      path: "/2026-10/graphql.json",
      search: "",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    };
    const answer = await open().proxy(shop);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { data: { shop: { name: string } } }).data.shop.name).toEqual(expect.any(String));
    expect(proxy.seen.map((s) => s.kind)).toEqual(["page", "token", "page"]);
    const refreshed = await stored();
    expect(proxy.seen[2].authorization).toBe(refreshed.kind === "oauth" ? refreshed.accessToken : null);

    proxy.seen.length = 0;
    proxy.answer = () => ({ status: 401 });
    expect((await open().proxy(shop)).status).toBe(401);
    expect(proxy.seen.map((s) => s.kind)).toEqual(["page", "token", "page"]);
  });

  it("a second 401 after the refresh is auth_revoked, and nothing is refreshed twice", async () => {
    proxy.answer = () => ({ status: 401 });
    const failure = await failureOf(open().list(orders));
    expect(failure).toMatchObject({ kind: "auth_revoked", status: 401 });
    expect(proxy.seen.map((s) => s.kind)).toEqual(["page", "token", "page"]);
  });

  it("pages that meet a 401 together share one refresh", async () => {
    await staleAccessToken();
    const session = open();
    const pages = await Promise.all([session.list(orders), session.list({ object: "customers", cursor: null, interactive: true })]);
    expect(pages.every((page) => page.records.length > 0)).toBe(true);
    expect(proxy.tokens()).toHaveLength(1);
    expect(proxy.pages()).toHaveLength(4);
  });

  it("credentials without a refresh token: a 401 is auth_revoked at once", async () => {
    await staleAccessToken(false);
    const failure = await failureOf(open().list(orders));
    expect(failure).toMatchObject({ kind: "auth_revoked" });
    expect(proxy.seen.map((s) => s.kind)).toEqual(["page"]);
    expect(hooks.retries).toEqual([]);
  });

  it("retries a transient failure after base·2ⁿ·(0.5–1.5) ms, and returns the page once the platform recovers", async () => {
    proxy.answer = (page) => (page <= 2 ? { status: 503 } : null);
    const page = await open().list(orders);
    expect(page.records.length).toBeGreaterThan(0);
    const times = proxy.pages().map((s) => s.at);
    expect(times).toHaveLength(3);
    // The waits between attempts: retry n waits 0.5–1.5 times base·2ⁿ (with room for a loaded machine above).
    for (const [n, gap] of [times[1] - times[0], times[2] - times[1]].entries()) {
      expect(gap).toBeGreaterThanOrEqual(0.5 * RETRY_BASE_MS * 2 ** n - 2);
      expect(gap).toBeLessThan(1.5 * RETRY_BASE_MS * 2 ** n + 150);
    }
    expect(hooks.retries.map((f) => f.kind)).toEqual(["transient", "transient"]);
  });

  it("gives up on a transient failure after maxTransientRetries retries", async () => {
    proxy.answer = () => ({ status: 503 });
    const failure = await failureOf(open().list(orders));
    expect(failure).toMatchObject({ kind: "transient", status: 503 });
    expect(proxy.pages()).toHaveLength(1 + MAX_RETRIES);
    expect(hooks.retries).toHaveLength(MAX_RETRIES);
    // And a session told not to retry (Link's probe) asks once.
    proxy.seen.length = 0;
    expect(await failureOf(open({ transientRetries: 0 }).list(orders))).toMatchObject({ kind: "transient" });
    expect(proxy.pages()).toHaveLength(1);
  });

  it("a 429 blocks the connection in the limiter for its Retry-After, and is left to the caller with the wait", async () => {
    proxy.answer = (page) => (page === 1 ? { status: 429, headers: { "retry-after": "1" } } : null);
    const session = open();
    const failure = await failureOf(session.list(orders));
    expect(failure).toMatchObject({ kind: "rate_limited", retryAfterMs: 1000 });
    expect(hooks.rateLimited).toEqual([1000]);
    // Not retried by the session: one request.
    expect(proxy.pages()).toHaveLength(1);
    // The next page waits in the limiter until the Retry-After has passed.
    const page = await session.list(orders);
    expect(page.records.length).toBeGreaterThan(0);
    const [limited, next] = proxy.pages();
    expect(next.at - limited.at).toBeGreaterThanOrEqual(950);
  });

  it("counts every request it sends, retries included, each through the limiter; the token refresh is neither", async () => {
    await staleAccessToken();
    // A platform budget makes the limiter record each grant per connection.
    const limiter = new RequestLimiter({ scale: 1000, platformBudgets: { shopify: { requestsPerSecond: 1000, burst: 1000 } } });
    proxy.answer = (page) => (page === 3 ? { status: 503 } : null);
    const session = open({}, limiter);
    // 401, then the page; then a 503, then the page; then one more page.
    await session.list(orders);
    await session.list(orders);
    await session.list(orders);
    expect(proxy.pages()).toHaveLength(5);
    expect(proxy.tokens()).toHaveLength(1);
    expect(hooks.requests).toBe(5);
    expect(limiter.budget("shopify")!.granted.get(connectionId)).toBe(5);
  });

  it("hands a cost-limited platform's connector the store's points bucket: a THROTTLED answer is rate_limited, counted, and paces the next query", async () => {
    const shopify = getConnector("shopify");
    const allowance = shopify.rateLimit.cost!;
    const store = { maximumAvailable: 2000, currentlyAvailable: 30, restoreRate: 100 };
    const sentAt: number[] = [];
    // A GraphQL connector's protocol, in place of the REST connector: take the query's cost, send, settle or throw THROTTLED.
    const list = vi.spyOn(shopify, "list").mockImplementation(async (context) => {
      const charge = await context.cost!.take(60);
      sentAt.push(performance.now());
      if (sentAt.length === 1) throw charge.throttled(store);
      charge.settle({ actual: 20, throttleStatus: { ...store, currentlyAvailable: 10 } });
      return { records: [], nextCursor: null, deleted: [], requests: 1 };
    });
    try {
      const limiter = new RequestLimiter({ scale: 1000 });
      const session = open({}, limiter);
      // 30 points short at 100 a second.
      expect(await failureOf(session.list(orders))).toMatchObject({ kind: "rate_limited", retryAfterMs: 300 });
      expect(hooks.rateLimited).toEqual([300]);
      expect(limiter.points("shopify", allowance, "sandbox:session-shop").available()).toBeLessThan(60);
      // The model holds the store's 30 points: the next query waits for the other 30, at the store's rate less the margin.
      await session.list(orders);
      expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(290);
      expect(limiter.points("shopify", allowance, "sandbox:session-shop").available()).toBeCloseTo(10, 0);
    } finally {
      list.mockRestore();
    }
  });

  it("classifies failures in one place: a connector's kinds, a rate limit's wait (1 s when unsaid), anything else internal", () => {
    expect(classifyFailure(new ConnectorError("account_closed", "closed", { status: 404 }))).toEqual({
      kind: "account_closed",
      message: "closed",
      status: 404,
    });
    expect(classifyFailure(new ConnectorError("rate_limited", "slow down", { retryAfterMs: 2500 }))).toMatchObject({
      kind: "rate_limited",
      retryAfterMs: 2500,
    });
    expect(classifyFailure(new ConnectorError("rate_limited", "slow down"))).toMatchObject({ kind: "rate_limited", retryAfterMs: 1000 });
    expect(classifyFailure(new TypeError("boom"))).toEqual({ kind: "internal", message: "boom" });
    expect(classifyFailure("a string")).toEqual({ kind: "internal", message: "a string" });
  });

  it("spreads transient backoff over 0.5–1.5 times base·2ⁿ", () => {
    expect(transientBackoffMs(100, 0, () => 0)).toBe(50);
    expect(transientBackoffMs(100, 0, () => 0.5)).toBe(100);
    expect(transientBackoffMs(100, 2, () => 0)).toBe(200);
    expect(transientBackoffMs(100, 2, () => 0.999)).toBeCloseTo(599.6);
  });
});
