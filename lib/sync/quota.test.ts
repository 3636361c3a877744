// The daily request allowance (quota.ts) on a real database: one count shared by every engine on the
// database, a sync that pauses exactly at the allowance without sending one request more and says so
// (run, event, API status, planner), resumes once the window frees, and a rolling window that frees
// requests as they age. Ledgerly (the tests-only platform) is registered with a small allowance.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DailyAllowance } from "@/lib/platforms/definition";

const ALLOWANCE: DailyAllowance = { requests: 100, window: "rolling_24h" };

vi.mock("@/lib/platforms/registry", async (importOriginal) => {
  const registry = await importOriginal<typeof import("@/lib/platforms/registry")>();
  const { ledgerly } = await import("@/lib/platforms/testing/ledgerly");
  const withDaily = <P extends (typeof registry.PLATFORMS)[number] | typeof ledgerly>(platform: P, daily: DailyAllowance): P => {
    const rateLimit = { ...platform.connector.rateLimit, daily };
    return { ...platform, definition: { ...platform.definition, rateLimit }, connector: { ...platform.connector, rateLimit } };
  };
  // Shopify too, with 2 a day, for force-fetch reads (orders).
  const platforms = registry.PLATFORMS.map((platform) =>
    platform.definition.key === "shopify" ? withDaily(platform, { requests: 2, window: "utc_day" }) : platform,
  );
  return { PLATFORMS: [...platforms, withDaily(ledgerly, ALLOWANCE)] };
});

const { testDatabaseKinds } = await import("@/lib/db/testing");
const { createDb } = await import("@/lib/db/client");
const { ConnectorError } = await import("@/lib/platforms/types");
const { createSyncHarness } = await import("./testing");
const { sealCredentials } = await import("./credentials");
const { createSyncEngine } = await import("./engine");
const { RequestLimiter } = await import("./limiter");
const { openPlatformSession, classifyFailure } = await import("./platform-session");
const { nextRun } = await import("./planner");
const { executeRun } = await import("./runner");
const { takeDailyRequest, quotaFreesAt, quotaCap, dailyQuotaState } = await import("./quota");
const { connectionView, pausesOf } = await import("@/lib/api/connections");
const { toApiError } = await import("@/lib/api/errors");
const { listRecords, ReadError } = await import("./reads");
type SyncHarness = Awaited<ReturnType<typeof createSyncHarness>>;
type Engine = ReturnType<typeof createSyncEngine>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BUCKET = 5 * MINUTE;
const bucketOf = (ms: number) => Math.floor(ms / BUCKET) * BUCKET;

describe("the window", () => {
  it("leaves the reserve to interactive requests: 98 of 100, 4,900 of 5,000", () => {
    expect([quotaCap(ALLOWANCE, false), quotaCap(ALLOWANCE, true)]).toEqual([98, 100]);
    expect(quotaCap({ requests: 5_000, window: "rolling_24h" }, false)).toBe(4_900);
    expect(quotaCap({ requests: 10, window: "utc_day" }, false)).toBe(10);
  });

  it("frees when the oldest buckets that bring the count under the cap leave it", () => {
    const buckets = { bucketMs: BUCKET, spanMs: 24 * HOUR };
    const at = (ms: number) => new Date(Date.UTC(2026, 11, 3) + ms);
    const rows = [
      { bucketStart: at(0), used: 2 },
      { bucketStart: at(HOUR), used: 3 },
    ];
    expect(quotaFreesAt(rows, 6, buckets)).toBeNull();
    expect(quotaFreesAt(rows, 5, buckets)).toEqual(at(BUCKET + 24 * HOUR));
    expect(quotaFreesAt(rows, 2, buckets)).toEqual(at(HOUR + BUCKET + 24 * HOUR));
  });
});

