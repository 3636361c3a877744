// The connection's sync timeline (issue 8): for one connection and a time window, its runs as lanes
// of segments (timeline-segments.ts), read with a bounded number of indexed queries whatever the
// connection's age. Every query is a range scan of sync_runs (connection_id, started_at):
//   1. a count of the runs started in the window, split into frequent kinds (incremental,
//      platform-triggered) and the rest;
//   2. the runs to draw, with their statistics: all of them when there are at most MAX_DRAWN_RUNS,
//      otherwise only the infrequent kinds (batches, backfills, manual syncs), and
//   3. in that case the frequent kinds as a density strip: counts and sums per time bucket, computed
//      in SQL, so a year of hourly runs (~9k) never leaves the database one by one.
// Runs that started before the window and are still going inside it are found among the last
// OVERLAP_LOOKBACK runs started before it: a connection runs one sync at a time, so a few suffice.
import { z } from "zod";
import { instant as boundedInstant } from "@/lib/input";
import { Prisma } from "@/lib/generated/prisma/client";
import type { TenantDb } from "@/lib/db/tenant";
import { getPlatform } from "@/lib/platforms/catalog";
import { dependencyClosure } from "@/lib/sync/configuration";
import { loadEffectiveConfiguration } from "@/lib/sync/load-configuration";
import type { Db } from "@/lib/db/client";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { buildLanes, isActiveStatus, type TimelineLane, type TimelineRunKind, type TimelineRunRow } from "./timeline-segments";
import { SYNC_RUN, sqlList } from "@/lib/lifecycles";

export * from "./timeline-segments";

/** Above this many runs in a window the frequent kinds are drawn as density: each would be under 3 px wide. */
export const MAX_DRAWN_RUNS = 400;
const OVERLAP_LOOKBACK = 20;
const DENSITY_BUCKETS = 160;
const FREQUENT_KINDS: TimelineRunKind[] = ["incremental", "platform_triggered"];
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
export const TIMELINE_MIN_SPAN_MS = MINUTE;
export const TIMELINE_MAX_SPAN_MS = 5 * 366 * DAY;
const BUCKET_STEPS = [1, 5, 15, 30, 60, 180, 360, 720, 1440, 2880, 10080, 20160, 43200].map((minutes) => minutes * MINUTE);

const instant = (field: string) => boundedInstant(`${field}: must be an ISO 8601 date-time such as 2026-11-23T09:00:00Z`).optional();

/** The route's query: `from` and `to`, both optional (no `from`: the whole history; no `to`: now). */
export const timelineQuerySchema = z.object({ from: instant("from"), to: instant("to") }).superRefine((value, context) => {
  if (!value.from || !value.to) return;
  const span = value.to.getTime() - value.from.getTime();
  if (span < TIMELINE_MIN_SPAN_MS) context.addIssue({ code: "custom", path: ["from"], message: "from: must be at least one minute before to" });
  if (span > TIMELINE_MAX_SPAN_MS) context.addIssue({ code: "custom", path: ["from"], message: "from: the window can span at most five years" });
});

export type TimelineQuery = z.infer<typeof timelineQuerySchema>;

export interface DensityBucket {
  start: string;
  end: string;
  runs: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  active: number;
  /** Runs that met at least one 429. */
  rateLimitedRuns: number;
  avgDurationMs: number;
  requests: number;
  rateLimited: number;
  retries: number;
}

export interface SyncTimeline {
  connection: { id: string; platform: string; createdAt: string };
  now: string;
  window: { from: string; to: string };
  /** The first run's start: what "All" zooms to. */
  firstRunAt: string | null;
  lanes: TimelineLane[];
  /** Frequent runs summarized per bucket when the window holds more than MAX_DRAWN_RUNS runs. */
  density: { label: string; bucketMs: number; runs: number; buckets: DensityBucket[] } | null;
  runsInWindow: number;
  /** Some infrequent runs were left out (more than MAX_DRAWN_RUNS of them in the window). */
  truncated: boolean;
  /** A run is queued (due), running or rate limited: worth polling. */
  active: boolean;
}

interface Scope {
  id: string;
  organizationId: string;
  environment: string;
}

