// Reads for the Sync configuration page: the organization level and the platform-level overrides of
// this environment, each with its ordered batches. Connection-level overrides are only counted here;
// they belong to each connection's page.
import type { Db } from "@/lib/db/client";
import type { TenantDb } from "@/lib/db/tenant";
import { plural } from "@/lib/format";
import { PLATFORM_CATALOG } from "@/lib/platforms/catalog";
import type { PlatformObjects } from "@/lib/platforms/definition";
import { EMPTY_LEVEL, loadEnvironmentLevels, type EnvironmentScope, type StoredLevel } from "@/lib/sync/configuration-levels";
import { windowlessObjects } from "@/lib/sync/planner";

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

// ───────────── the editor ─────────────

/** One level as the editor holds it: plain data, safe to hand to a client component. */
export interface EditableLevel {
  objects: string[];
  historyMonths: number | null;
  incrementalFrequencyMinutes: number | null;
  batches: { objects: string[]; fromMonthsAgo: number | null; toMonthsAgo: number }[];
  updatedAt: string | null;
}

export interface EditorPlatform extends PlatformObjects {
  /** Objects the platform cannot limit to a creation window: fetched whole once. */
  windowless: string[];
  /** This platform's override, or null when it follows the organization. */
  override: EditableLevel | null;
  connections: { total: number; inInitialSync: number };
}

export interface SyncConfigurationEditor {
  organization: EditableLevel;
  platforms: EditorPlatform[];
}

const editable = (level: StoredLevel | null): EditableLevel | null =>
  level
    ? {
        objects: level.objects,
        historyMonths: level.historyMonths,
        incrementalFrequencyMinutes: level.incrementalFrequencyMinutes,
        batches: level.batches,
        updatedAt: level.updatedAt.toISOString(),
      }
    : null;

/**
 * Everything the editor needs for the member's environment. `db` is the tenant-scoped client; the
 * levels are read through it too, filtered by the same organization and environment.
 */
export async function getSyncConfigurationEditor(db: TenantDb, scope: EnvironmentScope): Promise<SyncConfigurationEditor> {
  const [levels, stages] = await Promise.all([
    loadEnvironmentLevels(db as unknown as Pick<Db, "syncConfiguration">, scope),
    db.connection.groupBy({ by: ["platform", "stage"], where: { deletedAt: null }, _count: { _all: true } }),
  ]);
  return {
    organization: editable(levels.organization) ?? { ...EMPTY_LEVEL, updatedAt: null },
    platforms: PLATFORM_CATALOG.map((platform) => {
      const counts = stages.filter((row) => row.platform === platform.key);
      return {
        key: platform.key,
        name: platform.name,
        objects: platform.objects,
        windowless: windowlessObjects(platform.key),
        override: editable(levels.platforms[platform.key] ?? null),
        connections: {
          total: counts.reduce((sum, row) => sum + row._count._all, 0),
          inInitialSync: counts.filter((row) => row.stage !== "ONGOING").reduce((sum, row) => sum + row._count._all, 0),
        },
      };
    }),
  };
}
