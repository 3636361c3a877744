import { connectionView } from "@/lib/api/connections";
import { invalid } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/handler";
import type { ConnectionHealth, ConnectionStage } from "@/lib/generated/prisma/enums";

export const dynamic = "force-dynamic";

const STAGES = ["INITIAL_SYNC", "HISTORICAL_SYNC", "ONGOING"];
const HEALTHS = ["HEALTHY", "UNHEALTHY", "NEEDS_UPDATE", "DISABLED"];

/** GET /api/v1/connections?platform=&stage=&health=&cursor=&limit= — newest first, cursor-paginated. */
export const GET = apiRoute(async ({ url, scope, engine }) => {
  const query = url.searchParams;
  const limit = query.has("limit") ? Number(query.get("limit")) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid("limit", "must be a whole number from 1 to 100");
  const stage = query.get("stage");
  if (stage && !STAGES.includes(stage)) throw invalid("stage", `must be one of ${STAGES.join(", ")}`);
  const health = query.get("health");
  if (health && !HEALTHS.includes(health)) throw invalid("health", `must be one of ${HEALTHS.join(", ")}`);
  const cursor = query.get("cursor");
  if (cursor && !/^conn_[0-9A-Z]{26}$/.test(cursor)) throw invalid("cursor", "is not one this API returned");
  const rows = await engine.db.connection.findMany({
    where: {
      organizationId: scope.organizationId,
      environment: scope.environment,
      deletedAt: null,
      ...(query.get("platform") ? { platform: query.get("platform")! } : {}),
      ...(stage ? { stage: stage as ConnectionStage } : {}),
      ...(health ? { health: health as ConnectionHealth } : {}),
      ...(cursor ? { id: { lt: cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { connections: page.map((c) => connectionView(c, engine.appUrl)), next_cursor: rows.length > limit ? page.at(-1)!.id : null };
});
