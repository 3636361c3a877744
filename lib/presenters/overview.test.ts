// The Overview's numbers on a known set: connections by health and stage, run success rates and
// duration percentiles over 24 h and 7 d, delivery failure rate, running syncs with progress, and
// incidents from connections and endpoints — all within one organization and environment. Runs are
// counted in the hourly rollups by the statements the engine ends them with, in the same transaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { tenantDb } from "@/lib/db/tenant";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { hashToken } from "@/lib/crypto";
import type { ConnectionHealth, ConnectionStage, DeliveryStatus, RunStatus } from "@/lib/generated/prisma/enums";
import { bucketRange, durationBucket } from "@/lib/sync/run-durations";
import { cancelRunsSql, countEndedRunSql } from "@/lib/sync/sql/count-ended-runs";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { getOverview } from "./overview";

const NOW = new Date("2026-11-23T12:00:00Z");
const HOUR = 3600 * 1000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);

describe.each(testDatabaseKinds())("overview presenter on %s", (kind) => {
  let database: TestDatabase;
  let orgA: string;
  let orgB: string;
  let connection: string;
  let failingEndpoint: string;
  let disabledEndpoint: string;
  let needsUpdate: string;
  const scope = () => ({ organizationId: orgA, environment: "sandbox" as const });

  async function createConnection(
    organizationId: string,
    health: ConnectionHealth,
    stage: ConnectionStage,
    extra: { accountName?: string; batchesTotal?: number } = {},
  ) {
    const id = newId("conn");
    await database.db.connection.create({
      data: { id, organizationId, environment: "sandbox", platform: "shopify", health, stage, accessTokenHash: hashToken(id), ...extra },
    });
    return id;
  }

  /** A run created (and started) `hoursAgo`, ended `seconds` later when it succeeded or failed, counted as the runner counts it. */
  async function run(organizationId: string, connectionId: string, status: RunStatus, hoursAgo: number, seconds: number | null, extra: object = {}) {
    const createdAt = ago(hoursAgo);
    const finishedAt = seconds === null ? null : new Date(createdAt.getTime() + seconds * 1000);
    await database.db.$transaction(async (tx) => {
      const created = await tx.syncRun.create({
        data: {
          id: newId("run"),
          organizationId,
          environment: "sandbox",
          connectionId,
          kind: "incremental",
          status,
          createdAt,
          startedAt: createdAt,
          finishedAt,
          ...extra,
        },
      });
      if (finishedAt && (status === "succeeded" || status === "failed")) await tx.$executeRaw(countEndedRunSql(created, status, finishedAt));
    });
  }

  /** A run cancelled `hoursAgo` as a connection's deletion cancels it, after it started or while still queued. */
  async function cancelled(connectionId: string, hoursAgo: number, started: boolean) {
    const id = newId("run");
    const at = ago(hoursAgo + 0.5);
    await database.db.syncRun.create({
      data: {
        id,
        organizationId: orgA,
        environment: "sandbox",
        connectionId,
        kind: "incremental",
        status: started ? "rate_limited" : "queued",
        createdAt: at,
        startedAt: started ? at : null,
      },
    });
    await database.db.$executeRaw(cancelRunsSql({ runId: id }, ago(hoursAgo)));
  }

  /** Percentiles come from the duration histogram: within one bucket of the exact figure. */
  function expectWithinBucket(ms: number | null, exact: number) {
    const [lower, upper] = bucketRange(durationBucket(exact));
    expect(ms).not.toBeNull();
    expect(Math.abs(ms! - exact)).toBeLessThanOrEqual(upper - lower);
  }

  async function delivery(endpointId: string, status: DeliveryStatus, hoursAgo: number, attemptCount: number) {
    const eventId = newId("evt");
    await database.db.event.create({
      data: { id: eventId, organizationId: orgA, environment: "sandbox", type: "ENDPOINT_TEST", data: {}, createdAt: ago(hoursAgo) },
    });
    await database.db.delivery.create({
      data: { id: newId("dlv"), organizationId: orgA, environment: "sandbox", endpointId, eventId, status, attemptCount, createdAt: ago(hoursAgo) },
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const owner = (email: string) => ({ email, name: email, passwordHash: "hash" });
    orgA = (await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: owner("a@example.com") })).organization.id;
    orgB = (await createOrganizationWithOwner(database.db, { name: "Globex", slug: "globex", owner: owner("b@example.com") })).organization.id;
    connection = await createConnection(orgA, "HEALTHY", "ONGOING", { accountName: "Main shop", batchesTotal: 4 });
    await createConnection(orgA, "HEALTHY", "ONGOING");
    await createConnection(orgA, "HEALTHY", "INITIAL_SYNC");
    await createConnection(orgA, "UNHEALTHY", "HISTORICAL_SYNC");
    needsUpdate = await createConnection(orgA, "NEEDS_UPDATE", "ONGOING", { accountName: "Old token shop" });
    await createConnection(orgA, "DISABLED", "ONGOING");
    const otherOrg = await createConnection(orgB, "DISABLED", "ONGOING");
    // Last 24 h: ten succeeded runs of 1..10 s and two failed of 20 s; 3 days ago: four succeeded of 100 s.
    for (let seconds = 1; seconds <= 10; seconds++) await run(orgA, connection, "succeeded", seconds, seconds);
    for (const hours of [2, 3]) await run(orgA, connection, "failed", hours, 20);
    for (let index = 0; index < 4; index++) await run(orgA, connection, "succeeded", 72 + index, 100);
    await run(orgA, connection, "succeeded", 24 * 8, 5000); // outside both windows
    await run(orgB, otherOrg, "failed", 1, 999);
    // Cancelled 4 hours ago: one paused by a rate limit (counted), one still queued (never ran, not counted).
    await cancelled(connection, 4, true);
    await cancelled(connection, 4, false);
    // Running now: batch 2 of 4, one of its two objects done, 150 records read so far.
    await run(orgA, connection, "running", 0.1, null, {
      kind: "initial_batch",
      batchPosition: 2,
      objects: ["orders", "customers"],
      stats: { objects: { orders: { status: "succeeded", seen: 100 }, customers: { status: "pending", seen: 50 } } },
    });
    const endpoint = await createEndpoint(database.db, scope(), { url: "https://ok.example.com/hooks" });
    failingEndpoint = (await createEndpoint(database.db, scope(), { url: "https://failing.example.com/hooks" })).id;
    disabledEndpoint = (await createEndpoint(database.db, scope(), { url: "https://gone.example.com/hooks" })).id;
    await database.db.webhookEndpoint.update({ where: { id: failingEndpoint }, data: { failingSince: ago(2) } });
    await database.db.webhookEndpoint.update({
      where: { id: disabledEndpoint },
      data: { enabled: false, disabledAt: ago(1), disabledReason: "The endpoint answered 410 Gone" },
    });
    for (let index = 0; index < 6; index++) await delivery(endpoint.id, "succeeded", 1 + index, 1);
    await delivery(failingEndpoint, "failed", 2, 8);
    await delivery(failingEndpoint, "pending", 1, 2);
    await delivery(failingEndpoint, "pending", 0.5, 0);
    await delivery(endpoint.id, "failed", 30, 8); // older than 24 h
  });

  afterAll(async () => {
    await database?.close();
  });

  it("counts connections by health and stage, another organization's excluded", async () => {
    const overview = await getOverview(tenantDb(database.db, scope()), scope(), NOW);
    expect(overview.connections).toBe(6);
    expect(overview.byHealth).toEqual({ HEALTHY: 3, UNHEALTHY: 1, NEEDS_UPDATE: 1, DISABLED: 1 });
    expect(overview.byStage).toEqual({ INITIAL_SYNC: 1, HISTORICAL_SYNC: 1, ONGOING: 4 });
  });

  it("gives success rates and duration percentiles over 24 hours and 7 days", async () => {
    const { runs24h, runs7d } = await getOverview(tenantDb(database.db, scope()), scope(), NOW);
    // 24 h: 12 finished and one cancelled after it started; 10 of 12 finished succeeded; one running now.
    expect(runs24h).toMatchObject({ total: 13, succeeded: 10, failed: 2, active: 1, successRate: 10 / 12 });
    // Durations 1..10 s and 20, 20 s: exactly p50 = 6.5 s, p95 = 20 s.
    expectWithinBucket(runs24h.p50Ms, 6500);
    expectWithinBucket(runs24h.p95Ms, 20_000);
    // 7 d adds four of 100 s.
    expect(runs7d).toMatchObject({ total: 17, succeeded: 14, failed: 2, active: 1, successRate: 14 / 16 });
    // 16 durations: exactly p50 = (8 + 9) / 2 s, p95 = 100 s.
    expectWithinBucket(runs7d.p50Ms, 8500);
    expectWithinBucket(runs7d.p95Ms, 100_000);
  });

  it("takes the hours of each window, the current one included, from the hourly rollups", async () => {
    // The runs of 1 and 2 hours before NOW ended at 11:00:01 and 10:00:02, in the hours 11:00 and 10:00.
    // 22 hours after NOW the current hour is 10:00 tomorrow, and the 24-hour window starts at 11:00 today.
    const later = await getOverview(tenantDb(database.db, scope()), scope(), new Date(NOW.getTime() + 22 * HOUR));
    expect(later.runs24h).toMatchObject({ succeeded: 1, failed: 0, total: 1 });
    expect(later.runs7d).toMatchObject({ total: 17 });
  });

  it("gives the deliveries of the last 24 hours and their failure rate", async () => {
    const { deliveries24h, endpoints } = await getOverview(tenantDb(database.db, scope()), scope(), NOW);
    expect(deliveries24h).toEqual({ total: 9, succeeded: 6, failed: 1, retrying: 1, failureRate: 2 / 8 });
    expect(endpoints).toEqual({ total: 3, failing: 1, disabled: 1 });
  });

  it("shows running syncs with their progress", async () => {
    const { running } = await getOverview(tenantDb(database.db, scope()), scope(), NOW);
    expect(running.total).toBe(1);
    expect(running.shown[0]).toMatchObject({
      connectionId: connection,
      accountName: "Main shop",
      kind: "initial_batch",
      objectsDone: 1,
      objectsTotal: 2,
      recordsSeen: 150,
      batch: { position: 2, total: 4 },
    });
  });

  it("lists incidents from connections and endpoints, newest first, linking to their pages", async () => {
    const { incidents } = await getOverview(tenantDb(database.db, scope()), scope(), NOW);
    expect(incidents.map((incident) => [incident.kind, incident.status, incident.href])).toEqual(
      expect.arrayContaining([
        ["connection", "Needs update", `/connections/${needsUpdate}`],
        ["endpoint", "Failing", `/webhooks/${failingEndpoint}`],
        ["endpoint", "Disabled", `/webhooks/${disabledEndpoint}`],
      ]),
    );
    expect(incidents).toHaveLength(4);
    const endpointIncidents = incidents.filter((incident) => incident.kind === "endpoint");
    expect(endpointIncidents.map((incident) => incident.id)).toEqual([disabledEndpoint, failingEndpoint]);
  });
});
