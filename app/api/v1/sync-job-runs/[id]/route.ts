import { apiRoute } from "@/lib/api/handler";
import { getSyncJobRun } from "@/lib/api/operations/sync-jobs";
import { runView, scopedRun } from "@/lib/jobs/store";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getSyncJobRun, async ({ params, scope, engine }) => {
  return { sync_job_run: runView(await scopedRun(engine.db, scope, params.id)) };
});
