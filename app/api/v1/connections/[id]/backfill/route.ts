import { z } from "zod";
import { readBody } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/handler";
import { scopedConnection } from "@/lib/api/scope";
import { requestBackfill } from "@/lib/sync/planner";

export const dynamic = "force-dynamic";

const schema = z
  .object({
    objects: z.array(z.string().min(1)).min(1, "choose at least one object"),
    start: z.string().datetime({ message: "must be an ISO-8601 date-time" }).nullable().optional(),
    end: z.string().datetime({ message: "must be an ISO-8601 date-time" }).nullable().optional(),
  })
  .strict();

/** POST /api/v1/connections/{id}/backfill — re-fetch chosen objects in a window; incremental syncs pause until it ends. */
export const POST = apiRoute<{ id: string }>(async ({ request, params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  const body = await readBody(request, schema);
  const queued = await requestBackfill(engine, connection.id, { objects: body.objects, start: body.start ? new Date(body.start) : null, end: body.end ? new Date(body.end) : null });
  return Response.json({ sync_run_id: queued.runId }, { status: 202 });
});