describe.each(testDatabaseKinds())("daily allowance on %s", (kind) => {
  let h: SyncHarness;
  /** Requests the Ledgerly emulator received for data (token requests aside). */
  let sent = 0;
  let engine: Engine;
  beforeAll(async () => {
    // One batch for the whole history: one run is the account's whole sync.
    h = await createSyncHarness({ kind, engine: { inlineRateLimitWaitMs: 0 }, batches: [{ objects: [], fromMonthsAgo: null, toMonthsAgo: 0 }] });
    const counting: typeof fetch = (input, init) => {
      if (/\/ledgerly\/[^/]+\/v1\//.test(String(input instanceof Request ? input.url : input))) sent++;
      return fetch(input, init);
    };
    engine = { ...h.engine, fetch: counting };
  });
  afterAll(() => h?.close());

  /** New tokens after a day: Ledgerly's emulator serves no OAuth refresh, so the connection's day-old token is replaced as a re-link would. */
  async function freshToken(connectionId: string, accountId: string) {
    const token = (await (await h.control(`/ledgerly/${accountId}/tokens`, "POST", {})).json()) as {
      access_token: string;
      refresh_token: string;
      expires_at: string;
    };
    const credentials = {
      kind: "oauth" as const,
      accessToken: token.access_token,
      refreshToken: token.refresh_token,
      expiresAt: Date.parse(token.expires_at),
      scopes: [],
    };
    await h.database.db.connection.update({ where: { id: connectionId }, data: { credentialsEncrypted: sealCredentials(credentials) } });
  }

  /** Requests sent an hour ago by other work, leaving `left` to syncs (the cap is 98). */
  async function spent(connectionId: string, used: number, at: number) {
    await h.database.db.platformQuotaUsage.create({ data: { connectionId, bucketStart: new Date(bucketOf(at)), used } });
  }

  it("pauses a sync whose allowance is smaller than its pages before exceeding it, says so, and resumes once the window frees", async () => {
    const connectionId = await h.connect("ledgerly", { id: "daily-ledger", size: 600 });
    const hourAgo = h.now() - HOUR;
    await spent(connectionId, 95, hourAgo);
    const runId = (await nextRun(engine, connectionId))!;
    sent = 0;
    const result = await executeRun(engine, runId);
    // 98 for syncs: 3 pages sent, the fourth refused unsent.
    expect(sent).toBe(3);
    const resumeAt = new Date(bucketOf(hourAgo) + BUCKET + 24 * HOUR);
    expect(result).toEqual({ status: "rate_limited", resumeAt: expect.any(Date) });
    expect(Math.abs((result as { resumeAt: Date }).resumeAt.getTime() - resumeAt.getTime())).toBeLessThan(1000);

    const run = await h.database.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("rate_limited");
    const [event] = await h.database.db.event.findMany({ where: { syncRunId: runId, type: "SYNC_RATE_LIMITED" } });
    const message = `daily limit of 100 requests reached; resumes at ${resumeAt.toISOString().replace("T", " ").slice(0, 16)} UTC`;
    expect(event.data).toMatchObject({ limit: "daily", message, resume_at: run.resumeAt!.toISOString() });
    // No retry spent, health untouched.
    const connection = await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(connection).toMatchObject({ health: "HEALTHY", consecutiveFailures: 0 });
    expect((run.stats as { retries: number }).retries).toBe(0);

    // The API's status says it.
    const view = connectionView(connection, "http://app.test", { pause: (await pausesOf(h.database.db, [connectionId])).get(connectionId) });
    expect(view.paused).toEqual({ limit: "daily", message, resume_at: run.resumeAt!.toISOString() });

    // Interactive requests (force-fetch reads) may use the reserve, and not one request more.
    const read = openPlatformSession(engine, { ...connection, platformAccountId: connection.platformAccountId! });
    await read.list({ object: "tax_rates", cursor: null, interactive: true });
    await read.list({ object: "tax_rates", cursor: null, interactive: true });
    const refused = await read.list({ object: "tax_rates", cursor: null, interactive: true }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConnectorError);
    expect(classifyFailure(refused)).toMatchObject({ kind: "rate_limited", limit: "daily" });
    expect(sent).toBe(5);
    expect((await dailyQuotaState(h.database.db, connectionId, ALLOWANCE, { now: h.now(), interactive: true })).used).toBe(100);

    // The planner hands nothing back before the window frees, then the paused run, which finishes.
    expect(await nextRun(engine, connectionId)).toBeNull();
    h.advance(run.resumeAt!.getTime() - h.now() - 1000);
    expect(await nextRun(engine, connectionId)).toBeNull();
    h.advance(1000);
    await freshToken(connectionId, "daily-ledger");
    expect(await nextRun(engine, connectionId)).toBe(runId);
    expect(await executeRun(engine, runId)).toEqual({ status: "succeeded" });
    for (const object of ["tax_classes", "tax_rates"]) expect(await h.stored(connectionId, object)).toEqual(await h.truth("ledgerly", "daily-ledger", object));
    // The refused page was never sent, so the whole sync cost its pages once: 2 + 5 pages of 100 records.
    const stats = (await h.database.db.syncRun.findUniqueOrThrow({ where: { id: runId } })).stats as { requests: number; pauses: unknown[] };
    expect(stats.requests).toBe(7);
    expect(sent).toBe(5 + 4);
  });

  it("does not start a new run while the allowance is spent, and schedules the next at the window's end", async () => {
    const connectionId = await h.connect("ledgerly", { id: "spent-ledger", size: 100 });
    await spent(connectionId, 98, h.now() - 2 * HOUR);
    expect(await nextRun(engine, connectionId)).toBeNull();
    const connection = await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(connection.nextSyncAt!.getTime()).toBe(bucketOf(h.now() - 2 * HOUR) + BUCKET + 24 * HOUR);
    expect(await h.database.db.syncRun.count({ where: { connectionId } })).toBe(0);
  });

  it("is one count for every engine on the database: sessions of two processes send exactly the allowance together", async () => {
    const connectionId = await h.connect("ledgerly", { id: "shared-ledger", size: 100 });
    await spent(connectionId, 90, h.now() - HOUR);
    const connection = await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    // A second process: its own database client and pool, its own limiter.
    const otherDb = createDb(h.database.url, { max: 5 });
    try {
      const other = createSyncEngine({
        db: otherDb,
        sandboxUrl: h.engine.sandboxUrl,
        clock: h.now,
        fetch: engine.fetch,
        limiter: new RequestLimiter({ scale: 1000 }),
      });
      sent = 0;
      const target = { ...connection, platformAccountId: connection.platformAccountId! };
      const sessions = [openPlatformSession(engine, target), openPlatformSession(other, target)];
      const outcomes = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          sessions[i % 2].list({ object: "tax_classes", cursor: null }).then(
            () => "sent",
            (error: unknown) => classifyFailure(error).kind,
          ),
        ),
      );
      expect(outcomes.filter((outcome) => outcome === "sent")).toHaveLength(8);
      expect(outcomes.filter((outcome) => outcome === "rate_limited")).toHaveLength(8);
      expect(sent).toBe(8);

      // Straight takes from both processes at once: exactly the interactive remainder (2) passes.
      const takes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => takeDailyRequest(i % 2 ? otherDb : h.database.db, connectionId, ALLOWANCE, { now: h.now(), interactive: true })),
      );
      expect(takes.filter((take) => take.granted)).toHaveLength(2);
      expect((await dailyQuotaState(otherDb, connectionId, ALLOWANCE, { now: h.now(), interactive: true })).used).toBe(100);
    } finally {
      await otherDb.$disconnect();
    }
  });

  it("frees requests of a rolling window as they age, never early, and prunes what left it", async () => {
    const connectionId = await h.connect("ledgerly", { id: "rolling-ledger", size: 10 });
    const small: DailyAllowance = { requests: 3, window: "rolling_24h" };
    const t0 = bucketOf(h.now()) + MINUTE;
    const take = (at: number) => takeDailyRequest(h.database.db, connectionId, small, { now: at, interactive: false });
    for (const at of [t0, t0 + HOUR, t0 + 2 * HOUR]) expect((await take(at)).granted).toBe(true);
    const refused = await take(t0 + 3 * HOUR);
    const first = bucketOf(t0) + BUCKET + 24 * HOUR;
    expect(refused).toEqual({ granted: false, used: 3, resumeAt: new Date(first) });
    expect((await take(first - 1)).granted).toBe(false);
    expect(await take(first)).toEqual({ granted: true, used: 3 });
    // The first bucket left the window and its row with it.
    expect(await h.database.db.platformQuotaUsage.count({ where: { connectionId, bucketStart: new Date(bucketOf(t0)) } })).toBe(0);
    // The next frees an hour later, with the second request's bucket.
    expect(await take(first + 1)).toMatchObject({ granted: false, resumeAt: new Date(first + HOUR) });
    expect((await take(first + HOUR)).granted).toBe(true);
  });

  it("answers a force-fetch read over the allowance 429 PLATFORM_RATE_LIMITED with Retry-After, unsent", async () => {
    const connectionId = await h.connect("shopify", { id: "daily-shop", size: 50 });
    const read = () => listRecords(engine, { organizationId: h.organizationId, environment: "sandbox", connectionId, object: "orders", forceFetch: true });
    expect((await read()).force_fetched).toBe(true);
    expect((await read()).force_fetched).toBe(true);
    const refused = await read().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ReadError);
    const answer = toApiError(refused);
    expect(answer).toMatchObject({
      status: 429,
      errorType: "RATE_LIMIT_ERROR",
      errorCode: "PLATFORM_RATE_LIMITED",
      message: expect.stringContaining("daily limit of 2 requests reached; resumes at"),
    });
    const midnight = Math.ceil(h.now() / (24 * HOUR)) * 24 * HOUR;
    expect(Math.abs(Number(answer.headers["Retry-After"]) - (midnight - h.now()) / 1000)).toBeLessThanOrEqual(2);
  });

  it("restarts a UTC day's count at midnight", async () => {
    const connectionId = await h.connect("ledgerly", { id: "utc-ledger", size: 10 });
    const day: DailyAllowance = { requests: 2, window: "utc_day" };
    const midnight = Date.UTC(2026, 11, 4);
    const take = (at: number) => takeDailyRequest(h.database.db, connectionId, day, { now: at, interactive: false });
    expect((await take(midnight - 2 * HOUR)).granted).toBe(true);
    expect((await take(midnight - HOUR)).granted).toBe(true);
    expect(await take(midnight - 1)).toEqual({ granted: false, used: 2, resumeAt: new Date(midnight) });
    expect(await take(midnight)).toEqual({ granted: true, used: 1 });
  });
});
