import { apiRoute } from "@/lib/api/handler";
import { syncConnection } from "@/lib/api/operations/connections";
import { scopedConnection } from "@/lib/api/scope";
import { requestSync } from "@/lib/sync/planner";

export const dynamic = "force-dynamic";

export const POST = apiRoute(syncConnection, async ({ body, params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  const queued = await requestSync(engine, connection.id, { full: body.full });
  return Response.json({ sync_run_id: queued?.runId ?? null, created: queued?.created ?? false }, { status: 202 });
});
