// Turns stored sync runs into what the connection timeline draws: one bar per run on the "runs" lane
// and one bar per object the run fetched on that object's lane, each with the statistics the runner
// saved (lib/sync/runner.ts RunStats) and its rate-limit pauses. Pure: the queries live in timeline.ts.
// Everything here is plain JSON (ISO strings), the shape the route sends to the browser.
import type { ObjectStats, RunStats } from "@/lib/sync/runner";

export type TimelineOutcome = "succeeded" | "failed" | "cancelled" | "running" | "rate_limited";

export type TimelineRunKind = "initial_batch" | "historical_batch" | "incremental" | "backfill" | "manual" | "platform_triggered";

export interface TimelineStats {
  requests: number;
  pages: number;
  created: number;
  updated: number;
  deleted: number;
  rateLimited: number;
  retries: number;
}

export interface TimelinePause {
  object: string;
  start: string;
  /** When the run was allowed to resume (or now, for a pause still going on). */
  end: string;
}

export interface TimelineSegment {
  /** Unique on the page: the run id, or run id + object. */
  id: string;
  runId: string;
  runKind: TimelineRunKind;
  /** "Batch 1", "Incremental", "Backfill"… */
  runLabel: string;
  /** Null on the runs lane. */
  object: string | null;
  outcome: TimelineOutcome;
  start: string;
  /** Now for a run still going on (see `open`). */
  end: string;
  open: boolean;
  durationMs: number;
  pauses: TimelinePause[];
  stats: TimelineStats;
  error: string | null;
  /** While rate limited: when the run may resume. */
  resumeAt: string | null;
  /**
   * An object still being fetched: the records seen so far and the platform's count of them (the
   * run's statistics, `total`, read when the object started; null when the platform cannot count).
   */
  progress?: { seen: number; total: number | null } | null;
}

export interface TimelineLane {
  key: string;
  label: string;
  kind: "runs" | "object";
  segments: TimelineSegment[];
}

/** A run as the timeline query reads it. */
export interface TimelineRunRow {
  id: string;
  kind: TimelineRunKind;
  status: string;
  batchPosition: number | null;
  objects: string[];
  startedAt: Date;
  finishedAt: Date | null;
  resumeAt: Date | null;
  lastProgressAt: Date | null;
  stats: unknown;
  error: unknown;
}

const ACTIVE = new Set(["running", "rate_limited", "queued"]);

export function isActiveStatus(status: string): boolean {
  return ACTIVE.has(status);
}

export function runLabel(kind: TimelineRunKind, batchPosition: number | null): string {
  switch (kind) {
    case "initial_batch":
    case "historical_batch":
      return `Batch ${batchPosition ?? 1}`;
    case "incremental":
      return "Incremental";
    case "backfill":
      return "Backfill";
    case "manual":
      return "Manual sync";
    case "platform_triggered":
      return "Webhook-triggered";
  }
}

function readStats(value: unknown): Partial<RunStats> {
  return value && typeof value === "object" ? (value as Partial<RunStats>) : {};
}

function errorMessage(value: unknown): string | null {
  if (!value || typeof value !== "object") return null;
  const { kind, message } = value as { kind?: string; message?: string };
  if (!message) return kind ?? null;
  return kind ? `${kind}: ${message}` : message;
}

function objectTotals(objects: Partial<ObjectStats>[]): Omit<TimelineStats, "requests" | "rateLimited" | "retries"> {
  const sum = (key: "pages" | "created" | "updated" | "deleted") => objects.reduce((total, o) => total + (o[key] ?? 0), 0);
  return { pages: sum("pages"), created: sum("created"), updated: sum("updated"), deleted: sum("deleted") };
}

const ms = (value: string) => new Date(value).getTime();
const iso = (value: number) => new Date(value).toISOString();

/**
 * The segments of one run: the run itself, then one per object it started, in the run's object order
 * (the fetch order). An object never started (pending or skipped after a stop) has no segment.
 */
