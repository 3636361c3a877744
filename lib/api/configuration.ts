// A connection's sync configuration through the API: the effective configuration with the connection
// level's overrides beside it, and a PATCH of that level. The levels are validated together before
// anything is saved — a connection level that is fine alone can still clash with what it inherits
// (batches reaching before an inherited history) — and each problem names the request's snake_case
// field, not the library's camelCase one.
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { Connection } from "@/lib/generated/prisma/client";
import { getPlatform } from "@/lib/platforms/catalog";
import {
  batchesTotal,
  InvalidConfigurationError,
  resolveConfiguration,
  validateLevel,
  DEFAULT_HISTORY_MONTHS,
  type ConfigurationLevel,
  type EffectiveConfiguration,
} from "@/lib/sync/configuration";
import { loadConnectionLevels, saveConfigurationLevel, type ConnectionLevels } from "@/lib/sync/load-configuration";
import type { z } from "zod";
import { invalid } from "./errors";
import type { updateConfiguration } from "./operations/configuration";

export type ConfigurationPatch = z.output<NonNullable<(typeof updateConfiguration)["body"]>>;

type Levels = ConnectionLevels;

const EMPTY: ConfigurationLevel = { objects: [], historyMonths: null, incrementalFrequencyMinutes: null, batches: [] };

const loadLevels = (db: Db, connection: Connection): Promise<Levels> => loadConnectionLevels(db, connection);

/** `batches[1].fromMonthsAgo` → `batches[1].from_months_ago`: the name the request used. */
export const requestField = (path: string) => path.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

function asApiError(error: InvalidConfigurationError) {
  const [first] = error.problems;
  return invalid(requestField(first.path), first.message);
}

function effective(connection: Connection, levels: Levels): EffectiveConfiguration {
  const platform = getPlatform(connection.platform);
  if (!platform) throw new Error(`Unknown platform "${connection.platform}"`);
  try {
    return resolveConfiguration(platform, { organization: levels.organization ?? EMPTY, platform: levels.platform, connection: levels.connection });
  } catch (error) {
    throw error instanceof InvalidConfigurationError ? asApiError(error) : error;
  }
}

function configurationView(configuration: EffectiveConfiguration, connectionLevel: ConfigurationLevel | null) {
  const level = connectionLevel ?? EMPTY;
  return {
    configuration: {
      platform: configuration.platform,
      objects: configuration.objects,
      added: configuration.added.map((a) => ({ object: a.object, needed_by: a.neededBy })),
      history_months: configuration.historyMonths,
      incremental_frequency_minutes: configuration.incrementalFrequencyMinutes,
      batches: configuration.batches.map((b) => ({
        position: b.position,
        objects: b.objects,
        from_months_ago: b.fromMonthsAgo,
        to_months_ago: b.toMonthsAgo,
        remainder: b.remainder,
      })),
    },
    // Only what the connection level sets; everything else is inherited from the platform or organization.
    overrides: {
      ...(level.objects.length ? { objects: level.objects } : {}),
      ...(level.historyMonths !== null ? { history_months: level.historyMonths } : {}),
      ...(level.incrementalFrequencyMinutes !== null ? { incremental_frequency_minutes: level.incrementalFrequencyMinutes } : {}),
      ...(level.batches.length
        ? { batches: level.batches.map((b) => ({ objects: b.objects, from_months_ago: b.fromMonthsAgo, to_months_ago: b.toMonthsAgo })) }
        : {}),
    },
  };
}

export async function readConfiguration(db: Db, connection: Connection) {
  const levels = await loadLevels(db, connection);
  return configurationView(effective(connection, levels), levels.connection);
}

/** Applies the patch to the connection level, checks it against what it inherits, and saves it. */
export async function patchConfiguration(db: Db, connection: Connection, patch: ConfigurationPatch) {
  const levels = await loadLevels(db, connection);
  const current = levels.connection ?? EMPTY;
  const next: ConfigurationLevel = {
    objects: patch.objects === undefined ? current.objects : (patch.objects ?? []),
    historyMonths: patch.history_months === undefined ? current.historyMonths : patch.history_months,
    incrementalFrequencyMinutes: patch.incremental_frequency_minutes === undefined ? current.incrementalFrequencyMinutes : patch.incremental_frequency_minutes,
    batches:
      patch.batches === undefined
        ? current.batches
        : (patch.batches ?? []).map((b) => ({ objects: b.objects ?? [], fromMonthsAgo: b.from_months_ago ?? null, toMonthsAgo: b.to_months_ago ?? 0 })),
  };
  const platform = getPlatform(connection.platform) ?? null;
  const inheritedHistory = levels.platform?.historyMonths ?? levels.organization?.historyMonths ?? DEFAULT_HISTORY_MONTHS;
  // The level's own problems first: they name the field the request sent.
  const [problem] = validateLevel(platform, next, inheritedHistory);
  if (problem) throw invalid(requestField(problem.path), problem.message);
  const configuration = effective(connection, { ...levels, connection: next });
  try {
    await saveConfigurationLevel(
      db,
      { organizationId: connection.organizationId, environment: connection.environment, platform: connection.platform, connectionId: connection.id },
      next,
      newId,
    );
  } catch (error) {
    throw error instanceof InvalidConfigurationError ? asApiError(error) : error;
  }
  // Progress reads "n of N batches" against the configuration now in force.
  await db.connection.update({ where: { id: connection.id }, data: { batchesTotal: batchesTotal(connection.batchesCompleted, configuration.batches.length) } });
  return configurationView(configuration, next);
}
