import { invalid } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

/** GET /api/v1/events?connection_id=&type=&cursor=&limit= — oldest first from the cursor (event order). */
export const GET = apiRoute(async ({ url, scope, engine }) => {
  const query = url.searchParams;
  const limit = query.has("limit") ? Number(query.get("limit")) : 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw invalid("limit", "must be a whole number from 1 to 500");
  const cursor = query.get("cursor");
  if (cursor !== null && !/^\d+$/.test(cursor)) throw invalid("cursor", "is not one this API returned");
  const type = query.get("type");
  if (type !== null && !/^[A-Z0-9_]+$/.test(type)) throw invalid("type", "must be an event type such as ORDER_CREATED");
  const rows = await engine.db.event.findMany({
    where: {
      organizationId: scope.organizationId,
      environment: scope.environment,
      ...(query.get("connection_id") ? { connectionId: query.get("connection_id")! } : {}),
      ...(type ? { type } : {}),
      ...(cursor ? { seq: { gt: BigInt(cursor) } } : {}),
    },
    orderBy: { seq: "asc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    events: page.map((e) => ({ id: e.id, type: e.type, connection_id: e.connectionId, sync_run_id: e.syncRunId, object: e.object, data: e.data, created_at: e.createdAt.toISOString() })),
    next_cursor: rows.length > limit ? page.at(-1)!.seq.toString() : null,
  };
});
