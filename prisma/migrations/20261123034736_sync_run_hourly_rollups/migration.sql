-- CreateTable
CREATE TABLE "sync_run_hourly_rollups" (
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "cancelled" INTEGER NOT NULL DEFAULT 0,
    "durations" INTEGER[],

    CONSTRAINT "sync_run_hourly_rollups_pkey" PRIMARY KEY ("organization_id","environment","hour")
);

-- AddForeignKey
ALTER TABLE "sync_run_hourly_rollups" ADD CONSTRAINT "sync_run_hourly_rollups_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill (written by hand): the runs that ended before this table existed, counted by the rule the
-- engine follows from now on (lib/sync/sql/count-ended-runs.ts): succeeded and failed runs, with a
-- duration bucket when they started; cancelled runs that had started. Buckets are PostgreSQL's
-- width_bucket over DURATION_BUCKET_BOUNDS_MS (lib/sync/run-durations.ts, a test checks they agree):
-- bucket i goes to durations[i + 1]. One pass over sync_runs, grouped per hour.
with ended as (
  select organization_id, environment, date_trunc('hour', finished_at, 'UTC') as hour, status,
         case when status in ('succeeded', 'failed') and started_at is not null
              then width_bucket(extract(epoch from finished_at - started_at) * 1000, array[100, 125, 156, 195, 244, 305, 381, 477, 596, 745, 931, 1164, 1455, 1819, 2274, 2842, 3553, 4441, 5551, 6939, 8674, 10842, 13553, 16941, 21176, 26470, 33087, 41359, 51699, 64623, 80779, 100974, 126218, 157772, 197215, 246519, 308149, 385186, 481482, 601853, 752316, 940395, 1175494, 1469368, 1836710, 2295887, 2869859, 3587324, 4484155, 5605194, 7006492, 8758115, 10947644, 13684555, 17105694, 21382118, 26727647, 33409559, 41761949, 52202436, 65253045, 81566306]::numeric[]) end as bucket
  from sync_runs
  where finished_at is not null and (status in ('succeeded', 'failed') or (status = 'cancelled' and started_at is not null))
),
counts as (
  select organization_id, environment, hour,
         count(*) filter (where status = 'succeeded')::int as succeeded,
         count(*) filter (where status = 'failed')::int as failed,
         count(*) filter (where status = 'cancelled')::int as cancelled
  from ended group by organization_id, environment, hour
),
buckets as (
  select organization_id, environment, hour, bucket, count(*)::int as n
  from ended where bucket is not null group by organization_id, environment, hour, bucket
),
histograms as (
  select c.organization_id, c.environment, c.hour, array_agg(coalesce(b.n, 0) order by i) as durations
  from counts c
  cross join generate_series(0, 62) as i
  left join buckets b on b.organization_id = c.organization_id and b.environment = c.environment and b.hour = c.hour and b.bucket = i
  group by c.organization_id, c.environment, c.hour
)
insert into sync_run_hourly_rollups (organization_id, environment, hour, succeeded, failed, cancelled, durations)
select c.organization_id, c.environment, c.hour, c.succeeded, c.failed, c.cancelled, h.durations
from counts c join histograms h using (organization_id, environment, hour);
