// The organization and platform levels of an environment's sync configuration, as the dashboard edits
// them. A level is checked before it is saved both alone (each problem names the level's own field,
// e.g. "batches[1].fromMonthsAgo") and against what it inherits or passes on: a platform level that is
// fine alone can still clash with the organization's history, and an organization change can break a
// platform override that inherits from it. Nothing is saved while any problem remains.
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { getPlatform, PLATFORM_CATALOG } from "@/lib/platforms/catalog";
import {
  DEFAULT_HISTORY_MONTHS,
  InvalidConfigurationError,
  resolveConfiguration,
  validateLevel,
  type ConfigurationLevel,
  type ConfigurationProblem,
} from "./configuration";
import { levelFromRow, saveConfigurationLevel } from "./load-configuration";

export const EMPTY_LEVEL: ConfigurationLevel = { objects: [], historyMonths: null, incrementalFrequencyMinutes: null, batches: [] };

export interface EnvironmentScope {
  organizationId: string;
  environment: EnvironmentKind;
}

export interface StoredLevel extends ConfigurationLevel {
  updatedAt: Date;
}

export interface EnvironmentLevels {
  organization: StoredLevel | null;
  /** Platform key → its override, for the platforms that have one. */
  platforms: Record<string, StoredLevel>;
}

export async function loadEnvironmentLevels(db: Pick<Db, "syncConfiguration">, scope: EnvironmentScope): Promise<EnvironmentLevels> {
  const rows = await db.syncConfiguration.findMany({
    where: { organizationId: scope.organizationId, environment: scope.environment, scope: { in: ["organization", "platform"] } },
    include: { batches: { orderBy: { position: "asc" } } },
  });
  const level = (row: (typeof rows)[number]): StoredLevel => ({ ...levelFromRow(row), updatedAt: row.updatedAt });
  const organization = rows.find((row) => row.scope === "organization");
  const platforms: Record<string, StoredLevel> = {};
  for (const row of rows) if (row.scope === "platform" && row.platform) platforms[row.platform] = level(row);
  return { organization: organization ? level(organization) : null, platforms };
}

/** Which level is being edited: the organization's, or one platform's override. */
export type LevelTarget = { kind: "organization" } | { kind: "platform"; platform: string };

export interface LevelProblem extends ConfigurationProblem {
  /** Set when the problem is in what the level passes on or inherits rather than in one of its own fields. */
  platform?: string;
}

/** Every problem `next` would cause at `target`, its own first; empty when it may be saved. */
export function checkLevel(levels: EnvironmentLevels, target: LevelTarget, next: ConfigurationLevel): LevelProblem[] {
  const organization = target.kind === "organization" ? next : (levels.organization ?? EMPTY_LEVEL);
  const definition = target.kind === "platform" ? getPlatform(target.platform) : null;
  if (target.kind === "platform" && !definition) return [{ path: "platform", message: `unknown platform "${target.platform}"` }];
  const inheritedHistory = target.kind === "platform" ? (organization.historyMonths ?? DEFAULT_HISTORY_MONTHS) : DEFAULT_HISTORY_MONTHS;
  const own = validateLevel(definition ?? null, next, inheritedHistory);
  if (own.length) return own;
  // What each platform would sync with: the combination must resolve too.
  const platforms = target.kind === "platform" ? [definition!] : PLATFORM_CATALOG;
  const problems: LevelProblem[] = [];
  for (const platform of platforms) {
    const override = target.kind === "platform" ? next : (levels.platforms[platform.key] ?? null);
    try {
      resolveConfiguration(platform, { organization, platform: override });
    } catch (error) {
      if (!(error instanceof InvalidConfigurationError)) throw error;
      for (const problem of error.problems) problems.push({ ...problem, platform: platform.key });
    }
  }
  return problems;
}

export type SaveLevelResult = { ok: true } | { ok: false; problems: LevelProblem[] };

/** Checks `next` against the stored levels and saves it (replacing its batches) only when it has no problem. */
export async function saveLevel(db: Db, scope: EnvironmentScope, target: LevelTarget, next: ConfigurationLevel): Promise<SaveLevelResult> {
  const levels = await loadEnvironmentLevels(db, scope);
  const problems = checkLevel(levels, target, next);
  if (problems.length) return { ok: false, problems };
  const inheritedHistoryMonths = target.kind === "platform" ? (levels.organization?.historyMonths ?? DEFAULT_HISTORY_MONTHS) : DEFAULT_HISTORY_MONTHS;
  await saveConfigurationLevel(db, { ...scope, platform: target.kind === "platform" ? target.platform : undefined }, next, newId, { inheritedHistoryMonths });
  return { ok: true };
}

/** Removes a platform's override: the platform follows the organization again. */
export async function removePlatformOverride(db: Pick<Db, "syncConfiguration">, scope: EnvironmentScope, platform: string): Promise<void> {
  await db.syncConfiguration.deleteMany({ where: { organizationId: scope.organizationId, environment: scope.environment, scopeKey: `platform:${platform}` } });
}