const RUN_COLUMNS = Prisma.sql`id, kind::text as kind, status::text as status, batch_position as "batchPosition", objects, started_at as "startedAt",
  finished_at as "finishedAt", resume_at as "resumeAt", last_progress_at as "lastProgressAt", stats, error`;

function scoped(scope: Scope): Prisma.Sql {
  // Raw SQL bypasses the tenant client: the scope is repeated here from the connection it found.
  return Prisma.sql`connection_id = ${scope.id} and organization_id = ${scope.organizationId} and environment::text = ${scope.environment}`;
}

async function countRuns(db: TenantDb, scope: Scope, from: Date, to: Date): Promise<{ total: number; frequent: number }> {
  const [row] = await db.$queryRaw<{ total: number; frequent: number }[]>`
    select count(*)::int as total, count(*) filter (where kind::text in (${Prisma.join(FREQUENT_KINDS)}))::int as frequent
    from sync_runs where ${scoped(scope)} and started_at >= ${from} and started_at <= ${to}`;
  return row;
}

async function drawnRuns(db: TenantDb, scope: Scope, from: Date, to: Date, onlyInfrequent: boolean): Promise<TimelineRunRow[]> {
  const kinds = onlyInfrequent ? Prisma.sql`and kind::text not in (${Prisma.join(FREQUENT_KINDS)})` : Prisma.empty;
  return db.$queryRaw<TimelineRunRow[]>`
    (select ${RUN_COLUMNS} from sync_runs
      where ${scoped(scope)} and started_at >= ${from} and started_at <= ${to} ${kinds}
      order by started_at desc limit ${MAX_DRAWN_RUNS})
    union all
    (select * from (
      select ${RUN_COLUMNS} from sync_runs
      where ${scoped(scope)} and started_at < ${from} ${kinds}
      order by started_at desc limit ${OVERLAP_LOOKBACK}) earlier
     where "finishedAt" is null or "finishedAt" >= ${from})`;
}

function bucketSize(spanMs: number): number {
  return BUCKET_STEPS.find((step) => spanMs / step <= DENSITY_BUCKETS) ?? BUCKET_STEPS.at(-1)!;
}

async function densityBuckets(db: TenantDb, scope: Scope, from: Date, to: Date): Promise<{ bucketMs: number; buckets: DensityBucket[] }> {
  const bucketMs = bucketSize(to.getTime() - from.getTime());
  // Buckets are aligned to multiples of their size since the epoch, so they do not shift as the window slides.
  const rows = await db.$queryRaw<
    {
      bucket: number;
      runs: number;
      succeeded: number;
      failed: number;
      cancelled: number;
      active: number;
      rate_limited_runs: number;
      duration_ms: number;
      finished: number;
      requests: number;
      rate_limited: number;
      retries: number;
    }[]
  >`
    select floor(extract(epoch from started_at) * 1000 / ${bucketMs}::float8)::float8 as bucket,
      count(*)::int as runs,
      count(*) filter (where status = 'succeeded')::int as succeeded,
      count(*) filter (where status = 'failed')::int as failed,
      count(*) filter (where status = 'cancelled')::int as cancelled,
      count(*) filter (where status in ${sqlList(SYNC_RUN.active)})::int as active,
      count(*) filter (where coalesce((stats->>'rate_limited')::int, 0) > 0)::int as rate_limited_runs,
      coalesce(sum(extract(epoch from finished_at - started_at) * 1000), 0)::float8 as duration_ms,
      count(finished_at)::int as finished,
      coalesce(sum((stats->>'requests')::int), 0)::int as requests,
      coalesce(sum((stats->>'rate_limited')::int), 0)::int as rate_limited,
      coalesce(sum((stats->>'retries')::int), 0)::int as retries
    from sync_runs
    where ${scoped(scope)} and started_at >= ${from} and started_at <= ${to} and kind::text in (${Prisma.join(FREQUENT_KINDS)})
    group by 1 order by 1`;
  return {
    bucketMs,
    buckets: rows.map((row) => ({
      start: new Date(row.bucket * bucketMs).toISOString(),
      end: new Date((row.bucket + 1) * bucketMs).toISOString(),
      runs: row.runs,
      succeeded: row.succeeded,
      failed: row.failed,
      cancelled: row.cancelled,
      active: row.active,
      rateLimitedRuns: row.rate_limited_runs,
      avgDurationMs: row.finished ? Math.round(row.duration_ms / row.finished) : 0,
      requests: row.requests,
      rateLimited: row.rate_limited,
      retries: row.retries,
    })),
  };
}

