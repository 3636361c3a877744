import { connectionView } from "@/lib/api/connections";
import { apiRoute } from "@/lib/api/handler";
import { scopedConnection } from "@/lib/api/scope";
import { deleteConnection } from "@/lib/sync/connections";

export const dynamic = "force-dynamic";

/** GET /api/v1/connections/{id} — the connection's status, with record counts per object. */
export const GET = apiRoute<{ id: string }>(async ({ params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  const counts = await engine.db.record.groupBy({ by: ["object"], where: { connectionId: connection.id, deletedAt: null }, _count: { _all: true } });
  return { connection: connectionView(connection, engine.appUrl, Object.fromEntries(counts.map((c) => [c.object, c._count._all]))) };
});

/** DELETE /api/v1/connections/{id} — syncing stops and its records are deleted (CONNECTION_DELETED). */
export const DELETE = apiRoute<{ id: string }>(async ({ params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  await deleteConnection(engine.db, connection.id);
  return { id: connection.id, deleted: true };
});
