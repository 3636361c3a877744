-- AlterTable
ALTER TABLE "sync_run_hourly_rollups" ADD COLUMN     "rate_limited" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "records_created" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "records_deleted" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "records_updated" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "requests" INTEGER NOT NULL DEFAULT 0;

-- Backfill (written by hand): the volumes of the runs already counted, by the rule of
-- lib/sync/sql/count-ended-runs.ts (succeeded and failed runs, cancelled runs that had started), from
-- their stats: top-level requests and 429s, records summed over the objects. One pass over sync_runs.
with volumes as (
  select organization_id, environment, date_trunc('hour', finished_at, 'UTC') as hour,
         coalesce(sum((stats->>'requests')::int), 0)::int as requests,
         coalesce(sum((stats->>'rate_limited')::int), 0)::int as rate_limited,
         coalesce(sum(o.created), 0)::int as records_created,
         coalesce(sum(o.updated), 0)::int as records_updated,
         coalesce(sum(o.deleted), 0)::int as records_deleted
  from sync_runs
  cross join lateral (
    select sum((value->>'created')::int) as created, sum((value->>'updated')::int) as updated, sum((value->>'deleted')::int) as deleted
    from jsonb_each(case when jsonb_typeof(stats->'objects') = 'object' then stats->'objects' else '{}'::jsonb end)
  ) o
  where finished_at is not null and (status in ('succeeded', 'failed') or (status = 'cancelled' and started_at is not null))
  group by organization_id, environment, date_trunc('hour', finished_at, 'UTC')
)
update sync_run_hourly_rollups r
set requests = v.requests, rate_limited = v.rate_limited, records_created = v.records_created, records_updated = v.records_updated, records_deleted = v.records_deleted
from volumes v
where r.organization_id = v.organization_id and r.environment = v.environment and r.hour = v.hour;
