// The charts' series for one scope and range (ranges.ts), zero-filled, each chart one SQL statement
// over a bounded, indexed range whatever the organization's size:
//   - environment: runs, records changed, requests and 429s from sync_run_hourly_rollups (at most
//     720 rows for 30 days; written as runs end, lib/sync/sql/count-ended-runs.ts);
//   - one connection: the same figures from its runs, a range scan of sync_runs (connection_id,
//     started_at) — a month of runs every five minutes is 8.6k rows;
//   - deliveries: deliveries (endpoint_id, created_at) of the endpoint, or of the environment's few
//     endpoints, by when the event was handed to the endpoint, split by where each stands now.
// Runs are counted in the bucket they ended in, like the rollups: succeeded and failed ones (the
// rollups' cancelled runs are not charted), volumes of every counted run.
import { Prisma } from "@/lib/generated/prisma/client";
import type { TenantDb, TenantScope } from "@/lib/db/tenant";
import { objectRecordsLateral, VOLUME_SUMS } from "@/lib/sync/sql/count-ended-runs";
import { CHART_SERIES, rangeWindow, type ChartData, type ChartKind, type MetricRange, type Metrics, type MetricScope } from "./ranges";
import { SYNC_RUN, sqlList } from "@/lib/lifecycles";

/** A run ending this long after it started is assumed not to exist, so one connection's runs are read by the index on their start. */
const LONGEST_RUN_MS = 24 * 3600_000;

type Row = { bucket: Date } & Record<string, number>;
type Window = ReturnType<typeof rangeWindow>;

// date_bin, not arithmetic on extract(epoch …), which is numeric: over 200k deliveries it took
// 1.7 s against 1.1 s on the bench database (on a loaded machine).
function bucketOf(column: Prisma.Sql, bucketMs: number): Prisma.Sql {
  return Prisma.sql`date_bin(make_interval(secs => ${bucketMs / 1000}::float8), ${column}, timestamptz '1970-01-01 00:00:00+00')`;
}

/** Every bucket of the window, zeros where no row fell, and the totals over the window. */
function zeroFilled<K extends ChartKind>(kind: K, window: Window, rows: Row[]): ChartData<K> {
  const series = CHART_SERIES[kind] as readonly string[];
  const byBucket = new Map(rows.map((row) => [new Date(row.bucket).getTime(), row]));
  const totals = Object.fromEntries(series.map((name) => [name, 0])) as Record<string, number>;
  const buckets = window.starts.map((start) => {
    const row = byBucket.get(start);
    const point: Record<string, number | string> = { start: new Date(start).toISOString() };
    for (const name of series) {
      const value = Number(row?.[name] ?? 0);
      point[name] = value;
      totals[name] += value;
    }
    return point;
  });
  return { buckets, totals } as unknown as ChartData<K>;
}

/** Runs and their volumes per bucket from the hourly rollups of an organization's environment. */
async function environmentRuns(db: TenantDb, scope: TenantScope, window: Window): Promise<Row[]> {
  return db.$queryRaw<Row[]>`
    select ${bucketOf(Prisma.sql`hour`, window.bucketMs)} as bucket,
           sum(succeeded)::int as succeeded, sum(failed)::int as failed,
           sum(records_created)::int as created, sum(records_updated)::int as updated, sum(records_deleted)::int as deleted,
           sum(requests)::int as requests, sum(rate_limited)::int as rate_limited
    from sync_run_hourly_rollups
    where organization_id = ${scope.organizationId} and environment = ${scope.environment}::"EnvironmentKind" and hour >= ${window.from} and hour < ${window.to}
    group by 1`;
}

/** The same figures from one connection's runs, counted by the rollups' rule (count-ended-runs.ts): a cancelled run only with its volumes, and one that never started has none. */
async function connectionRuns(db: TenantDb, scope: TenantScope, connectionId: string, window: Window): Promise<Row[]> {
  return db.$queryRaw<Row[]>`
    select ${bucketOf(Prisma.sql`runs.finished_at`, window.bucketMs)} as bucket,
           count(*) filter (where runs.status = 'succeeded')::int as succeeded,
           count(*) filter (where runs.status = 'failed')::int as failed,
           ${VOLUME_SUMS}
    from sync_runs runs ${objectRecordsLateral()}
    where runs.connection_id = ${connectionId} and runs.organization_id = ${scope.organizationId} and runs.environment = ${scope.environment}::"EnvironmentKind"
      and runs.started_at >= ${new Date(window.from.getTime() - LONGEST_RUN_MS)} and runs.started_at < ${window.to}
      and runs.finished_at >= ${window.from} and runs.finished_at < ${window.to}
      and runs.status in ${sqlList(SYNC_RUN.final)}
    group by 1`;
}

/** Deliveries per bucket of their creation: delivered, still retrying, failed for good. */
async function deliveries(db: TenantDb, scope: TenantScope, endpointId: string | null, window: Window): Promise<Row[]> {
  const endpoints = endpointId
    ? Prisma.sql`d.endpoint_id = ${endpointId}`
    : Prisma.sql`d.endpoint_id in (select id from webhook_endpoints where organization_id = ${scope.organizationId} and environment = ${scope.environment}::"EnvironmentKind")`;
  return db.$queryRaw<Row[]>`
    select ${bucketOf(Prisma.sql`d.created_at`, window.bucketMs)} as bucket,
           count(*) filter (where d.status = 'succeeded')::int as delivered,
           count(*) filter (where d.status = 'pending')::int as retrying,
           count(*) filter (where d.status = 'failed')::int as failed
    from deliveries d
    where ${endpoints} and d.organization_id = ${scope.organizationId} and d.environment = ${scope.environment}::"EnvironmentKind"
      and d.created_at >= ${window.from} and d.created_at < ${window.to}
    group by 1`;
}

/**
 * The charts of a scope over a range: the environment gets all four, a connection its runs, records
 * and requests, an endpoint its deliveries. Null when the connection or endpoint is not in scope.
 */
export async function getMetrics(db: TenantDb, scope: TenantScope, target: MetricScope, range: MetricRange, now: Date = new Date()): Promise<Metrics | null> {
  const window = rangeWindow(range, now);
  const head = { range, bucketMs: window.bucketMs, from: window.from.toISOString(), to: window.to.toISOString() };
  if (target.kind === "endpoint") {
    const endpoint = await db.webhookEndpoint.findFirst({ where: { id: target.id }, select: { id: true } });
    if (!endpoint) return null;
    return { ...head, charts: { deliveries: zeroFilled("deliveries", window, await deliveries(db, scope, endpoint.id, window)) } };
  }
  let runs: Row[];
  let delivered: Row[] | null = null;
  if (target.kind === "connection") {
    const connection = await db.connection.findFirst({ where: { id: target.id }, select: { id: true } });
    if (!connection) return null;
    runs = await connectionRuns(db, scope, connection.id, window);
  } else {
    [runs, delivered] = await Promise.all([environmentRuns(db, scope, window), deliveries(db, scope, null, window)]);
  }
  return {
    ...head,
    charts: {
      runs: zeroFilled("runs", window, runs),
      records: zeroFilled("records", window, runs),
      requests: zeroFilled("requests", window, runs),
      ...(delivered ? { deliveries: zeroFilled("deliveries", window, delivered) } : {}),
    },
  };
}
