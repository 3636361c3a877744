// Sync configuration: which objects a connection imports, in which initial batches, how far back and
// how often (DESIGN.md section 1). Each level — organization, platform, connection — may leave a field
// empty to inherit it; the most specific level that sets a field wins. Dependencies are pulled in and
// fetched first, and the reason is kept so the dashboard can say why an object was added.
import { findObject, objectKeys, type PlatformObjects } from "@/lib/platforms/definition";
import { CodedError, type PublicError } from "@/lib/errors";

/** Incremental frequency bounds in minutes: 5 minutes to 14 days (DESIGN.md). */
export const FREQUENCY_BOUNDS = { min: 5, max: 14 * 24 * 60 } as const;
export const DEFAULT_FREQUENCY_MINUTES = 60;
export const DEFAULT_HISTORY_MONTHS = 24;
export const MAX_HISTORY_MONTHS = 240;
/**
 * Batches of one level at most: five years of monthly batches. Checking them for overlaps compares
 * every pair, so the count must be bounded (10,000 batches took the server past 4 GB of memory).
 */
export const MAX_BATCHES = 60;

/**
 * The initial batches when no level sets any, as Rutter recommends for time to ready: the last month
 * first (the connection is ready when it ends, INITIAL_UPDATE), then the rest of the history as one
 * historical batch. A history of a month or less is one batch.
 */
export const DEFAULT_FIRST_BATCH_MONTHS = 1;

export function defaultBatches(historyMonths: number): BatchInput[] {
  if (historyMonths <= DEFAULT_FIRST_BATCH_MONTHS) return [{ objects: [], fromMonthsAgo: null, toMonthsAgo: 0 }];
  return [
    { objects: [], fromMonthsAgo: DEFAULT_FIRST_BATCH_MONTHS, toMonthsAgo: 0 },
    { objects: [], fromMonthsAgo: null, toMonthsAgo: DEFAULT_FIRST_BATCH_MONTHS },
  ];
}

export interface BatchInput {
  /** Objects of this batch; empty = every selected object. */
  objects: string[];
  /** Start of the window in months before now; null = the start of the history. */
  fromMonthsAgo: number | null;
  /** End of the window in months before now; 0 = now. */
  toMonthsAgo: number;
}

/** One level of configuration as stored; null and empty mean "inherit". */
export interface ConfigurationLevel {
  objects: string[];
  historyMonths: number | null;
  incrementalFrequencyMinutes: number | null;
  batches: BatchInput[];
}

export interface ResolvedBatch {
  position: number;
  /** In fetch order: an object's dependencies come before it. */
  objects: string[];
  fromMonthsAgo: number;
  toMonthsAgo: number;
  /** Added by the resolver: the part of the history no configured batch covers. */
  remainder: boolean;
}

export interface EffectiveConfiguration {
  platform: string;
  /** Every object synced, dependencies included, in fetch order. */
  objects: string[];
  /** Objects added because a selected object needs them. */
  added: { object: string; neededBy: string }[];
  historyMonths: number;
  incrementalFrequencyMinutes: number;
  batches: ResolvedBatch[];
}

export interface ConfigurationProblem {
  /** The field at fault, e.g. "batches[1].fromMonthsAgo". */
  path: string;
  message: string;
}

export class InvalidConfigurationError extends CodedError {
  constructor(readonly problems: ConfigurationProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("; "));
    this.name = "InvalidConfigurationError";
  }
  publicError(): PublicError {
    return { code: "INVALID_FIELD", message: this.message, field: this.problems[0]?.path ?? null };
  }
}

/**
 * The objects with every dependency they need, dependencies first. `added` says which object pulled
 * each extra one in, so "vendors (needed by bills)" can be shown.
 */
export function dependencyClosure(platform: PlatformObjects, objects: readonly string[]): { objects: string[]; added: { object: string; neededBy: string }[] } {
  const ordered: string[] = [];
  const added: { object: string; neededBy: string }[] = [];
  const visiting = new Set<string>();
  const selected = new Set(objects);
  const keys = objectKeys(platform);
  const visit = (object: string, neededBy: string | null) => {
    if (ordered.includes(object) || visiting.has(object)) return;
    visiting.add(object);
    const dependencies = [...(findObject(platform, object)?.dependsOn ?? [])].sort((a, b) => keys.indexOf(a) - keys.indexOf(b));
    for (const dependency of dependencies) visit(dependency, object);
    visiting.delete(object);
    ordered.push(object);
    if (neededBy && !selected.has(object)) added.push({ object, neededBy });
  };
  // Visit in the catalogue's order so the result does not depend on how the caller listed them.
  for (const object of keys) if (selected.has(object)) visit(object, null);
  return { objects: ordered, added };
}

