import { apiRoute } from "@/lib/api/handler";
import { deactivateSyncJobCronTrigger } from "@/lib/api/operations/sync-jobs";
import { triggerView } from "@/lib/jobs/store";
import { setTriggerActive } from "@/lib/jobs/triggers";

export const dynamic = "force-dynamic";

export const POST = apiRoute(deactivateSyncJobCronTrigger, async ({ params, scope, engine }) => {
  return { sync_job_cron_trigger: triggerView(await setTriggerActive(engine.db, scope, params.id, false, new Date(engine.clock()))) };
});
