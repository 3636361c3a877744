// Sync runs as the API shows them: snake_case, ISO dates, totals for lists and per-object statistics
// (in the run's fetch order) for one run. The stats JSON is the runner's RunStats (lib/sync/runner.ts);
// a run that has not started has none yet, so every counter defaults to zero.
import type { SyncRun } from "@/lib/generated/prisma/client";
import type { ObjectStats, RunStats } from "@/lib/sync/runner";

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function syncRunView(run: SyncRun) {
  const stats = (run.stats ?? {}) as Partial<RunStats>;
  return {
    id: run.id,
    connection_id: run.connectionId,
    kind: run.kind,
    status: run.status,
    objects: run.objects,
    batch_position: run.batchPosition,
    window_start: iso(run.windowStart),
    window_end: iso(run.windowEnd),
    updated_since: iso(run.updatedSince),
    attempt: run.attempt,
    error: (run.error ?? null) as { kind: string; message: string } | null,
    requests: stats.requests ?? 0,
    rate_limited: stats.rate_limited ?? 0,
    retries: stats.retries ?? 0,
    scheduled_at: run.scheduledAt.toISOString(),
    resume_at: iso(run.resumeAt),
    started_at: iso(run.startedAt),
    finished_at: iso(run.finishedAt),
    duration_ms: run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    created_at: run.createdAt.toISOString(),
  };
}

/** One run with what happened to each object, and the pauses for rate limits. */
export function syncRunDetailView(run: SyncRun) {
  const stats = (run.stats ?? {}) as Partial<RunStats>;
  return {
    ...syncRunView(run),
    pauses: stats.pauses ?? [],
    object_stats: run.objects.map((object) => objectStatsView(object, stats.objects?.[object])),
  };
}

/** One object's statistics as the API and the run page show them: every counter present, zero when never counted. */
export function objectStatsView(object: string, saved: Partial<ObjectStats> | undefined) {
  return {
    object,
    status: saved?.status ?? "pending",
    requests: saved?.requests ?? 0,
    pages: saved?.pages ?? 0,
    seen: saved?.seen ?? 0,
    /** The platform's count when the object started (batches and backfills of platforms that count), else null. */
    total: saved?.total ?? null,
    created: saved?.created ?? 0,
    updated: saved?.updated ?? 0,
    deleted: saved?.deleted ?? 0,
    unchanged: saved?.unchanged ?? 0,
    rate_limited: saved?.rate_limited ?? 0,
    retries: saved?.retries ?? 0,
    started_at: saved?.started_at ?? null,
    finished_at: saved?.finished_at ?? null,
    error: saved?.error ?? null,
  };
}
