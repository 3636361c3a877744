import { connectionView, pausesOf } from "@/lib/api/connections";
import { apiRoute } from "@/lib/api/handler";
import { listConnections } from "@/lib/api/operations/connections";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listConnections, async ({ query, scope, engine }) => {
  const rows = await engine.db.connection.findMany({
    where: {
      organizationId: scope.organizationId,
      environment: scope.environment,
      deletedAt: null,
      ...(query.platform ? { platform: query.platform } : {}),
      ...(query.stage ? { stage: query.stage } : {}),
      ...(query.health ? { health: query.health } : {}),
      ...(query.end_user_id ? { endUserId: query.end_user_id } : {}),
      ...(query.cursor ? { id: { lt: query.cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const pauses = await pausesOf(
    engine.db,
    page.map((c) => c.id),
  );
  return {
    connections: page.map((c) => connectionView(c, engine.appUrl, { pause: pauses.get(c.id) })),
    next_cursor: rows.length > query.limit ? page.at(-1)!.id : null,
  };
});
