// The connection timeline against a real database: a year of hourly incremental runs (~8,760) plus
// the batches before them, read for windows from an hour to the whole history, with the row and
// segment counts each window must produce, the rate-limit pauses, the tenant scope and the timings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { tenantDb } from "@/lib/db/tenant";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { hashToken } from "@/lib/crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ObjectStats, RunStats } from "@/lib/sync/runner";
import { MAX_DRAWN_RUNS, getSyncTimeline, timelineQuerySchema, type SyncTimeline } from "./timeline";

const NOW = new Date("2026-11-23T12:00:00.000Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR_START = new Date(NOW.getTime() - 365 * DAY);
// Stored in the runs in an order that is not the fetch order: the timeline reorders lanes.
const OBJECTS = ["orders", "customers", "products"];
const at = (ms: number) => new Date(ms).toISOString();

function objectStats(start: number, end: number | null, extra: Partial<ObjectStats> = {}): ObjectStats {
  return {
    status: end === null ? "pending" : "succeeded",
    requests: 4,
    pages: 3,
    seen: 30,
    created: 10,
    updated: 5,
    deleted: 1,
    unchanged: 14,
    rate_limited: 0,
    retries: 0,
    started_at: at(start),
    finished_at: end === null ? null : at(end),
    error: null,
    ...extra,
  };
}

/** A run whose objects each take a third of its time. */
function stats(start: number, end: number, pauses: RunStats["pauses"] = []): Prisma.InputJsonValue {
  const third = (end - start) / 3;
  const objects = Object.fromEntries(OBJECTS.map((object, index) => [object, objectStats(start + index * third, start + (index + 1) * third)]));
  const run: RunStats = { requests: 12, rate_limited: pauses.length, retries: 1, pauses, objects };
  return run as unknown as Prisma.InputJsonValue;
}

function count(timeline: SyncTimeline) {
  return {
    lanes: timeline.lanes.map((lane) => lane.label),
    runSegments: timeline.lanes[0].segments.length,
    objectSegments: timeline.lanes.slice(1).reduce((total, lane) => total + lane.segments.length, 0),
  };
}

describe.each(testDatabaseKinds())("the connection timeline on %s", (kind) => {
  let database: TestDatabase;
  let orgA: string;
  let orgB: string;
  let connectionId: string;
  let incrementalRuns = 0;
  const scope = () => tenantDb(database.db, { organizationId: orgA, environment: "sandbox" });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const owner = (email: string) => ({ email, name: email, passwordHash: "x" });
    orgA = (await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: owner("a@example.com") })).organization.id;
    orgB = (await createOrganizationWithOwner(database.db, { name: "Globex", slug: "globex", owner: owner("b@example.com") })).organization.id;
    connectionId = newId("conn");
    await database.db.connection.create({
      data: {
        id: connectionId,
        organizationId: orgA,
        environment: "sandbox",
        platform: "shopify",
        accessTokenHash: hashToken(connectionId),
        createdAt: YEAR_START,
      },
    });

    const base = { organizationId: orgA, environment: "sandbox" as const, connectionId, objects: OBJECTS };
    const runs: Prisma.SyncRunCreateManyInput[] = [];
    const t0 = YEAR_START.getTime() + 30_000;
    // Two batches, the second paused once by a rate limit during orders, then hourly incrementals.
    runs.push({
      ...base,
      id: newId("run"),
      kind: "initial_batch",
      batchPosition: 1,
      status: "succeeded",
      startedAt: new Date(t0),
      finishedAt: new Date(t0 + 20 * 60_000),
      stats: stats(t0, t0 + 20 * 60_000),
    });
    const b2 = t0 + 21 * 60_000;
    const pause = { object: "orders", at: at(b2 + 5 * 60_000), resume_at: at(b2 + 9 * 60_000) };
    runs.push({
      ...base,
      id: newId("run"),
      kind: "historical_batch",
      batchPosition: 2,
      status: "succeeded",
      startedAt: new Date(b2),
      finishedAt: new Date(b2 + 30 * 60_000),
      stats: stats(b2, b2 + 30 * 60_000, [pause]),
    });
    for (let start = t0 + 2 * HOUR; start < NOW.getTime() - HOUR; start += HOUR) {
      const failed = incrementalRuns % 500 === 499;
      runs.push({
        ...base,
        id: newId("run"),
        kind: "incremental",
        status: failed ? "failed" : "succeeded",
        startedAt: new Date(start),
        finishedAt: new Date(start + 40_000),
        stats: stats(start, start + 40_000),
        error: failed ? { kind: "transient", message: "502 from the platform" } : undefined,
      });
      incrementalRuns++;
    }
    // A backfill ten days ago, and a run going on now: rate limited during customers since 2 minutes.
    const backfill = NOW.getTime() - 10 * DAY;
    runs.push({
      ...base,
      id: newId("run"),
      kind: "backfill",
      status: "succeeded",
      startedAt: new Date(backfill),
      finishedAt: new Date(backfill + HOUR),
      stats: stats(backfill, backfill + HOUR),
    });
    const live = NOW.getTime() - 10 * 60_000;
    const livePause = { object: "customers", at: at(NOW.getTime() - 2 * 60_000), resume_at: at(NOW.getTime() + 3 * 60_000) };
    const liveStats: RunStats = {
      requests: 9,
      rate_limited: 1,
      retries: 0,
      pauses: [livePause],
      objects: { products: objectStats(live, live + 5 * 60_000), customers: objectStats(live + 5 * 60_000, null, { rate_limited: 1 }) },
    };
    runs.push({
      ...base,
      id: newId("run"),
      kind: "manual",
      status: "rate_limited",
      startedAt: new Date(live),
      resumeAt: new Date(livePause.resume_at),
      stats: liveStats as unknown as Prisma.InputJsonValue,
    });
    for (let index = 0; index < runs.length; index += 1000) await database.db.syncRun.createMany({ data: runs.slice(index, index + 1000) });
  }, 240_000);

  afterAll(async () => {
    await database?.close();
  });

  it("seeds a year of hourly incremental runs", () => {
    expect(incrementalRuns).toBeGreaterThan(8700);
  });

  it("draws every run of a day with one bar per run and per object, lanes in fetch order", async () => {
    const timeline = (await getSyncTimeline(scope(), connectionId, { from: new Date(NOW.getTime() - DAY), to: NOW }, NOW))!;
    // Fetch order puts orders after what it depends on, whatever the runs listed.
    expect(timeline.lanes.map((lane) => lane.label)).toEqual(["Runs", "products", "collections", "customers", "orders", "transactions"]);
    const incremental = timeline.lanes[0].segments.filter((segment) => segment.runKind === "incremental");
    expect(incremental.length).toBeGreaterThanOrEqual(22);
    expect(incremental.length).toBeLessThanOrEqual(24);
    expect(timeline.density).toBeNull();
    expect(count(timeline).runSegments).toBe(incremental.length + 1);
    // Three objects per incremental run, two started in the live run.
    expect(count(timeline).objectSegments).toBe(incremental.length * 3 + 2);
    expect(timeline.runsInWindow).toBe(incremental.length + 1);

    const bar = incremental[0];
    expect(bar).toMatchObject({ runLabel: "Incremental", outcome: "succeeded", open: false, durationMs: 40_000 });
    expect(bar.stats).toEqual({ requests: 12, pages: 9, created: 30, updated: 15, deleted: 3, rateLimited: 0, retries: 1 });
    expect(timeline.active).toBe(true);
  });

  it("shows a rate-limited run open until now, its pause hatched on the run and on the object it paused", async () => {
    const timeline = (await getSyncTimeline(scope(), connectionId, { from: new Date(NOW.getTime() - HOUR), to: NOW }, NOW))!;
    const live = timeline.lanes[0].segments.find((segment) => segment.runKind === "manual")!;
    expect(live).toMatchObject({
      runLabel: "Manual sync",
      outcome: "rate_limited",
      open: true,
      end: NOW.toISOString(),
      resumeAt: at(NOW.getTime() + 3 * 60_000),
    });
    // The pause is clipped at now: it has not ended yet.
    expect(live.pauses).toEqual([{ object: "customers", start: at(NOW.getTime() - 2 * 60_000), end: NOW.toISOString() }]);
    const customers = timeline.lanes.find((lane) => lane.label === "customers")!.segments.at(-1)!;
    expect(customers).toMatchObject({ outcome: "rate_limited", open: true, pauses: live.pauses });
    const products = timeline.lanes.find((lane) => lane.label === "products")!.segments.at(-1)!;
    expect(products).toMatchObject({ outcome: "succeeded", open: false, pauses: [] });
  });

  it("includes a run that started before the window and ends inside it", async () => {
    const backfillStart = NOW.getTime() - 10 * DAY;
    const timeline = (await getSyncTimeline(
      scope(),
      connectionId,
      { from: new Date(backfillStart + 30 * 60_000), to: new Date(backfillStart + 90 * 60_000) },
      NOW,
    ))!;
    const labels = timeline.lanes[0].segments.map((segment) => segment.runLabel);
    expect(labels).toContain("Backfill");
  });

  it("draws a week run by run, and a month or the whole year as a density strip with the batches on top", async () => {
    const week = (await getSyncTimeline(scope(), connectionId, { from: new Date(NOW.getTime() - 7 * DAY), to: NOW }, NOW))!;
    expect(week.density).toBeNull();
    expect(count(week).runSegments).toBeGreaterThan(160);

    const month = (await getSyncTimeline(scope(), connectionId, { from: new Date(NOW.getTime() - 30 * DAY), to: NOW }, NOW))!;
    expect(month.runsInWindow).toBeGreaterThan(MAX_DRAWN_RUNS);
    expect(month.density).not.toBeNull();
    expect(month.lanes[0].segments.map((segment) => segment.runLabel)).toEqual(["Backfill", "Manual sync"]);
    expect(month.density!.buckets.reduce((total, bucket) => total + bucket.runs, 0)).toBe(month.density!.runs);

    const all = (await getSyncTimeline(scope(), connectionId, {}, NOW))!;
    expect(new Date(all.window.from).getTime()).toBeLessThan(YEAR_START.getTime() + 30_000);
    expect(new Date(all.window.to).getTime()).toBeGreaterThan(NOW.getTime());
    expect(all.firstRunAt).toBe(at(YEAR_START.getTime() + 30_000));
    expect(all.lanes[0].segments.map((segment) => segment.runLabel)).toEqual(["Batch 1", "Batch 2", "Backfill", "Manual sync"]);
    expect(all.density!.runs).toBe(incrementalRuns);
    expect(all.density!.buckets.length).toBeLessThanOrEqual(160);
    expect(all.density!.buckets.reduce((total, bucket) => total + bucket.runs, 0)).toBe(incrementalRuns);
    expect(all.density!.buckets.reduce((total, bucket) => total + bucket.failed, 0)).toBe(Math.floor(incrementalRuns / 500));
    expect(all.truncated).toBe(false);
    // The batch that was rate limited shows its pause during orders.
    const batch2 = all.lanes[0].segments[1];
    expect(batch2.pauses).toHaveLength(1);
    expect(all.lanes.find((lane) => lane.label === "orders")!.segments[1].pauses).toHaveLength(1);
  });

  it("answers each window within a bounded time", async () => {
    const windows: [string, number | null][] = [
      ["1h", HOUR],
      ["24h", DAY],
      ["7d", 7 * DAY],
      ["30d", 30 * DAY],
      ["6 months", 182 * DAY],
      ["all", null],
    ];
    const timings: Record<string, number> = {};
    for (const [name, span] of windows) {
      const query = span === null ? {} : { from: new Date(NOW.getTime() - span), to: NOW };
      await getSyncTimeline(scope(), connectionId, query, NOW);
      const started = performance.now();
      const rounds = 3;
      for (let round = 0; round < rounds; round++) await getSyncTimeline(scope(), connectionId, query, NOW);
      timings[name] = Math.round(((performance.now() - started) / rounds) * 10) / 10;
    }
    console.log(`timeline query on ${kind}, ${incrementalRuns + 4} runs, ms per window:`, JSON.stringify(timings));
    // Generous bounds: these machines are shared; the figures logged above are what to read.
    for (const ms of Object.values(timings)) expect(ms).toBeLessThan(kind === "pglite" ? 5000 : 2000);
  }, 180_000);

  it("does not find a connection of another organization", async () => {
    const other = tenantDb(database.db, { organizationId: orgB, environment: "sandbox" });
    expect(await getSyncTimeline(other, connectionId, {}, NOW)).toBeNull();
    const production = tenantDb(database.db, { organizationId: orgA, environment: "production" });
    expect(await getSyncTimeline(production, connectionId, {}, NOW)).toBeNull();
  });
});

describe("the timeline's query string", () => {
  it("reads ISO date-times and leaves both ends optional", () => {
    expect(timelineQuerySchema.parse({ from: "2026-11-23T09:00:00Z", to: "2026-11-23T10:00:00.000+00:00" })).toEqual({
      from: new Date("2026-11-23T09:00:00Z"),
      to: new Date("2026-11-23T10:00:00Z"),
    });
    expect(timelineQuerySchema.parse({})).toEqual({});
  });

  it("names the field that is wrong", () => {
    const bad = timelineQuerySchema.safeParse({ from: "yesterday" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ["from"], message: expect.stringMatching(/^from: /) });
    const reversed = timelineQuerySchema.safeParse({ from: "2026-11-23T10:00:00Z", to: "2026-11-23T09:00:00Z" });
    expect(reversed.error!.issues[0]).toMatchObject({ path: ["from"], message: "from: must be at least one minute before to" });
  });
});
