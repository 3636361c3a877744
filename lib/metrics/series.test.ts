// The charts' series on a known set of runs and deliveries: counts land in the bucket of the hour,
// six-hour block or UTC day they ended (were created) in, every other bucket of the range is a zero,
// volumes come from the runs' stats through the hourly rollups (environment) or the runs themselves
// (one connection), and nothing of another organization, connection or endpoint is counted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { tenantDb } from "@/lib/db/tenant";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { hashToken } from "@/lib/crypto";
import type { DeliveryStatus } from "@/lib/generated/prisma/enums";
import { cancelRunsSql, countEndedRunSql } from "@/lib/sync/sql/count-ended-runs";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { getMetrics, metricRangeSchema, rangeWindow, type Metrics } from "./index";

const NOW = new Date("2026-11-23T12:30:00Z");
const HOUR = 3600_000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);

/** Stats of a run that read one object: `n` records created, 2n updated, 1 deleted, 3n requests, n 429s. */
const stats = (n: number) => ({
  requests: 3 * n,
  rate_limited: n,
  retries: 0,
  pauses: [],
  objects: {
    orders: {
      status: "succeeded",
      requests: 3 * n,
      pages: 1,
      seen: 3 * n + 1,
      created: n,
      updated: 2 * n,
      deleted: 1,
      unchanged: 0,
      rate_limited: n,
      retries: 0,
    },
  },
});

/** The non-zero buckets of a chart, by start. */
function nonZero(metrics: Metrics, chart: keyof Metrics["charts"]) {
  const buckets = metrics.charts[chart]!.buckets as unknown as Record<string, number | string>[];
  return Object.fromEntries(
    buckets.filter((b) => Object.entries(b).some(([key, value]) => key !== "start" && value !== 0)).map(({ start, ...rest }) => [start, rest]),
  );
}

describe("chart ranges", () => {
  it("accepts 24h, 7d and 30d and nothing else", () => {
    expect(["24h", "7d", "30d"].map((range) => metricRangeSchema.safeParse(range).success)).toEqual([true, true, true]);
    expect(["1h", "", "30D", undefined].map((range) => metricRangeSchema.safeParse(range).success)).toEqual([false, false, false, false]);
  });

  it("cuts 24 hours, 28 six-hour blocks from 00:00 UTC and 30 UTC days, the last holding now", () => {
    const day = rangeWindow("24h", NOW);
    expect([day.starts.length, new Date(day.starts[0]).toISOString(), day.to.toISOString()]).toEqual([
      24,
      "2026-11-22T13:00:00.000Z",
      "2026-11-23T13:00:00.000Z",
    ]);
    const week = rangeWindow("7d", NOW);
    expect([week.starts.length, week.from.toISOString(), new Date(week.starts.at(-1)!).toISOString()]).toEqual([
      28,
      "2026-11-16T18:00:00.000Z",
      "2026-11-23T12:00:00.000Z",
    ]);
    const month = rangeWindow("30d", NOW);
    expect([month.starts.length, month.from.toISOString(), month.to.toISOString()]).toEqual([30, "2026-10-25T00:00:00.000Z", "2026-11-24T00:00:00.000Z"]);
  });
});

