// Reads for the Overview page. Every figure is computed in the database, grouped on indexed columns,
// one statement per figure and all of them at once, so the page stays fast with 50k connections and
// hundreds of thousands of runs and deliveries (measured in overview.bench.test.ts):
// - connections by health and by stage: connections(organization_id, environment, health|stage);
// - runs: at most 168 rows of sync_run_hourly_rollups, counters and duration histograms written as
//   runs end (lib/sync/sql/count-ended-runs.ts), summed here, percentiles read from the summed
//   histogram. Over raw runs the 7-day percentiles took 450 ms for 163k runs, and a real install
//   (50k connections syncing hourly) ends 8.4M runs a week;
// - deliveries: through the environment's endpoints on deliveries(endpoint_id, created_at) — deliveries
//   have no (organization, environment, created_at) index and do not need one for this;
// - running syncs through sync_runs(status, scheduled_at), bounded to the newest few.
import type { TenantDb, TenantScope } from "@/lib/db/tenant";
import type { ConnectionHealth, ConnectionStage, SyncRunKind, RunStatus } from "@/lib/generated/prisma/enums";
import { DURATION_BUCKETS, histogramQuantile } from "@/lib/sync/run-durations";
import { SYNC_RUN, sqlList } from "@/lib/lifecycles";

const HOUR_MS = 3600 * 1000;
export const RUNNING_SHOWN = 10;
export const INCIDENTS_SHOWN = 10;

