import { invalid } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/handler";
import { listEvents } from "@/lib/api/operations/events";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listEvents, async ({ query, scope, engine }) => {
  // A record's events are indexed per connection: (connection_id, external_id, created_at).
  if (query.external_id && !query.connection_id) throw invalid("connection_id", "required with external_id");
  if (query.created_after && query.created_before && query.created_after >= query.created_before)
    throw invalid("created_before", "must be after created_after");
  const rows = await engine.db.event.findMany({
    where: {
      organizationId: scope.organizationId,
      environment: scope.environment,
      ...(query.connection_id ? { connectionId: query.connection_id } : {}),
      ...(query.type ? { type: query.type } : {}),
      ...(query.sync_run_id ? { syncRunId: query.sync_run_id } : {}),
      ...(query.external_id ? { externalId: query.external_id } : {}),
      ...(query.created_after || query.created_before
        ? {
            createdAt: {
              ...(query.created_after ? { gte: new Date(query.created_after) } : {}),
              ...(query.created_before ? { lt: new Date(query.created_before) } : {}),
            },
          }
        : {}),
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
