import { apiRoute } from "@/lib/api/handler";
import { listEvents } from "@/lib/api/operations/events";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listEvents, async ({ query, scope, engine }) => {
  const rows = await engine.db.event.findMany({
    where: {
      organizationId: scope.organizationId,
      environment: scope.environment,
      ...(query.connection_id ? { connectionId: query.connection_id } : {}),
      ...(query.type ? { type: query.type } : {}),
      ...(query.cursor !== undefined ? { seq: { gt: query.cursor } } : {}),
    },
    orderBy: { seq: "asc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    events: page.map((e) => ({
      id: e.id,
      type: e.type,
      connection_id: e.connectionId,
      sync_run_id: e.syncRunId,
      object: e.object,
      data: e.data,
      created_at: e.createdAt.toISOString(),
    })),
    next_cursor: rows.length > query.limit ? page.at(-1)!.seq.toString() : null,
  };
});
