// Reads for the Sync configuration page: the organization level and the platform-level overrides of
// this environment, each with its ordered batches. Connection-level overrides are only counted here;
// they belong to each connection's page.
import type { TenantDb } from "@/lib/db/tenant";
import { plural } from "@/lib/format";

export interface BatchView {
  position: number;
  objects: string[];
  window: string;
}

export interface SyncConfigurationView {
  id: string;
  platform: string | null;
  objects: string[];
  historyMonths: number | null;
  incrementalFrequencyMinutes: number | null;
  updatedAt: Date;
  batches: BatchView[];
}

export interface SyncConfigurationOverview {
  organization: SyncConfigurationView | null;
  platforms: SyncConfigurationView[];
  connectionOverrides: number;
}

export async function getSyncConfiguration(db: TenantDb): Promise<SyncConfigurationOverview> {
  const [configurations, connectionOverrides] = await Promise.all([
    db.syncConfiguration.findMany({
      where: { scope: { in: ["organization", "platform"] } },
      orderBy: { scopeKey: "asc" },
      select: {
        id: true,
        scope: true,
        platform: true,
        objects: true,
        historyMonths: true,
        incrementalFrequencyMinutes: true,
        updatedAt: true,
        batches: { orderBy: { position: "asc" }, select: { position: true, objects: true, fromMonthsAgo: true, toMonthsAgo: true } },
      },
    }),
    db.syncConfiguration.count({ where: { scope: "connection" } }),
  ]);
  const view = (row: (typeof configurations)[number]): SyncConfigurationView => ({
    id: row.id,
    platform: row.platform,
    objects: row.objects,
    historyMonths: row.historyMonths,
    incrementalFrequencyMinutes: row.incrementalFrequencyMinutes,
    updatedAt: row.updatedAt,
    batches: row.batches.map((batch) => ({ position: batch.position, objects: batch.objects, window: describeBatchWindow(batch) })),
  });
  const organization = configurations.find((row) => row.scope === "organization");
  return {
    organization: organization ? view(organization) : null,
    platforms: configurations.filter((row) => row.scope === "platform").map(view),
    connectionOverrides,
  };
}

/** A batch's window [now - from, now - to) in words; a null `from` starts at the beginning of history. */
export function describeBatchWindow({ fromMonthsAgo, toMonthsAgo }: { fromMonthsAgo: number | null; toMonthsAgo: number }): string {
  if (fromMonthsAgo === null) return toMonthsAgo === 0 ? "All history" : `Everything older than ${plural(toMonthsAgo, "month")}`;
  if (toMonthsAgo === 0) return `Last ${plural(fromMonthsAgo, "month")}`;
  return `From ${fromMonthsAgo} to ${plural(toMonthsAgo, "month")} ago`;
}
