import { connectionView, pausesOf } from "@/lib/api/connections";
import { apiRoute } from "@/lib/api/handler";
import { deleteConnection, getConnection } from "@/lib/api/operations/connections";
import { scopedConnection } from "@/lib/api/scope";
import { deleteConnection as removeConnection } from "@/lib/sync/connections";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getConnection, async ({ params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  // Live records per object, kept exact by triggers on records (record_counts): no count over the records themselves.
  const [counts, pauses] = await Promise.all([
    engine.db.recordCount.findMany({ where: { connectionId: connection.id, count: { gt: 0 } }, select: { object: true, count: true } }),
    pausesOf(engine.db, [connection.id]),
  ]);
  return {
    connection: connectionView(connection, engine.appUrl, {
      recordCounts: Object.fromEntries(counts.map((c) => [c.object, c.count])),
      pause: pauses.get(connection.id),
    }),
  };
});

export const DELETE = apiRoute(deleteConnection, async ({ params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  await removeConnection(engine.db, connection.id);
  return { id: connection.id, deleted: true };
});
