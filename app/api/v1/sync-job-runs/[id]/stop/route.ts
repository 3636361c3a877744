import { apiRoute } from "@/lib/api/handler";
import { stopSyncJobRun } from "@/lib/api/operations/sync-jobs";
import { runView, stopJobRun } from "@/lib/jobs/store";

export const dynamic = "force-dynamic";

export const POST = apiRoute(stopSyncJobRun, async ({ params, scope, engine }) => {
  return { sync_job_run: runView(await stopJobRun(engine.db, scope, params.id)) };
});
