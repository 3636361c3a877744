// The stored configuration levels of a connection (organization, its platform, itself) resolved into
// the effective configuration the planner follows.
import type { Db } from "@/lib/db/client";
import { getPlatform } from "@/lib/platforms/catalog";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { InvalidConfigurationError, resolveConfiguration, validateLevel, type ConfigurationLevel, type EffectiveConfiguration } from "./configuration";

const EMPTY: ConfigurationLevel = { objects: [], historyMonths: null, incrementalFrequencyMinutes: null, batches: [] };

export interface ConnectionLevels {
  organization: ConfigurationLevel | null;
  platform: ConfigurationLevel | null;
  connection: ConfigurationLevel | null;
}

/** A stored configuration row (with its batches, in order) as the level the resolver takes. */
export function levelFromRow(row: {
  objects: string[];
  historyMonths: number | null;
  incrementalFrequencyMinutes: number | null;
  batches: { objects: string[]; fromMonthsAgo: number | null; toMonthsAgo: number }[];
}): ConfigurationLevel {
  return {
    objects: row.objects,
    historyMonths: row.historyMonths,
    incrementalFrequencyMinutes: row.incrementalFrequencyMinutes,
    batches: row.batches.map((b) => ({ objects: b.objects, fromMonthsAgo: b.fromMonthsAgo, toMonthsAgo: b.toMonthsAgo })),
  };
}

type ConnectionScope = { id: string; organizationId: string; environment: EnvironmentKind; platform: string };

/** The three stored levels that apply to a connection (null where a level was never saved), in one query. */
export async function loadConnectionLevels(db: Pick<Db, "syncConfiguration">, connection: ConnectionScope): Promise<ConnectionLevels> {
  const rows = await db.syncConfiguration.findMany({
    where: {
      organizationId: connection.organizationId,
      environment: connection.environment,
      scopeKey: { in: ["organization", `platform:${connection.platform}`, `connection:${connection.id}`] },
    },
    include: { batches: { orderBy: { position: "asc" } } },
  });
  const level = (key: string): ConfigurationLevel | null => {
    const row = rows.find((r) => r.scopeKey === key);
    return row ? levelFromRow(row) : null;
  };
  return { organization: level("organization"), platform: level(`platform:${connection.platform}`), connection: level(`connection:${connection.id}`) };
}

export async function loadEffectiveConfiguration(db: Pick<Db, "syncConfiguration">, connection: ConnectionScope): Promise<EffectiveConfiguration> {
  const platform = getPlatform(connection.platform);
  if (!platform) throw new Error(`Unknown platform "${connection.platform}"`);
  const levels = await loadConnectionLevels(db, connection);
  return resolveConfiguration(platform, { ...levels, organization: levels.organization ?? EMPTY });
}

/** Validates and saves one level (replacing its batches); for a connection level pass its platform too. */
export async function saveConfigurationLevel(
  db: Db,
  scope: { organizationId: string; environment: EnvironmentKind; platform?: string; connectionId?: string },
  level: ConfigurationLevel,
  newId: (prefix: "scf" | "bat") => string,
  /** The history the level inherits when it sets none (its batches must start within it). */
  options: { inheritedHistoryMonths?: number } = {},
): Promise<void> {
  const problems = validateLevel(scope.platform ? (getPlatform(scope.platform) ?? null) : null, level, options.inheritedHistoryMonths);
  if (problems.length) throw new InvalidConfigurationError(problems);
  const kind = scope.connectionId ? "connection" : scope.platform ? "platform" : "organization";
  const scopeKey = scope.connectionId ? `connection:${scope.connectionId}` : scope.platform ? `platform:${scope.platform}` : "organization";
  await db.$transaction(async (tx) => {
    const data = { objects: level.objects, historyMonths: level.historyMonths, incrementalFrequencyMinutes: level.incrementalFrequencyMinutes };
    const row = await tx.syncConfiguration.upsert({
      where: { organizationId_environment_scopeKey: { organizationId: scope.organizationId, environment: scope.environment, scopeKey } },
      update: data,
      create: {
        id: newId("scf"),
        organizationId: scope.organizationId,
        environment: scope.environment,
        scope: kind,
        scopeKey,
        platform: scope.platform ?? null,
        connectionId: scope.connectionId ?? null,
        ...data,
      },
    });
    await tx.syncBatch.deleteMany({ where: { syncConfigurationId: row.id } });
    if (level.batches.length) {
      await tx.syncBatch.createMany({
        data: level.batches.map((batch, i) => ({
          id: newId("bat"),
          organizationId: scope.organizationId,
          environment: scope.environment,
          syncConfigurationId: row.id,
          position: i + 1,
          objects: batch.objects,
          fromMonthsAgo: batch.fromMonthsAgo,
          toMonthsAgo: batch.toMonthsAgo,
        })),
      });
    }
  });
}
