// Hourly run rollups follow the engine: a run ending through the runner, a stuck run failed by the
// monitor, and runs cancelled when their connection is deleted each add exactly one to their hour's
// counter (and duration bucket, for finished runs); a run cancelled while queued adds nothing. The
// migration's backfill, run over the same runs, gives the same rollups as the live path. Each counted
// run also adds its requests, 429s and records changed from its stats.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseKinds } from "@/lib/db/testing";
import { deleteConnection } from "./connections";
import { syncDue } from "./drive";
import { nextRun } from "./planner";
import { DURATION_BUCKETS, durationBucket } from "./run-durations";
import { failStuckRuns } from "./stuck";
import type { RunStats } from "./runner";
import { createSyncHarness, type SyncHarness } from "./testing";

const HOUR = 3600_000;
const MIGRATIONS = ["20261123034736_sync_run_hourly_rollups", "20261203183700_sync_run_rollup_volumes"].map((name) =>
  path.join(process.cwd(), "prisma/migrations", name, "migration.sql"),
);

interface Rollup {
  hour: Date;
  succeeded: number;
  failed: number;
  cancelled: number;
  durations: number[];
  requests: number;
  rate_limited: number;
  records_created: number;
  records_updated: number;
  records_deleted: number;
}

const VOLUMES = ["requests", "rate_limited", "records_created", "records_updated", "records_deleted"] as const;

/** What a run had done when it was stopped: one of its objects part-way, after a 429. */
const statsSoFar = (object: string): RunStats => ({
  requests: 7,
  rate_limited: 2,
  retries: 0,
  pauses: [],
  objects: {
    [object]: {
      status: "pending",
      requests: 7,
      pages: 5,
      seen: 50,
      created: 11,
      updated: 4,
      deleted: 3,
      unchanged: 32,
      rate_limited: 2,
      retries: 0,
      started_at: null,
      finished_at: null,
      error: null,
    },
  },
});

const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / HOUR) * HOUR).toISOString();

