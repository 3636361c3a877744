import { apiRoute } from "@/lib/api/handler";
import { createSyncJobRun, listSyncJobRuns } from "@/lib/api/operations/sync-jobs";
import { createJobRun, runView } from "@/lib/jobs/store";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listSyncJobRuns, async ({ query, scope, engine }) => {
  const rows = await engine.db.syncJobRun.findMany({
    where: {
      organizationId: scope.organizationId,
      environment: scope.environment,
      ...(query.sync_job_id ? { syncJobId: query.sync_job_id } : {}),
      ...(query.connection_id ? { connectionId: query.connection_id } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor ? { id: { lt: query.cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { sync_job_runs: page.map(runView), next_cursor: rows.length > query.limit ? page.at(-1)!.id : null };
});

export const POST = apiRoute(createSyncJobRun, async ({ body, scope, engine }) => {
  const run = await createJobRun(engine.db, scope, {
    syncJobId: body.sync_job_id,
    connectionId: body.connection_id,
    webhookEndpointId: body.webhook_endpoint_id,
    args: body.args,
    ignorePreviousRun: body.ignore_previous_run,
  });
  // Queued (status created): the embedded worker or the Inngest scheduler picks it up.
  return Response.json({ sync_job_run: runView(run) }, { status: 201 });
});
