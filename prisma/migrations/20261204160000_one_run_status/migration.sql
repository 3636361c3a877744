-- One status vocabulary for runs: sync job runs take the sync runs' statuses (created → queued,
-- completed → succeeded, stopped → cancelled), and so does each resource's progress in a job run
-- (completed → succeeded). Both tables' status is now the one enum "RunStatus".
ALTER TYPE "SyncRunStatus" RENAME TO "RunStatus";

ALTER TABLE "sync_job_runs" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "sync_job_runs" ALTER COLUMN "status" TYPE "RunStatus" USING (
  CASE "status"::text WHEN 'created' THEN 'queued' WHEN 'completed' THEN 'succeeded' WHEN 'stopped' THEN 'cancelled' ELSE "status"::text END
)::"RunStatus";
ALTER TABLE "sync_job_runs" ALTER COLUMN "status" SET DEFAULT 'queued';
DROP TYPE "SyncJobRunStatus";

UPDATE "sync_job_runs" SET "progress" = (
  SELECT jsonb_object_agg("key", CASE WHEN "value"->>'status' = 'completed' THEN jsonb_set("value", '{status}', '"succeeded"') ELSE "value" END)
  FROM jsonb_each("progress")
)
WHERE jsonb_typeof("progress") = 'object' AND "progress" <> '{}'::jsonb;
