import { connectionView } from "@/lib/api/connections";
import { notFound } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

/** GET /api/v1/connections/{id} — the connection's status, with record counts per object. */
export const GET = apiRoute<{ id: string }>(async ({ params, scope, engine }) => {
  const connection = await engine.db.connection.findFirst({ where: { id: params.id, organizationId: scope.organizationId, environment: scope.environment, deletedAt: null } });
  // Another organization's connection answers exactly like a missing one.
  if (!connection) throw notFound("such connection");
  const counts = await engine.db.record.groupBy({ by: ["object"], where: { connectionId: connection.id, deletedAt: null }, _count: { _all: true } });
  return { connection: connectionView(connection, engine.appUrl, Object.fromEntries(counts.map((c) => [c.object, c._count._all]))) };
});
