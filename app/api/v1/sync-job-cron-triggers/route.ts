import { apiRoute } from "@/lib/api/handler";
import { createSyncJobCronTrigger, listSyncJobCronTriggers } from "@/lib/api/operations/sync-jobs";
import { triggerView } from "@/lib/jobs/store";
import { createTrigger } from "@/lib/jobs/triggers";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listSyncJobCronTriggers, async ({ query, scope, engine }) => {
  const rows = await engine.db.cronTrigger.findMany({
    where: {
      organizationId: scope.organizationId,
      environment: scope.environment,
      ...(query.sync_job_id ? { syncJobId: query.sync_job_id } : {}),
      ...(query.connection_id ? { connectionId: query.connection_id } : {}),
      ...(query.cursor ? { id: { lt: query.cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { sync_job_cron_triggers: page.map(triggerView), next_cursor: rows.length > query.limit ? page.at(-1)!.id : null };
});

export const POST = apiRoute(createSyncJobCronTrigger, async ({ body, scope, engine }) => {
  const trigger = await createTrigger(
    engine.db,
    scope,
    {
      syncJobId: body.sync_job_id,
      connectionId: body.connection_id,
      webhookEndpointId: body.webhook_endpoint_id,
      expression: body.cron_expression,
      args: body.args,
      active: body.active,
    },
    new Date(engine.clock()),
  );
  return Response.json({ sync_job_cron_trigger: triggerView(trigger) }, { status: 201 });
});
