// Runs that end are counted in sync_run_hourly_rollups, per organization, environment and UTC hour of
// their end, in the transaction that ends them: outcome counters and a duration histogram
// (lib/sync/run-durations.ts), so the Overview reads a week from 168 rows instead of every run.
//
// Each counted run also adds its volumes from its stats (platform requests, 429s, records created,
// updated and deleted), read from its row in the same statement, so the charts of the Overview
// (lib/metrics) read those from the hourly rows too.
//
// What counts: every run ending succeeded or failed (finishRun, also for runs failStuckRuns stops),
// with its duration when it has a start; and a cancelled run that had started (rate-limited or
// running when its connection was disabled or deleted, or when the runner found it could no longer
// sync). A run cancelled while still queued never ran and is not counted: the planner's cancelling of
// queued incremental runs when a backfill supersedes them (lib/sync/planner.ts) is such a path. The
// backfill in the migration applies the same rule to the runs stored before the table existed.
//
// The hot row: every run of an organization ending in the same hour updates one row. Each statement
// is the last of its transaction, so the row is locked only from this statement to the commit, one
// round trip; and it takes no other lock after it, so it cannot be part of a deadlock. 50k
// connections syncing hourly end about 14 runs a second, a few percent of that row's time even at a
// few milliseconds per commit; a burst of 50 workers ending at once waits at worst 50 commits.
// Spreading it over shard rows would be the next step if that ever shows in lock waits.
import { Prisma } from "@/lib/generated/prisma/client";
import type { EnvironmentKind, RunStatus } from "@/lib/generated/prisma/enums";
import { DURATION_BUCKETS, durationBucket } from "../run-durations";
import { SYNC_RUN, sqlList } from "@/lib/lifecycles";

export interface EndedRun {
  id: string;
  organizationId: string;
  environment: EnvironmentKind;
  startedAt: Date | null;
}

/**
 * Per row of `runs` (a table or CTE with a `stats` column, aliased `runs`), its records created,
 * updated and deleted summed over its objects, as columns of `o`: requests and 429s are kept at the
 * top of the stats, records per object. Also read by the charts of one connection (lib/metrics).
 */
export function objectRecordsLateral(): Prisma.Sql {
  return Prisma.sql`cross join lateral (
      select sum((value->>'created')::int) as created, sum((value->>'updated')::int) as updated, sum((value->>'deleted')::int) as deleted
      from jsonb_each(case when jsonb_typeof(runs.stats->'objects') = 'object' then runs.stats->'objects' else '{}'::jsonb end)
    ) o`;
}

/** Sums of the volumes of the rows of `runs` and their objectRecordsLateral `o`. */
export const VOLUME_SUMS = Prisma.sql`coalesce(sum((runs.stats->>'requests')::int), 0)::int as requests,
           coalesce(sum((runs.stats->>'rate_limited')::int), 0)::int as rate_limited,
           coalesce(sum(o.created), 0)::int as created,
           coalesce(sum(o.updated), 0)::int as updated,
           coalesce(sum(o.deleted), 0)::int as deleted`;

function volumeSums(runs: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`select ${VOLUME_SUMS} from ${runs} runs ${objectRecordsLateral()}`;
}

const ADD_VOLUMES = Prisma.sql`requests = r.requests + excluded.requests,
          rate_limited = r.rate_limited + excluded.rate_limited,
          records_created = r.records_created + excluded.records_created,
          records_updated = r.records_updated + excluded.records_updated,
          records_deleted = r.records_deleted + excluded.records_deleted`;

/**
 * Adds one succeeded or failed run, ended at `finishedAt`, to its hour: a counter, when it started a
 * duration bucket, and the volumes of the stats already saved on its row.
 */
export function countEndedRunSql(run: EndedRun, status: "succeeded" | "failed", finishedAt: Date): Prisma.Sql {
  const durations: number[] = new Array<number>(DURATION_BUCKETS).fill(0);
  // PostgreSQL arrays are 1-based.
  const subscript = run.startedAt ? durationBucket(finishedAt.getTime() - run.startedAt.getTime()) + 1 : null;
  if (subscript !== null) durations[subscript - 1] = 1;
  const succeeded = status === "succeeded" ? 1 : 0;
  return Prisma.sql`
    with volumes as (${volumeSums(Prisma.sql`(select stats from sync_runs where id = ${run.id})`)})
    insert into sync_run_hourly_rollups as r (organization_id, environment, hour, succeeded, failed, cancelled, durations,
                                              requests, rate_limited, records_created, records_updated, records_deleted)
    select ${run.organizationId}, ${run.environment}::"EnvironmentKind", date_trunc('hour', ${finishedAt}::timestamptz, 'UTC'), ${succeeded}, ${1 - succeeded}, 0, ${durations}::int[],
           requests, rate_limited, created, updated, deleted
    from volumes
    on conflict (organization_id, environment, hour) do update
      set succeeded = r.succeeded + excluded.succeeded,
          failed = r.failed + excluded.failed,
          ${ADD_VOLUMES}${
            subscript === null
              ? Prisma.empty
              : Prisma.sql`,
          durations[${subscript}::int] = r.durations[${subscript}::int] + 1`
          }`;
}

export type CancelFilter = { runId: string } | { connectionId: string; statuses: readonly RunStatus[] };

/**
 * Cancels the runs the filter selects among the active ones (queued, running, rate-limited) and
 * counts those that had started, in one statement.
 */
export function cancelRunsSql(filter: CancelFilter, finishedAt: Date): Prisma.Sql {
  const which =
    "runId" in filter
      ? Prisma.sql`id = ${filter.runId}`
      : Prisma.sql`connection_id = ${filter.connectionId} and status::text = any(${[...filter.statuses]}::text[])`;
  return Prisma.sql`
    with ended as (
      update sync_runs set status = 'cancelled', finished_at = ${finishedAt}, updated_at = now()
      where ${which} and status in ${sqlList(SYNC_RUN.active)}
      returning organization_id, environment, started_at, stats
    ),
    started as (select * from ended where started_at is not null),
    volumes as (${volumeSums(Prisma.sql`started`)})
    insert into sync_run_hourly_rollups as r (organization_id, environment, hour, succeeded, failed, cancelled, durations,
                                              requests, rate_limited, records_created, records_updated, records_deleted)
    select organization_id, environment, date_trunc('hour', ${finishedAt}::timestamptz, 'UTC'), 0, 0, count(*), ${new Array<number>(DURATION_BUCKETS).fill(0)}::int[],
           min(v.requests), min(v.rate_limited), min(v.created), min(v.updated), min(v.deleted)
    from started cross join volumes v
    group by organization_id, environment
    on conflict (organization_id, environment, hour) do update set cancelled = r.cancelled + excluded.cancelled,
          ${ADD_VOLUMES}`;
}