describe.each(testDatabaseKinds())("chart series on %s", (kind) => {
  let database: TestDatabase;
  let orgA: string;
  let connection: string;
  let quiet: string;
  let endpoint: string;
  let otherEndpoint: string;
  const scope = () => ({ organizationId: orgA, environment: "sandbox" as const });
  const metrics = async (target: Parameters<typeof getMetrics>[2], range: "24h" | "7d" | "30d") =>
    (await getMetrics(tenantDb(database.db, scope()), scope(), target, range, NOW))!;

  async function createConnection(organizationId: string) {
    const id = newId("conn");
    await database.db.connection.create({ data: { id, organizationId, environment: "sandbox", platform: "shopify", accessTokenHash: hashToken(id) } });
    return id;
  }

  /** A run that started `hoursAgo` and ended 10 minutes later, counted in the rollups as the runner counts it. */
  async function run(organizationId: string, connectionId: string, status: "succeeded" | "failed", hoursAgo: number, n: number) {
    const startedAt = ago(hoursAgo);
    const finishedAt = new Date(startedAt.getTime() + 10 * 60_000);
    await database.db.$transaction(async (tx) => {
      const created = await tx.syncRun.create({
        data: {
          id: newId("run"),
          organizationId,
          environment: "sandbox",
          connectionId,
          kind: "incremental",
          status,
          objects: ["orders"],
          stats: stats(n),
          createdAt: startedAt,
          startedAt,
          finishedAt,
        },
      });
      await tx.$executeRaw(countEndedRunSql(created, status, finishedAt));
    });
  }

  async function delivery(organizationId: string, endpointId: string, status: DeliveryStatus, hoursAgo: number) {
    const eventId = newId("evt");
    await database.db.event.create({
      data: { id: eventId, organizationId, environment: "sandbox", type: "ENDPOINT_TEST", data: {}, createdAt: ago(hoursAgo) },
    });
    await database.db.delivery.create({
      data: { id: newId("dlv"), organizationId, environment: "sandbox", endpointId, eventId, status, attemptCount: 1, createdAt: ago(hoursAgo) },
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const owner = (email: string) => ({ email, name: email, passwordHash: "hash" });
    orgA = (await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: owner("a@example.com") })).organization.id;
    const orgB = (await createOrganizationWithOwner(database.db, { name: "Globex", slug: "globex", owner: owner("b@example.com") })).organization.id;
    connection = await createConnection(orgA);
    quiet = await createConnection(orgA);
    const foreign = await createConnection(orgB);
    // 11:10–11:20 and 11:30–11:40 UTC today: the 11:00 hour, the 06:00 block, today.
    await run(orgA, connection, "succeeded", 1.333, 1);
    await run(orgA, connection, "failed", 1, 2);
    // Ends 02:40 UTC today: the 02:00 hour, the 00:00 block, today.
    await run(orgA, quiet, "succeeded", 10, 4);
    // Ends 2026-11-20 10:40 UTC: outside 24 h, the 06:00 block of the 20th, the 20th.
    await run(orgA, connection, "succeeded", 74, 8);
    // Ends 2026-11-03: only in 30 days; 40 days ago: in none.
    await run(orgA, connection, "failed", 20 * 24, 16);
    await run(orgA, connection, "succeeded", 40 * 24, 32);
    await run(orgB, foreign, "failed", 1, 64);
    // A run of `connection` paused by a rate limit, cancelled at 12:10: its volumes count, it is neither succeeded nor failed.
    const paused = newId("run");
    await database.db.syncRun.create({
      data: {
        id: paused,
        organizationId: orgA,
        environment: "sandbox",
        connectionId: connection,
        kind: "incremental",
        status: "rate_limited",
        stats: stats(100),
        createdAt: ago(0.5),
        startedAt: ago(0.5),
      },
    });
    await database.db.$executeRaw(cancelRunsSql({ runId: paused }, ago(1 / 3)));

    endpoint = (await createEndpoint(database.db, scope(), { url: "https://one.example.com/hooks" })).id;
    const second = (await createEndpoint(database.db, scope(), { url: "https://two.example.com/hooks" })).id;
    otherEndpoint = (await createEndpoint(database.db, { organizationId: orgB, environment: "sandbox" }, { url: "https://b.example.com/hooks" })).id;
    await delivery(orgA, endpoint, "succeeded", 0.25); // 12:15
    await delivery(orgA, endpoint, "succeeded", 0.2);
    await delivery(orgA, endpoint, "failed", 3); // 09:30
    await delivery(orgA, endpoint, "pending", 3);
    await delivery(orgA, second, "succeeded", 3);
    await delivery(orgA, endpoint, "succeeded", 30 * 24); // before every range
    await delivery(orgB, otherEndpoint, "failed", 0.25);
  }, 180_000);
  afterAll(() => database?.close());

  it("the environment's last 24 hours: runs, records and requests per hour of their end, zeros elsewhere", async () => {
    const m = await metrics({ kind: "environment" }, "24h");
    expect(m.charts.runs!.buckets).toHaveLength(24);
    expect(m.charts.runs!.buckets.map((b) => b.start)).toEqual(rangeWindow("24h", NOW).starts.map((s) => new Date(s).toISOString()));
    expect(nonZero(m, "runs")).toEqual({
      "2026-11-23T02:00:00.000Z": { succeeded: 1, failed: 0 },
      "2026-11-23T11:00:00.000Z": { succeeded: 1, failed: 1 },
    });
    expect(nonZero(m, "records")).toEqual({
      "2026-11-23T02:00:00.000Z": { created: 4, updated: 8, deleted: 1 },
      "2026-11-23T11:00:00.000Z": { created: 3, updated: 6, deleted: 2 },
      "2026-11-23T12:00:00.000Z": { created: 100, updated: 200, deleted: 1 },
    });
    expect(nonZero(m, "requests")).toEqual({
      "2026-11-23T02:00:00.000Z": { requests: 12, rate_limited: 4 },
      "2026-11-23T11:00:00.000Z": { requests: 9, rate_limited: 3 },
      "2026-11-23T12:00:00.000Z": { requests: 300, rate_limited: 100 },
    });
    expect(m.charts.runs!.totals).toEqual({ succeeded: 2, failed: 1 });
    expect(nonZero(m, "deliveries")).toEqual({
      "2026-11-23T09:00:00.000Z": { delivered: 1, retrying: 1, failed: 1 },
      "2026-11-23T12:00:00.000Z": { delivered: 2, retrying: 0, failed: 0 },
    });
  });

  it("7 days in six-hour blocks and 30 days in UTC days", async () => {
    const week = await metrics({ kind: "environment" }, "7d");
    expect(week.charts.runs!.buckets).toHaveLength(28);
    expect(nonZero(week, "runs")).toEqual({
      "2026-11-20T06:00:00.000Z": { succeeded: 1, failed: 0 },
      "2026-11-23T00:00:00.000Z": { succeeded: 1, failed: 0 },
      "2026-11-23T06:00:00.000Z": { succeeded: 1, failed: 1 },
    });
    const month = await metrics({ kind: "environment" }, "30d");
    expect(month.charts.runs!.buckets).toHaveLength(30);
    expect(nonZero(month, "runs")).toEqual({
      "2026-11-03T00:00:00.000Z": { succeeded: 0, failed: 1 },
      "2026-11-20T00:00:00.000Z": { succeeded: 1, failed: 0 },
      "2026-11-23T00:00:00.000Z": { succeeded: 2, failed: 1 },
    });
    expect(month.charts.records!.totals).toEqual({ created: 8 + 4 + 3 + 16 + 100, updated: 2 * (8 + 4 + 3 + 16 + 100), deleted: 6 });
    expect(month.charts.deliveries!.totals).toEqual({ delivered: 3, retrying: 1, failed: 1 });
  });

  it("one connection: its own runs only, by the rollups' rule, and no deliveries chart", async () => {
    const m = await metrics({ kind: "connection", id: connection }, "7d");
    expect(Object.keys(m.charts).sort()).toEqual(["records", "requests", "runs"]);
    expect(nonZero(m, "runs")).toEqual({
      "2026-11-20T06:00:00.000Z": { succeeded: 1, failed: 0 },
      "2026-11-23T06:00:00.000Z": { succeeded: 1, failed: 1 },
    });
    expect(nonZero(m, "requests")).toEqual({
      "2026-11-20T06:00:00.000Z": { requests: 24, rate_limited: 8 },
      "2026-11-23T06:00:00.000Z": { requests: 9, rate_limited: 3 },
      "2026-11-23T12:00:00.000Z": { requests: 300, rate_limited: 100 },
    });
    const quietDay = await metrics({ kind: "connection", id: quiet }, "24h");
    expect(quietDay.charts.records!.totals).toEqual({ created: 4, updated: 8, deleted: 1 });
  });

  it("one endpoint: its deliveries per bucket; another organization's endpoint or connection is not found", async () => {
    const m = await metrics({ kind: "endpoint", id: endpoint }, "24h");
    expect(Object.keys(m.charts)).toEqual(["deliveries"]);
    expect(nonZero(m, "deliveries")).toEqual({
      "2026-11-23T09:00:00.000Z": { delivered: 0, retrying: 1, failed: 1 },
      "2026-11-23T12:00:00.000Z": { delivered: 2, retrying: 0, failed: 0 },
    });
    expect(await getMetrics(tenantDb(database.db, scope()), scope(), { kind: "endpoint", id: otherEndpoint }, "24h", NOW)).toBeNull();
    expect(await getMetrics(tenantDb(database.db, scope()), scope(), { kind: "connection", id: newId("conn") }, "24h", NOW)).toBeNull();
  });
});