export interface RunWindow {
  /** Runs that ended in the window: succeeded, failed, or cancelled after they had started. */
  total: number;
  succeeded: number;
  failed: number;
  /** Queued, running or paused by a rate limit now (the same in both windows). */
  active: number;
  /** Succeeded over finished (succeeded + failed); null when none finished. */
  successRate: number | null;
  /**
   * Duration from start to finish of the succeeded and failed runs, in milliseconds; null when none
   * finished. Approximate: read from a histogram whose buckets are 25% wide (lib/sync/run-durations.ts).
   */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface RunningSync {
  id: string;
  connectionId: string;
  platform: string;
  accountName: string | null;
  kind: SyncRunKind;
  status: RunStatus;
  startedAt: Date | null;
  resumeAt: Date | null;
  /** Objects of this run that are done, of all its objects. */
  objectsDone: number;
  objectsTotal: number;
  recordsSeen: number;
  /** For initial and historical batches: this batch's position and the connection's number of batches. */
  batch: { position: number; total: number } | null;
}

export interface Incident {
  id: string;
  kind: "connection" | "endpoint";
  title: string;
  status: string;
  detail: string | null;
  at: Date;
  href: string;
}

export interface Overview {
  connections: number;
  byHealth: Record<ConnectionHealth, number>;
  byStage: Record<ConnectionStage, number>;
  runs24h: RunWindow;
  runs7d: RunWindow;
  deliveries24h: { total: number; succeeded: number; failed: number; retrying: number; failureRate: number | null };
  endpoints: { total: number; failing: number; disabled: number };
  running: { total: number; shown: RunningSync[] };
  incidents: Incident[];
}

interface RollupRow {
  recent: boolean;
  succeeded: number;
  failed: number;
  cancelled: number;
  durations: number[];
}

function runWindow(rows: RollupRow[], active: number): RunWindow {
  const durations = new Array<number>(DURATION_BUCKETS).fill(0);
  let succeeded = 0;
  let failed = 0;
  let cancelled = 0;
  for (const row of rows) {
    succeeded += row.succeeded;
    failed += row.failed;
    cancelled += row.cancelled;
    row.durations.forEach((count, bucket) => (durations[bucket] += count));
  }
  const done = succeeded + failed;
  const p50 = histogramQuantile(durations, 0.5);
  const p95 = histogramQuantile(durations, 0.95);
  return {
    total: done + cancelled,
    succeeded,
    failed,
    active,
    successRate: done ? succeeded / done : null,
    p50Ms: p50 === null ? null : Math.round(p50),
    p95Ms: p95 === null ? null : Math.round(p95),
  };
}

/**
 * The hourly rollups of the last 168 hours (7 d) and 24 hours, the current hour included: a window
 * is the current UTC hour and the 167 (23) before it, so it reaches back 167 to 168 (23 to 24) hours.
 */
export async function runFigures(db: TenantDb, scope: TenantScope, now: Date): Promise<{ runs24h: RunWindow; runs7d: RunWindow }> {
  const hour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const since7 = new Date(hour - 167 * HOUR_MS);
  const since24 = new Date(hour - 23 * HOUR_MS);
  const [rows, [{ active }]] = await Promise.all([
    db.$queryRaw<RollupRow[]>`
      select hour >= ${since24} as recent, succeeded, failed, cancelled, durations
      from sync_run_hourly_rollups
      where organization_id = ${scope.organizationId} and environment = ${scope.environment}::"EnvironmentKind"
        and hour >= ${since7} and hour <= ${new Date(hour)}`,
    // Through sync_runs(status, scheduled_at): runs are created when due, so active ones are few.
    db.$queryRaw<{ active: number }[]>`
      select count(*)::int as active from sync_runs
      where status in ${sqlList(SYNC_RUN.active)}
        and organization_id = ${scope.organizationId} and environment = ${scope.environment}::"EnvironmentKind"`,
  ]);
  return {
    runs7d: runWindow(rows, active),
    runs24h: runWindow(
      rows.filter((row) => row.recent),
      active,
    ),
  };
}

export async function deliveryFigures(db: TenantDb, scope: TenantScope, now: Date): Promise<Overview["deliveries24h"]> {
  const since = new Date(now.getTime() - 24 * HOUR_MS);
  const [row] = await db.$queryRaw<{ total: bigint; succeeded: bigint; failed: bigint; retrying: bigint }[]>`
    select count(*) as total,
           count(*) filter (where d.status = 'succeeded') as succeeded,
           count(*) filter (where d.status = 'failed') as failed,
           count(*) filter (where d.status = 'pending' and d.attempt_count > 0) as retrying
    from webhook_endpoints e
    join deliveries d on d.endpoint_id = e.id and d.created_at >= ${since} and d.created_at <= ${now}
    where e.organization_id = ${scope.organizationId} and e.environment = ${scope.environment}::"EnvironmentKind"`;
  const [total, succeeded, failed, retrying] = [row.total, row.succeeded, row.failed, row.retrying].map(Number);
  const attempted = succeeded + failed + retrying;
  return { total, succeeded, failed, retrying, failureRate: attempted ? (failed + retrying) / attempted : null };
}

interface RunningRow {
  id: string;
  connection_id: string;
  platform: string;
  account_name: string | null;
  kind: SyncRunKind;
  status: RunStatus;
  started_at: Date | null;
  resume_at: Date | null;
  objects: string[];
  stats: { objects?: Record<string, { status?: string; seen?: number }> } | null;
  batch_position: number | null;
  batches_total: number;
  total: bigint;
}

export async function runningSyncs(db: TenantDb, scope: TenantScope): Promise<Overview["running"]> {
  const rows = await db.$queryRaw<RunningRow[]>`
    select r.id, r.connection_id, c.platform, c.account_name, r.kind::text as kind, r.status::text as status, r.started_at, r.resume_at,
           r.objects, r.stats, r.batch_position, c.batches_total, count(*) over () as total
    from sync_runs r join connections c on c.id = r.connection_id
    where r.status in ('running', 'rate_limited') and r.organization_id = ${scope.organizationId} and r.environment = ${scope.environment}::"EnvironmentKind"
    order by r.started_at desc nulls last, r.id
    limit ${RUNNING_SHOWN}`;
  return {
    total: rows.length ? Number(rows[0].total) : 0,
    shown: rows.map((row) => {
      const objects = row.stats?.objects ?? {};
      const names = row.objects.length ? row.objects : Object.keys(objects);
      return {
        id: row.id,
        connectionId: row.connection_id,
        platform: row.platform,
        accountName: row.account_name,
        kind: row.kind,
        status: row.status,
        startedAt: row.started_at,
        resumeAt: row.resume_at,
        objectsTotal: names.length,
        objectsDone: names.filter((name) => ["succeeded", "failed", "skipped"].includes(objects[name]?.status ?? "")).length,
        recordsSeen: Object.values(objects).reduce((sum, object) => sum + (object.seen ?? 0), 0),
        batch:
          row.batch_position !== null && (row.kind === "initial_batch" || row.kind === "historical_batch")
            ? { position: row.batch_position, total: Math.max(row.batches_total, row.batch_position) }
            : null,
      };
    }),
  };
}

export async function incidents(db: TenantDb): Promise<{ incidents: Incident[]; endpoints: Overview["endpoints"] }> {
  const [connections, endpoints] = await Promise.all([
    db.connection.findMany({
      where: { deletedAt: null, health: { in: ["NEEDS_UPDATE", "DISABLED"] } },
      orderBy: { updatedAt: "desc" },
      take: INCIDENTS_SHOWN,
      select: { id: true, platform: true, accountName: true, health: true, healthDetail: true, disabledReason: true, updatedAt: true },
    }),
    db.webhookEndpoint.findMany({ select: { id: true, url: true, enabled: true, failingSince: true, disabledAt: true, disabledReason: true } }),
  ]);
  const troubled = endpoints.filter((endpoint) => !endpoint.enabled || endpoint.failingSince);
  const list: Incident[] = [
    ...connections.map((connection) => ({
      id: connection.id,
      kind: "connection" as const,
      title: `${connection.accountName ?? connection.id} · ${connection.platform}`,
      status: connection.health === "DISABLED" ? "Disabled" : "Needs update",
      detail: connection.healthDetail ?? (connection.disabledReason ? connection.disabledReason.replace(/_/g, " ") : null),
      at: connection.updatedAt,
      href: `/connections/${connection.id}`,
    })),
    ...troubled.map((endpoint) => ({
      id: endpoint.id,
      kind: "endpoint" as const,
      title: endpoint.url,
      status: endpoint.enabled ? "Failing" : "Disabled",
      detail: endpoint.enabled ? "Deliveries to this endpoint are failing" : endpoint.disabledReason,
      at: (endpoint.enabled ? endpoint.failingSince : endpoint.disabledAt) ?? new Date(0),
      href: `/webhooks/${endpoint.id}`,
    })),
  ];
  list.sort((a, b) => b.at.getTime() - a.at.getTime());
  return {
    incidents: list.slice(0, INCIDENTS_SHOWN),
    endpoints: { total: endpoints.length, failing: troubled.filter((e) => e.enabled).length, disabled: troubled.filter((e) => !e.enabled).length },
  };
}

export async function getOverview(db: TenantDb, scope: TenantScope, now = new Date()): Promise<Overview> {
  const [health, stage, runs, deliveries24h, running, trouble] = await Promise.all([
    db.connection.groupBy({ by: ["health"], where: { deletedAt: null }, _count: { _all: true } }),
    db.connection.groupBy({ by: ["stage"], where: { deletedAt: null }, _count: { _all: true } }),
    runFigures(db, scope, now),
    deliveryFigures(db, scope, now),
    runningSyncs(db, scope),
    incidents(db),
  ]);
  const byHealth: Record<ConnectionHealth, number> = { HEALTHY: 0, UNHEALTHY: 0, NEEDS_UPDATE: 0, DISABLED: 0 };
  for (const row of health) byHealth[row.health] = row._count._all;
  const byStage: Record<ConnectionStage, number> = { INITIAL_SYNC: 0, HISTORICAL_SYNC: 0, ONGOING: 0 };
  for (const row of stage) byStage[row.stage] = row._count._all;
  return {
    connections: Object.values(byHealth).reduce((a, b) => a + b, 0),
    byHealth,
    byStage,
    ...runs,
    deliveries24h,
    endpoints: trouble.endpoints,
    running,
    incidents: trouble.incidents,
  };
}

/** Dates as ISO strings, for the live route's JSON. */
export type RunningJson = Omit<RunningSync, "startedAt" | "resumeAt"> & { startedAt: string | null; resumeAt: string | null };
