import { apiRoute } from "@/lib/api/handler";
import { listSyncRuns } from "@/lib/api/operations/runs";
import { syncRunView } from "@/lib/api/runs";
import { scopedConnection } from "@/lib/api/scope";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listSyncRuns, async ({ params, query, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  const rows = await engine.db.syncRun.findMany({
    where: {
      connectionId: connection.id,
      ...(query.status ? { status: query.status } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.cursor ? { id: { lt: query.cursor } } : {}),
    },
    // Run ids are time-sorted (ULIDs): newest first by id is newest first by creation.
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { sync_runs: page.map(syncRunView), next_cursor: rows.length > query.limit ? page.at(-1)!.id : null };
});
