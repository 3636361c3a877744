// The editor's working copy of one configuration level: inputs as typed (strings), "inherit" as null,
// and the conversion to the library's ConfigurationLevel. Problems come back with the library's paths
// ("batches[1].fromMonthsAgo"); fieldErrors files each under the field that shows it.
import { defaultBatches, DEFAULT_FIRST_BATCH_MONTHS, MAX_BATCHES, type ConfigurationLevel } from "@/lib/sync/configuration";
import type { EditableLevel } from "@/lib/presenters/sync-configuration";

export type FrequencyUnit = "minutes" | "hours" | "days";
export const UNIT_MINUTES: Record<FrequencyUnit, number> = { minutes: 1, hours: 60, days: 1440 };

export interface BatchDraft {
  /** Stable across reorders: React keys and focus. */
  id: number;
  objects: string[];
  from: string;
  to: string;
}

export interface LevelDraft {
  /** null = inherit (every object, for the organization). */
  objects: string[] | null;
  history: string | null;
  frequency: { value: string; unit: FrequencyUnit } | null;
  /** null = inherit (Tributary's default batches, for the organization: defaultBatches). */
  batches: BatchDraft[] | null;
}

/** Tributary's default batches for a history of `months`, in words: what a level without batches syncs. */
export function describeDefaultBatches(months: number): string {
  if (defaultBatches(months).length === 1) return `the whole ${months}-month history as one batch`;
  const first = DEFAULT_FIRST_BATCH_MONTHS === 1 ? "the last month" : `the last ${DEFAULT_FIRST_BATCH_MONTHS} months`;
  return `${first} first (the connection is ready when it ends), then the rest of the ${months}-month history`;
}

/** Tributary's default batches as the editor's rows, for a level that starts from them. */
export function defaultBatchDrafts(months: number): BatchDraft[] {
  return defaultBatches(months).map((batch) => ({
    id: newBatchId(),
    objects: [],
    from: batch.fromMonthsAgo === null ? "" : String(batch.fromMonthsAgo),
    to: String(batch.toMonthsAgo),
  }));
}

// A stored level's batches are numbered by position, so the server's HTML and the browser's first
// render give them the same ids (they end up in element ids). Batches added while editing take ids
// above any stored level's count, from a counter only ever advanced in the browser's event handlers.
let nextBatchId = MAX_BATCHES + 1;
export const newBatchId = () => nextBatchId++;

export function draftOf(level: EditableLevel | null): LevelDraft {
  if (!level) return { objects: null, history: null, frequency: null, batches: null };
  const minutes = level.incrementalFrequencyMinutes;
  const unit: FrequencyUnit = minutes === null ? "minutes" : minutes % 1440 === 0 ? "days" : minutes % 60 === 0 ? "hours" : "minutes";
  return {
    objects: level.objects.length ? level.objects : null,
    history: level.historyMonths === null ? null : String(level.historyMonths),
    frequency: minutes === null ? null : { value: String(minutes / UNIT_MINUTES[unit]), unit },
    batches: level.batches.length
      ? level.batches.map((batch, index) => ({
          id: index + 1,
          objects: batch.objects,
          from: batch.fromMonthsAgo === null ? "" : String(batch.fromMonthsAgo),
          to: String(batch.toMonthsAgo),
        }))
      : null,
  };
}

/** "" stays null (empty = start of the history); anything else that is not a number becomes NaN, which the library names. */
const number = (value: string): number | null => (value.trim() === "" ? null : Number(value.trim()));

export function levelOf(draft: LevelDraft): ConfigurationLevel {
  return {
    objects: draft.objects ?? [],
    historyMonths: draft.history === null ? null : (number(draft.history) ?? Number.NaN),
    incrementalFrequencyMinutes: draft.frequency === null ? null : (number(draft.frequency.value) ?? Number.NaN) * UNIT_MINUTES[draft.frequency.unit],
    batches: (draft.batches ?? []).map((batch) => ({ objects: batch.objects, fromMonthsAgo: number(batch.from), toMonthsAgo: number(batch.to) ?? 0 })),
  };
}

/** JSON turns NaN into null; send such values as -1 so the server names the field instead of inheriting. */
export function forTransport(level: ConfigurationLevel): ConfigurationLevel {
  const finite = (value: number | null) => (value === null || Number.isFinite(value) ? value : -1);
  return {
    ...level,
    historyMonths: finite(level.historyMonths),
    incrementalFrequencyMinutes: finite(level.incrementalFrequencyMinutes),
    batches: level.batches.map((batch) => ({ ...batch, fromMonthsAgo: finite(batch.fromMonthsAgo), toMonthsAgo: finite(batch.toMonthsAgo) ?? 0 })),
  };
}

export interface Problem {
  path: string;
  message: string;
  platform?: string;
}

/** Problems by the field that shows them; `form` holds those no field owns (another level's). */
export function fieldErrors(problems: Problem[]): { byPath: Map<string, string[]>; form: Problem[] } {
  const byPath = new Map<string, string[]>();
  const form: Problem[] = [];
  for (const problem of problems) {
    if (problem.platform) {
      form.push(problem);
      continue;
    }
    // "objects[2]" is shown at the object picker, "batches[1].objects[0]" at its batch's objects.
    const path = problem.path.replace(/\.?objects\[\d+\]$/, (match) => (match.startsWith(".") ? ".objects" : "objects"));
    byPath.set(path, [...(byPath.get(path) ?? []), problem.message]);
  }
  return { byPath, form };
}

/** "batches[1].fromMonthsAgo" → "Batch 2, from". */
export function describePath(path: string): string {
  const batch = /^batches\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (batch) {
    const field = batch[2] === "fromMonthsAgo" ? ", from" : batch[2] === "toMonthsAgo" ? ", to" : batch[2] === "objects" ? ", objects" : "";
    return `Batch ${Number(batch[1]) + 1}${field}`;
  }
  if (path.startsWith("objects")) return "Objects";
  if (path === "historyMonths") return "History range";
  if (path === "incrementalFrequencyMinutes") return "Incremental frequency";
  return path;
}
