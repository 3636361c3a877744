// Reads for the Platforms page: the catalogue joined with this environment's platform configs and
// connection counts (one grouped query). Secrets never leave this file: only whether one is set and,
// to tell credentials apart, its last characters.
import type { TenantDb } from "@/lib/db/tenant";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { defaultScopes, isOfferedInLink, lastFour, secretHint } from "@/lib/link/platform-configs";
import { linkPlatform } from "@/lib/link/platforms";
import { getConnector } from "@/lib/platforms";
import { PLATFORM_CATALOG, type PlatformDefinition } from "@/lib/platforms/catalog";

export interface CredentialHint {
  set: boolean;
  /** The value's last characters; null when unset or (a secret) unreadable with the current key. */
  endsWith: string | null;
}

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
  /** Whether the team switched it on; a platform without a config is on in the sandbox, off in production. */
  enabled: boolean;
  /** What Link does with it right now (see availablePlatforms). */
  offeredInLink: boolean;
  clientId: CredentialHint;
  clientSecret: CredentialHint;
  /** The scopes OAuth consent asks for, and whether they are Tributary's defaults. */
  scopes: { values: string[]; separator: " " | ","; isDefault: boolean; defaults: string[] };
  /** Whether the platform's own change notifications trigger syncs. */
  changeWebhooks: boolean;
}

export async function getPlatforms(db: TenantDb, environment: EnvironmentKind = "sandbox"): Promise<PlatformSummary[]> {
  const [configs, counts] = await Promise.all([
    db.platformConfig.findMany({
      select: { platform: true, enabled: true, clientId: true, clientSecretEncrypted: true, scopes: true, updatedAt: true },
    }),
    db.connection.groupBy({ by: ["platform"], where: { deletedAt: null }, _count: { _all: true } }),
  ]);
  return PLATFORM_CATALOG.map((platform) => {
    const config = configs.find((row) => row.platform === platform.key);
    const defaults = defaultScopes(platform.key);
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
      enabled: config?.enabled ?? environment === "sandbox",
      offeredInLink: isOfferedInLink(environment, config),
      clientId: { set: Boolean(config?.clientId), endsWith: config?.clientId ? lastFour(config.clientId) : null },
      clientSecret: { set: Boolean(config?.clientSecretEncrypted), endsWith: config?.clientSecretEncrypted ? secretHint(config.clientSecretEncrypted) : null },
      scopes: {
        values: config?.scopes.length ? config.scopes : defaults,
        separator: linkPlatform(platform.key)?.scopeSeparator ?? " ",
        isDefault: !config?.scopes.length,
        defaults,
      },
      changeWebhooks: Boolean(getConnector(platform.key).webhooks),
    };
  });
}
