// Reads for the Overview page. Counts are grouped in the database: one query per figure, never a
// scan of rows in JavaScript, so the page stays fast with tens of thousands of connections.
import type { TenantDb } from "@/lib/db/tenant";
import type { ConnectionHealth, ConnectionStage } from "@/lib/generated/prisma/enums";

export interface Overview {
  connections: number;
  byHealth: Record<ConnectionHealth, number>;
  byStage: Record<ConnectionStage, number>;
  /** Runs started in the last 24 h; `running` are not finished yet (queued, running or rate-limited). */
  runs24h: { total: number; succeeded: number; failed: number; running: number };
  deliveries24h: { total: number; failed: number };
  endpoints: number;
  incidents: { id: string; label: string; detail: string | null; href: string }[];
}

export async function getOverview(db: TenantDb, now = new Date()): Promise<Overview> {
  const since = new Date(now.getTime() - 24 * 3600 * 1000);
  const [health, stage, runs, deliveries, endpoints, incidents] = await Promise.all([
    db.connection.groupBy({ by: ["health"], where: { deletedAt: null }, _count: { _all: true } }),
    db.connection.groupBy({ by: ["stage"], where: { deletedAt: null }, _count: { _all: true } }),
    db.syncRun.groupBy({ by: ["status"], where: { createdAt: { gte: since } }, _count: { _all: true } }),
    db.delivery.groupBy({ by: ["status"], where: { createdAt: { gte: since } }, _count: { _all: true } }),
    db.webhookEndpoint.count(),
    db.connection.findMany({
      where: { deletedAt: null, health: { in: ["NEEDS_UPDATE", "DISABLED", "UNHEALTHY"] } },
      orderBy: { updatedAt: "desc" },
      take: 8,
      select: { id: true, platform: true, accountName: true, health: true, healthDetail: true },
    }),
  ]);
  const byHealth: Record<ConnectionHealth, number> = { HEALTHY: 0, UNHEALTHY: 0, NEEDS_UPDATE: 0, DISABLED: 0 };
  for (const row of health) byHealth[row.health] = row._count._all;
  const byStage: Record<ConnectionStage, number> = { INITIAL_SYNC: 0, HISTORICAL_SYNC: 0, ONGOING: 0 };
  for (const row of stage) byStage[row.stage] = row._count._all;
  const runCount = (status: string) => runs.find((row) => row.status === status)?._count._all ?? 0;
  const deliveryCount = (status: string) => deliveries.find((row) => row.status === status)?._count._all ?? 0;
  return {
    connections: Object.values(byHealth).reduce((a, b) => a + b, 0),
    byHealth,
    byStage,
    runs24h: {
      total: runs.reduce((sum, row) => sum + row._count._all, 0),
      succeeded: runCount("succeeded"),
      failed: runCount("failed"),
      running: runCount("queued") + runCount("running") + runCount("rate_limited"),
    },
    deliveries24h: { total: deliveries.reduce((sum, row) => sum + row._count._all, 0), failed: deliveryCount("failed") },
    endpoints,
    incidents: incidents.map((connection) => ({
      id: connection.id,
      label: `${connection.accountName ?? connection.id} (${connection.platform}) is ${connection.health.replace("_", " ").toLowerCase()}`,
      detail: connection.healthDetail,
      href: `/connections/${connection.id}`,
    })),
  };
}
