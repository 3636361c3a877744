import { apiRoute } from "@/lib/api/handler";
import { deleteSyncJobCronTrigger, getSyncJobCronTrigger, updateSyncJobCronTrigger } from "@/lib/api/operations/sync-jobs";
import { triggerView } from "@/lib/jobs/store";
import { deleteTrigger, scopedTrigger, updateTrigger } from "@/lib/jobs/triggers";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getSyncJobCronTrigger, async ({ params, scope, engine }) => {
  return { sync_job_cron_trigger: triggerView(await scopedTrigger(engine.db, scope, params.id)) };
});

export const PATCH = apiRoute(updateSyncJobCronTrigger, async ({ body, params, scope, engine }) => {
  const trigger = await updateTrigger(
    engine.db,
    scope,
    params.id,
    { webhookEndpointId: body.webhook_endpoint_id, expression: body.cron_expression, args: body.args, active: body.active },
    new Date(engine.clock()),
  );
  return { sync_job_cron_trigger: triggerView(trigger) };
});

export const DELETE = apiRoute(deleteSyncJobCronTrigger, async ({ params, scope, engine }) => {
  await deleteTrigger(engine.db, scope, params.id);
  return { id: params.id, deleted: true };
});