export function runSegments(run: TimelineRunRow, now: Date): { run: TimelineSegment; objects: TimelineSegment[] } {
  const stats = readStats(run.stats);
  const active = isActiveStatus(run.status);
  const start = run.startedAt.getTime();
  const nowMs = Math.max(now.getTime(), start);
  // A final run always has finished_at; should one lack it, its last sign of life is its end.
  const end = run.finishedAt?.getTime() ?? (active ? nowMs : (run.lastProgressAt?.getTime() ?? start));
  const open = !run.finishedAt && active;
  const label = runLabel(run.kind, run.batchPosition);
  const pauses: TimelinePause[] = (stats.pauses ?? [])
    .filter((pause) => pause && typeof pause.at === "string")
    .map((pause) => {
      const pauseStart = Math.max(start, ms(pause.at));
      const pauseEnd = Math.min(end, Math.max(pauseStart, ms(pause.resume_at ?? pause.at)));
      return { object: pause.object, start: iso(pauseStart), end: iso(pauseEnd) };
    });
  const objectStats: Partial<ObjectStats>[] = run.objects.map((object) => stats.objects?.[object] ?? {});
  const outcome: TimelineOutcome = run.status === "queued" ? "running" : (run.status as TimelineOutcome);
  const base = { runId: run.id, runKind: run.kind, runLabel: label };

  const runSegment: TimelineSegment = {
    ...base,
    id: run.id,
    object: null,
    outcome,
    start: iso(start),
    end: iso(end),
    open,
    durationMs: end - start,
    pauses,
    stats: { requests: stats.requests ?? 0, rateLimited: stats.rate_limited ?? 0, retries: stats.retries ?? 0, ...objectTotals(objectStats) },
    error: errorMessage(run.error),
    resumeAt: run.status === "rate_limited" && run.resumeAt ? run.resumeAt.toISOString() : null,
  };

  const lastPause = pauses.at(-1);
  const objects: TimelineSegment[] = [];
  // The runner saves an object's statistics every few seconds and when it ends, so the object a running
  // run has just begun may have no start saved yet: it is the first one not ended, and it started when the one before it ended.
  const inProgress = run.status === "running" ? objectStats.findIndex((o) => o.status !== "succeeded" && o.status !== "failed" && o.status !== "skipped") : -1;
  run.objects.forEach((object, index) => {
    const o = { ...objectStats[index] };
    if (!o.started_at && index === inProgress) o.started_at = objectStats[index - 1]?.finished_at ?? iso(start);
    if (!o.started_at) return;
    const objectStart = Math.max(start, ms(o.started_at));
    const finished = o.finished_at ? ms(o.finished_at) : null;
    let objectOutcome: TimelineOutcome;
    if (o.status === "succeeded") objectOutcome = "succeeded";
    else if (o.status === "failed") objectOutcome = "failed";
    // Started, not finished: still going, paused by a rate limit, or ended with its run.
    else if (run.status === "rate_limited" && lastPause?.object === object) objectOutcome = "rate_limited";
    else if (active) objectOutcome = "running";
    else objectOutcome = outcome;
    const objectEnd = Math.max(objectStart, finished ?? end);
    objects.push({
      ...base,
      id: `${run.id}:${object}`,
      object,
      outcome: objectOutcome,
      start: iso(objectStart),
      end: iso(objectEnd),
      open: finished === null && open,
      durationMs: objectEnd - objectStart,
      pauses: pauses.filter((pause) => pause.object === object),
      stats: {
        requests: o.requests ?? 0,
        pages: o.pages ?? 0,
        created: o.created ?? 0,
        updated: o.updated ?? 0,
        deleted: o.deleted ?? 0,
        rateLimited: o.rate_limited ?? 0,
        retries: o.retries ?? 0,
      },
      error: errorMessage(o.error),
      resumeAt: objectOutcome === "rate_limited" ? runSegment.resumeAt : null,
      progress: finished === null && open ? { seen: o.seen ?? 0, total: typeof o.total === "number" ? o.total : null } : null,
    });
  });
  return { run: runSegment, objects };
}

/**
 * The lanes: whole runs first, then one per object in fetch order (`objectOrder`), then any object a
 * run fetched that the configuration no longer lists, in the order first met.
 */
export function buildLanes(runs: TimelineRunRow[], objectOrder: readonly string[], now: Date): TimelineLane[] {
  const runLane: TimelineLane = { key: "runs", label: "Runs", kind: "runs", segments: [] };
  const byObject = new Map<string, TimelineSegment[]>(objectOrder.map((object) => [object, []]));
  const sorted = [...runs].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  for (const run of sorted) {
    const { run: segment, objects } = runSegments(run, now);
    runLane.segments.push(segment);
    for (const objectSegment of objects) {
      const object = objectSegment.object!;
      if (!byObject.has(object)) byObject.set(object, []);
      byObject.get(object)!.push(objectSegment);
    }
  }
  return [runLane, ...[...byObject].map(([object, segments]): TimelineLane => ({ key: `object:${object}`, label: object, kind: "object", segments }))];
}