/** The connection's configured objects in fetch order; none when its configuration cannot be resolved. */
async function configuredObjects(
  db: TenantDb,
  connection: { id: string; organizationId: string; environment: EnvironmentKind; platform: string },
): Promise<string[]> {
  // The loader reads sync_configurations filtered by the connection's own organization and
  // environment, which the tenant client only narrows further; its Db type predates the tenant client.
  return loadEffectiveConfiguration(db as unknown as Db, connection)
    .then((configuration) => configuration.objects)
    .catch(() => []);
}

/** The lanes' objects: the configured ones, then any a run fetched that the configuration no longer lists, all in fetch order. */
function fetchOrder(platform: string, configured: string[], runs: TimelineRunRow[]): string[] {
  const seen = [...new Set([...configured, ...runs.flatMap((run) => run.objects)])];
  const definition = getPlatform(platform);
  if (!definition) return seen;
  const known = dependencyClosure(definition, seen).objects.filter((object) => seen.includes(object));
  return [...known, ...seen.filter((object) => !known.includes(object))];
}

/** The window "All" shows: from a little before the first run to a little after now, at least two minutes wide. */
function wholeHistory(first: Date | null, createdAt: Date, to: Date): { from: Date; to: Date } {
  const start = Math.min(first?.getTime() ?? createdAt.getTime(), to.getTime());
  const span = Math.max(to.getTime() - start, 2 * MINUTE);
  return { from: new Date(start - span * 0.04), to: new Date(to.getTime() + span * 0.06) };
}

/** The timeline of one connection in the tenant's scope, or null when there is no such connection there. */
export async function getSyncTimeline(db: TenantDb, connectionId: string, query: TimelineQuery, now: Date = new Date()): Promise<SyncTimeline | null> {
  const connection = await db.connection.findFirst({
    where: { id: connectionId },
    select: { id: true, platform: true, organizationId: true, environment: true, createdAt: true },
  });
  if (!connection) return null;
  const scope: Scope = { id: connection.id, organizationId: connection.organizationId, environment: connection.environment };
  const to = query.to ?? now;
  const known = query.from ? { from: query.from, to } : query.to ? { from: new Date(to.getTime() - DAY), to } : null;
  // Three round trips: what does not depend on each other is asked at once.
  const [first, active, objectOrder, knownCounts] = await Promise.all([
    db.syncRun.findFirst({ where: { connectionId: connection.id, startedAt: { not: null } }, orderBy: { startedAt: "asc" }, select: { startedAt: true } }),
    // A queued run counts once it is due: an ongoing connection's next incremental waits queued for its time.
    db.syncRun.findFirst({
      where: {
        connectionId: connection.id,
        OR: [{ status: { in: ["running", "rate_limited"] } }, { status: "queued", scheduledAt: { lte: new Date(now.getTime() + MINUTE) } }],
      },
      select: { id: true },
    }),
    configuredObjects(db, connection),
    known ? countRuns(db, scope, known.from, known.to) : null,
  ]);
  const window = known ?? wholeHistory(first?.startedAt ?? null, connection.createdAt, now);
  const counts = knownCounts ?? (await countRuns(db, scope, window.from, window.to));
  const aggregate = counts.total > MAX_DRAWN_RUNS && counts.frequent > 0;
  const [rows, density] = await Promise.all([
    drawnRuns(db, scope, window.from, window.to, aggregate),
    aggregate ? densityBuckets(db, scope, window.from, window.to) : null,
  ]);
  const lanes = buildLanes(rows, fetchOrder(connection.platform, objectOrder, rows), now);
  const infrequent = counts.total - counts.frequent;
  return {
    connection: { id: connection.id, platform: connection.platform, createdAt: connection.createdAt.toISOString() },
    now: now.toISOString(),
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    firstRunAt: first?.startedAt?.toISOString() ?? null,
    lanes,
    density: density && { label: "Incremental", ...density, runs: counts.frequent },
    runsInWindow: counts.total,
    truncated: (aggregate ? infrequent : counts.total) > MAX_DRAWN_RUNS,
    active: Boolean(active) || rows.some((row) => isActiveStatus(row.status)),
  };
}
