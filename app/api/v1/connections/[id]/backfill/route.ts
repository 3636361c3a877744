import { apiRoute } from "@/lib/api/handler";
import { backfillConnection } from "@/lib/api/operations/connections";
import { scopedConnection } from "@/lib/api/scope";
import { requestBackfill } from "@/lib/sync/planner";

export const dynamic = "force-dynamic";

export const POST = apiRoute(backfillConnection, async ({ body, params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  const queued = await requestBackfill(engine, connection.id, {
    objects: body.objects,
    start: body.start ? new Date(body.start) : null,
    end: body.end ? new Date(body.end) : null,
  });
  return Response.json({ sync_run_id: queued.runId }, { status: 202 });
});
