import { z } from "zod";
import { readBody } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/handler";
import { scopedConnection } from "@/lib/api/scope";
import { requestSync } from "@/lib/sync/planner";

export const dynamic = "force-dynamic";

const schema = z.object({ full: z.boolean().optional() }).strict();

/** POST /api/v1/connections/{id}/sync — "sync now"; `{ "full": true }` re-fetches everything and detects deletions. */
export const POST = apiRoute<{ id: string }>(async ({ request, params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  const body = await readBody(request, schema);
  const queued = await requestSync(engine, connection.id, { full: body.full });
  return Response.json({ sync_run_id: queued?.runId ?? null, created: queued?.created ?? false }, { status: 202 });
});
