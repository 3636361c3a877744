// Reads for the Platforms page: the catalogue joined with this environment's platform configs and
// connection counts (one grouped query). Secrets never leave this file: only whether one is set.
import type { TenantDb } from "@/lib/db/tenant";
import { PLATFORM_CATALOG, type PlatformDefinition } from "@/lib/platforms/catalog";

export interface PlatformSummary {
  platform: PlatformDefinition;
  config: {
    enabled: boolean;
    hasClientId: boolean;
    hasClientSecret: boolean;
    scopes: string[];
    updatedAt: Date;
  } | null;
  connections: number;
}

export async function getPlatforms(db: TenantDb): Promise<PlatformSummary[]> {
  const [configs, counts] = await Promise.all([
    db.platformConfig.findMany({
      select: { platform: true, enabled: true, clientId: true, clientSecretEncrypted: true, scopes: true, updatedAt: true },
    }),
    db.connection.groupBy({ by: ["platform"], where: { deletedAt: null }, _count: { _all: true } }),
  ]);
  return PLATFORM_CATALOG.map((platform) => {
    const config = configs.find((row) => row.platform === platform.key);
    return {
      platform,
      config: config
        ? {
            enabled: config.enabled,
            hasClientId: Boolean(config.clientId),
            hasClientSecret: Boolean(config.clientSecretEncrypted),
            scopes: config.scopes,
            updatedAt: config.updatedAt,
          }
        : null,
      connections: counts.find((row) => row.platform === platform.key)?._count._all ?? 0,
    };
  });
}
