import { connectionView } from "@/lib/api/connections";
import { apiRoute } from "@/lib/api/handler";
import { deleteConnection, getConnection } from "@/lib/api/operations/connections";
import { scopedConnection } from "@/lib/api/scope";
import { deleteConnection as removeConnection } from "@/lib/sync/connections";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getConnection, async ({ params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  const counts = await engine.db.record.groupBy({ by: ["object"], where: { connectionId: connection.id, deletedAt: null }, _count: { _all: true } });
  return { connection: connectionView(connection, engine.appUrl, Object.fromEntries(counts.map((c) => [c.object, c._count._all]))) };
});

export const DELETE = apiRoute(deleteConnection, async ({ params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  await removeConnection(engine.db, connection.id);
  return { id: connection.id, deleted: true };
});