describe.each(testDatabaseKinds())("hourly run rollups on %s", (kind) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await createSyncHarness({ kind, engine: { stuckAfterMs: 30 * 60_000 } });
  }, 60_000);
  afterAll(() => h?.close());

  /** The organization's rollups by hour (ISO), zeros for hours without one. */
  async function rollups(): Promise<Map<string, Rollup>> {
    const rows = await h.database.db.$queryRaw<Rollup[]>`
      select hour, succeeded, failed, cancelled, durations, requests, rate_limited, records_created, records_updated, records_deleted from sync_run_hourly_rollups where organization_id = ${h.organizationId} and environment = 'sandbox'`;
    return new Map(rows.map((row) => [row.hour.toISOString(), row]));
  }

  /** What one hour gained between two snapshots. */
  function gained(before: Map<string, Rollup>, after: Map<string, Rollup>, hour: string) {
    const empty: Rollup = {
      hour: new Date(hour),
      succeeded: 0,
      failed: 0,
      cancelled: 0,
      durations: new Array<number>(DURATION_BUCKETS).fill(0),
      requests: 0,
      rate_limited: 0,
      records_created: 0,
      records_updated: 0,
      records_deleted: 0,
    };
    const [a, b] = [before.get(hour) ?? empty, after.get(hour) ?? empty];
    const buckets: Record<number, number> = {};
    b.durations.forEach((count, bucket) => {
      if (count !== a.durations[bucket]) buckets[bucket] = count - a.durations[bucket];
    });
    return { succeeded: b.succeeded - a.succeeded, failed: b.failed - a.failed, cancelled: b.cancelled - a.cancelled, buckets };
  }

  /** What one hour's volumes gained between two snapshots. */
  function gainedVolumes(before: Map<string, Rollup>, after: Map<string, Rollup>, hour: string) {
    return Object.fromEntries(VOLUMES.map((column) => [column, (after.get(hour)?.[column] ?? 0) - (before.get(hour)?.[column] ?? 0)]));
  }

  /** A run's volumes as its stats tell them. */
  function statsVolumes(stats: RunStats) {
    const objects = Object.values(stats.objects);
    const sum = (field: "created" | "updated" | "deleted") => objects.reduce((total, object) => total + object[field], 0);
    return {
      requests: stats.requests,
      rate_limited: stats.rate_limited,
      records_created: sum("created"),
      records_updated: sum("updated"),
      records_deleted: sum("deleted"),
    };
  }

  const total = (map: Map<string, Rollup>) => [...map.values()].reduce((sum, row) => sum + row.succeeded + row.failed + row.cancelled, 0);

  it("a run that ends through the runner adds one to its hour's counter and duration bucket", async () => {
    const connectionId = await h.connect("quickbooks", { id: "rollup-books", size: 60 });
    const before = await rollups();
    const [driven] = await syncDue(h.engine, connectionId, { maxRuns: 1 });
    expect(driven.result.status).toBe("succeeded");
    const run = await h.database.db.syncRun.findUniqueOrThrow({ where: { id: driven.runId } });
    const after = await rollups();
    expect(gained(before, after, hourOf(run.finishedAt!))).toEqual({
      succeeded: 1,
      failed: 0,
      cancelled: 0,
      buckets: { [durationBucket(run.finishedAt!.getTime() - run.startedAt!.getTime())]: 1 },
    });
    const volumes = statsVolumes(run.stats as unknown as RunStats);
    expect(volumes.requests).toBeGreaterThan(0);
    expect(volumes.records_created).toBeGreaterThan(0);
    expect(gainedVolumes(before, after, hourOf(run.finishedAt!))).toEqual(volumes);
    expect(total(after) - total(before)).toBe(1);
  });

  it("a stuck run failed by the monitor counts as failed, with its duration up to the moment it was stopped", async () => {
    const connectionId = await h.connect("zendesk", { id: "rollup-desk", size: 40 });
    const runId = (await nextRun(h.engine, connectionId))!;
    const startedAt = new Date(h.now());
    const { objects } = await h.database.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
    const soFar = statsSoFar(objects[0]);
    await h.database.db.syncRun.update({ where: { id: runId }, data: { status: "running", startedAt, lastProgressAt: startedAt, stats: soFar as object } });
    h.advance(31 * 60_000);
    const before = await rollups();
    expect(await failStuckRuns(h.engine)).toEqual([runId]);
    const run = await h.database.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
    const after = await rollups();
    expect(run.finishedAt!.getTime() - startedAt.getTime()).toBeGreaterThanOrEqual(31 * 60_000);
    expect(gained(before, after, hourOf(run.finishedAt!))).toEqual({
      succeeded: 0,
      failed: 1,
      cancelled: 0,
      buckets: { [durationBucket(run.finishedAt!.getTime() - startedAt.getTime())]: 1 },
    });
    expect(gainedVolumes(before, after, hourOf(run.finishedAt!))).toEqual(statsVolumes(soFar));
    expect(total(after) - total(before)).toBe(1);
    expect(await failStuckRuns(h.engine)).toEqual([]);
    expect(total(await rollups())).toBe(total(after));
  });

  it("deleting a connection counts its started run as cancelled and not the ones still queued", async () => {
    const started = await h.connect("shopify", { id: "rollup-shop", size: 30 });
    const queued = await h.connect("shopify", { id: "rollup-shop-2", size: 30 });
    const startedRun = (await nextRun(h.engine, started))!;
    await h.database.db.syncRun.update({
      where: { id: startedRun },
      data: { status: "rate_limited", startedAt: new Date(h.now()), resumeAt: new Date(h.now() + HOUR), stats: statsSoFar("orders") as object },
    });
    const queuedRun = (await nextRun(h.engine, queued))!;
    const before = await rollups();
    await deleteConnection(h.database.db, started);
    await deleteConnection(h.database.db, queued);
    const runs = await h.database.db.syncRun.findMany({ where: { id: { in: [startedRun, queuedRun] } } });
    expect(runs.map((run) => run.status)).toEqual(["cancelled", "cancelled"]);
    const after = await rollups();
    const cancelled = runs.find((run) => run.id === startedRun)!;
    expect(gained(before, after, hourOf(cancelled.finishedAt!))).toEqual({ succeeded: 0, failed: 0, cancelled: 1, buckets: {} });
    // The queued run's stats are those of a run that never ran: only the started one's count.
    expect(gainedVolumes(before, after, hourOf(cancelled.finishedAt!))).toEqual(statsVolumes(statsSoFar("orders")));
    expect(total(after) - total(before)).toBe(1);
  });

  it("the migration's backfill rebuilds the same rollups from the runs", async () => {
    const live = await rollups();
    expect(total(live)).toBe(3);
    expect([...live.values()].reduce((sum, row) => sum + row.requests + row.records_created, 0)).toBeGreaterThan(0);
    await h.database.db.$executeRawUnsafe("delete from sync_run_hourly_rollups");
    for (const migration of MIGRATIONS) {
      const sql = readFileSync(migration, "utf8");
      await h.database.db.$executeRawUnsafe(sql.slice(sql.indexOf("-- Backfill")));
    }
    expect(await rollups()).toEqual(live);
  });
});