/** Checks one level before it is saved: every problem at once, each naming its field. */
export function validateLevel(
  platform: PlatformObjects | null,
  level: ConfigurationLevel,
  inheritedHistoryMonths = DEFAULT_HISTORY_MONTHS,
): ConfigurationProblem[] {
  if (level.batches.length > MAX_BATCHES) return [{ path: "batches", message: `at most ${MAX_BATCHES} batches` }];
  const problems: ConfigurationProblem[] = [];
  const known = platform ? new Set(objectKeys(platform)) : null;
  const checkObjects = (objects: string[], path: string) => {
    objects.forEach((object, i) => {
      if (known && !known.has(object))
        problems.push({ path: `${path}[${i}]`, message: `unknown object "${object}" (${platform!.name} offers ${[...known].join(", ")})` });
    });
    const duplicate = objects.find((object, i) => objects.indexOf(object) !== i);
    if (duplicate) problems.push({ path, message: `"${duplicate}" is listed twice` });
  };
  checkObjects(level.objects, "objects");
  if (level.historyMonths !== null && (!Number.isInteger(level.historyMonths) || level.historyMonths < 1 || level.historyMonths > MAX_HISTORY_MONTHS)) {
    problems.push({ path: "historyMonths", message: `must be a whole number of months from 1 to ${MAX_HISTORY_MONTHS}` });
  }
  const frequency = level.incrementalFrequencyMinutes;
  if (frequency !== null && (!Number.isInteger(frequency) || frequency < FREQUENCY_BOUNDS.min || frequency > FREQUENCY_BOUNDS.max)) {
    problems.push({
      path: "incrementalFrequencyMinutes",
      message: `must be from ${FREQUENCY_BOUNDS.min} minutes to 14 days (${FREQUENCY_BOUNDS.max} minutes)`,
    });
  }
  const history = level.historyMonths ?? inheritedHistoryMonths;
  level.batches.forEach((batch, i) => {
    const path = `batches[${i}]`;
    checkObjects(batch.objects, `${path}.objects`);
    const from = batch.fromMonthsAgo ?? history;
    if (!Number.isInteger(batch.toMonthsAgo) || batch.toMonthsAgo < 0)
      problems.push({ path: `${path}.toMonthsAgo`, message: "must be a whole number of months, 0 or more" });
    else if (batch.fromMonthsAgo !== null && (!Number.isInteger(batch.fromMonthsAgo) || batch.fromMonthsAgo < 0)) {
      problems.push({ path: `${path}.fromMonthsAgo`, message: "must be a whole number of months, or empty for the start of the history" });
    } else if (from <= batch.toMonthsAgo) {
      problems.push({ path, message: `empty window: from ${from} to ${batch.toMonthsAgo} months ago contains no time` });
    } else if (from > history) {
      problems.push({ path: `${path}.fromMonthsAgo`, message: `starts ${from} months ago, before the history begins (${history} months)` });
    }
  });
  // Two batches fetching the same object for the same months would fetch it twice.
  for (let i = 0; i < level.batches.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = level.batches[j];
      const b = level.batches[i];
      const shared = overlapObjects(a, b, level.objects, platform);
      if (shared.length === 0) continue;
      const [aFrom, bFrom] = [a.fromMonthsAgo ?? history, b.fromMonthsAgo ?? history];
      if (Math.min(aFrom, bFrom) > Math.max(a.toMonthsAgo, b.toMonthsAgo)) {
        problems.push({
          path: `batches[${i}]`,
          message: `overlaps batches[${j}] for ${shared.join(", ")} (${Math.min(aFrom, bFrom)} to ${Math.max(a.toMonthsAgo, b.toMonthsAgo)} months ago)`,
        });
      }
    }
  }
  return problems;
}

