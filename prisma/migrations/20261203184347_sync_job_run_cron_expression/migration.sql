-- AlterTable
ALTER TABLE "sync_job_runs" ADD COLUMN     "cron_expression" TEXT;

-- Written by hand: runs a trigger started before this column existed keep their trigger's expression.
UPDATE "sync_job_runs" AS r SET "cron_expression" = t."expression" FROM "cron_triggers" AS t WHERE t."id" = r."cron_trigger_id";