function overlapObjects(a: BatchInput, b: BatchInput, selected: string[], platform: PlatformObjects | null): string[] {
  const all = selected.length ? selected : platform ? objectKeys(platform) : [];
  const aObjects = new Set(a.objects.length ? a.objects : all);
  const bObjects = b.objects.length ? b.objects : all;
  if (!platform && (a.objects.length === 0 || b.objects.length === 0)) return ["every object"];
  return bObjects.filter((object) => aObjects.has(object));
}

/** The configuration a connection syncs with: connection > platform > organization, validated. */
export function resolveConfiguration(
  platform: PlatformObjects,
  levels: { organization: ConfigurationLevel; platform?: ConfigurationLevel | null; connection?: ConfigurationLevel | null },
): EffectiveConfiguration {
  const ordered = [levels.connection, levels.platform, levels.organization].filter((level): level is ConfigurationLevel => Boolean(level));
  const pick = <T>(read: (level: ConfigurationLevel) => T | null, fallback: T): T => {
    for (const level of ordered) {
      const value = read(level);
      if (value !== null) return value;
    }
    return fallback;
  };
  const merged: ConfigurationLevel = {
    objects: pick((level) => (level.objects.length ? level.objects : null), objectKeys(platform)),
    historyMonths: pick((level) => level.historyMonths, DEFAULT_HISTORY_MONTHS),
    incrementalFrequencyMinutes: pick((level) => level.incrementalFrequencyMinutes, DEFAULT_FREQUENCY_MINUTES),
    batches: pick((level) => (level.batches.length ? level.batches : null), []),
  };
  const problems = validateLevel(platform, merged);
  if (problems.length) throw new InvalidConfigurationError(problems);

  const closure = dependencyClosure(platform, merged.objects);
  const history = merged.historyMonths!;
  const configured = merged.batches.length ? merged.batches : defaultBatches(history);
  const batches: ResolvedBatch[] = configured.map((batch, i) => ({
    position: i + 1,
    objects: dependencyClosure(platform, batch.objects.length ? batch.objects : closure.objects).objects,
    fromMonthsAgo: batch.fromMonthsAgo ?? history,
    toMonthsAgo: batch.toMonthsAgo,
    remainder: false,
  }));
  batches.push(...remainderBatches(closure.objects, batches, history));
  return {
    platform: platform.key,
    objects: closure.objects,
    added: closure.added,
    historyMonths: history,
    incrementalFrequencyMinutes: merged.incrementalFrequencyMinutes!,
    batches,
  };
}

/**
 * What no configured batch fetches — an object left out of every batch, or months of its history no
 * window covers — becomes final batches, one per distinct window, so the whole history is fetched.
 */
function remainderBatches(objects: string[], batches: ResolvedBatch[], history: number): ResolvedBatch[] {
  const byWindow = new Map<string, { from: number; to: number; objects: string[] }>();
  for (const object of objects) {
    const covered = batches
      .filter((batch) => batch.objects.includes(object))
      .map((batch) => [batch.toMonthsAgo, batch.fromMonthsAgo] as const)
      .sort((a, b) => a[0] - b[0]);
    let cursor = 0;
    const gaps: [number, number][] = [];
    for (const [to, from] of covered) {
      if (to > cursor) gaps.push([cursor, to]);
      cursor = Math.max(cursor, from);
    }
    if (cursor < history) gaps.push([cursor, history]);
    for (const [to, from] of gaps) {
      const key = `${from}:${to}`;
      const entry = byWindow.get(key) ?? { from, to, objects: [] };
      entry.objects.push(object);
      byWindow.set(key, entry);
    }
  }
  // Newest windows first, as the configured batches go from recent to old.
  return [...byWindow.values()]
    .sort((a, b) => a.to - b.to)
    .map((window, i) => ({
      position: batches.length + i + 1,
      // Only what the window lacks, in fetch order (`objects` is already dependencies-first).
      objects: objects.filter((object) => window.objects.includes(object)),
      fromMonthsAgo: window.from,
      toMonthsAgo: window.to,
      remainder: true,
    }));
}

/**
 * The M of "batch N of M" (the connection's stage, HISTORICAL_UPDATE's batches_total): the batches
 * done plus those the configuration in force still has after them. A configuration changed mid-history
 * to fewer batches ends the history with the batch in progress, which then counts as the last one;
 * so N never exceeds M, and M is what the history will really have taken.
 */
export function batchesTotal(done: number, configured: number): number {
  return Math.max(done, configured);
}
