// The runner executes one sync run (DESIGN.md section 3): for each object in dependency order it runs
// the object's pages from its checkpoint through the connection's platform session (which counts the
// requests and retries transient errors and 401s, platform-session.ts), waits out short Retry-Afters
// and pauses the run on long ones (SYNC_RATE_LIMITED; the run resumes from its checkpoints), and
// records what cannot be retried. The run's end is one
// transaction: its status and statistics, SYNC_COMPLETED, the stage change (INITIAL_UPDATE,
// HISTORICAL_UPDATE, BACKFILL_COMPLETED), the health transition and the next schedule.
//
// Executing a run that is already "running" resumes it: that is how a process killed mid-run is
// recovered (the orchestration layer makes sure only one process runs a connection at a time).
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SyncRun } from "@/lib/generated/prisma/client";
import { emitEvent } from "@/lib/events/emit";
import { openRequestLog } from "@/lib/runs/request-log";
import type { ConnectorErrorKind, RateLimitKind } from "@/lib/platforms/types";
import { batchesTotal } from "./configuration";
import type { SyncEngine } from "./engine";
import { changeHealth, relinkUrl, type HealthChange } from "./health";
import { CONNECTION_HEALTH, SYNC_RUN } from "@/lib/lifecycles";
import { LeaseLostError, RunYield, leaseHeldSql } from "./lease";
import { loadEffectiveConfiguration } from "./load-configuration";
import { classifyFailure, openPlatformSession, type PlatformFailure } from "./platform-session";
import { emitObjectEvent, runObject } from "./run-object";
import { cancelRunsSql, countEndedRunSql } from "./sql/count-ended-runs";

export type ObjectStatus = "pending" | "succeeded" | "failed" | "skipped";

export interface ObjectStats {
  status: ObjectStatus;
  requests: number;
  pages: number;
  seen: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  rate_limited: number;
  retries: number;
  started_at: string | null;
  finished_at: string | null;
  error: { kind: ConnectorErrorKind | "internal"; message: string } | null;
  /**
   * The platform's count of what this run lists of the object (Connector.count), read once when the
   * object starts in a batch or backfill: progress is `seen` of about `total`. Null when the platform
   * cannot count it; absent for runs that do not ask.
   */
  total?: number | null;
}

export interface RunStats {
  requests: number;
  rate_limited: number;
  retries: number;
  /** Pauses for rate limits: when, until when, during which object, for which allowance and why (absent in pauses saved before they were). */
  pauses: RunPause[];
  objects: Record<string, ObjectStats>;
}

export interface RunPause {
  object: string;
  at: string;
  resume_at: string;
  limit?: RateLimitKind;
  message?: string;
}

/** Why a paused (rate-limited) run waits, as the API and the dashboard say it; null for a run that is not paused. */
export interface PauseView {
  limit: RateLimitKind;
  message: string;
  resumeAt: Date;
}

export function pauseOf(run: { status: string; resumeAt: Date | null; stats: unknown }): PauseView | null {
  if (run.status !== "rate_limited" || !run.resumeAt) return null;
  const last = ((run.stats ?? {}) as Partial<RunStats>).pauses?.at(-1);
  return { limit: last?.limit ?? "rate", message: last?.message ?? "Rate limited by the platform", resumeAt: run.resumeAt };
}

export type RunResult =
  | { status: "succeeded" | "failed" | "cancelled" }
  | { status: "rate_limited"; resumeAt: Date }
  /** Stopped after a page because the caller asked (shouldYield); still running, resumes from its checkpoints. */
  | { status: "yielded" };

export interface ExecuteOptions {
  /** Asked after each stored page; true stops the run there, to be resumed by the next executeRun. */
  shouldYield?: () => boolean;
}

/** Runs that read an object whole (or a whole window of it): long enough for a total and an estimated time left to help. */
const COUNTED_KINDS: ReadonlySet<string> = new Set(["initial_batch", "historical_batch", "backfill"]);
const PROGRESS_SAVE_MS = 2_000;
const STOPPING: ReadonlySet<string> = new Set(["auth_revoked", "account_closed", "transient", "internal"]);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function emptyObjectStats(): ObjectStats {
  return {
    status: "pending",
    requests: 0,
    pages: 0,
    seen: 0,
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    rate_limited: 0,
    retries: 0,
    started_at: null,
    finished_at: null,
    error: null,
  };
}

function readStats(run: SyncRun): RunStats {
  const saved = (run.stats ?? {}) as Partial<RunStats>;
  const objects: Record<string, ObjectStats> = {};
  for (const object of run.objects) objects[object] = { ...emptyObjectStats(), ...saved.objects?.[object] };
  return { requests: saved.requests ?? 0, rate_limited: saved.rate_limited ?? 0, retries: saved.retries ?? 0, pauses: saved.pauses ?? [], objects };
}

export async function executeRun(engine: SyncEngine, runId: string, options: ExecuteOptions = {}): Promise<RunResult> {
  const { db } = engine;
  const run = await db.syncRun.findUniqueOrThrow({ where: { id: runId }, include: { connection: true } });
  if (SYNC_RUN.isFinal(run.status)) return { status: run.status as "succeeded" | "failed" | "cancelled" };
  const { connection } = run;
  if (connection.deletedAt || connection.health === "NEEDS_UPDATE" || connection.health === "DISABLED" || !connection.platformAccountId) {
    await db.$executeRaw(cancelRunsSql({ runId }, new Date(engine.clock())));
    return { status: "cancelled" };
  }
  const startedAt = run.startedAt ?? new Date(engine.clock());
  // From any active status (a run resumed after a crash is still running): one that ended meanwhile is left as it is.
  const [started] = await db.$transaction([
    db.syncRun.updateMany({
      where: { id: runId, status: { in: [...SYNC_RUN.active] } },
      data: { status: "running", startedAt, attempt: { increment: 1 }, resumeAt: null, lastProgressAt: new Date() },
    }),
    db.connection.update({ where: { id: connection.id }, data: { lastSyncStartedAt: startedAt } }),
  ]);
  if (started.count === 0) return endedAs(db, runId);
  run.startedAt = startedAt;

  const stats = readStats(run);
  // Written while the run goes on and closed wherever it stops; a write that fails loses log rows, never the run.
  const requestLog = openRequestLog(db, run.id, stats.requests);
  // The object being synced, which the session's requests, 429s and retries are counted against too.
  let current: ObjectStats | null = null;
  const session = openPlatformSession(
    engine,
    { ...connection, platformAccountId: connection.platformAccountId },
    {
      onRequest: () => {
        stats.requests++;
        if (current) current.requests++;
      },
      onRateLimited: () => {
        stats.rate_limited++;
        if (current) current.rate_limited++;
      },
      onRetry: () => {
        stats.retries++;
        if (current) current.retries++;
      },
      onResponse: (entry) => requestLog.record(entry),
    },
  );
  const { connector } = session;

  // Credentials that cannot be opened or refreshed stop the run before its first object.
  let stop: PlatformFailure | null = null;
  try {
    await session.credentials();
  } catch (error) {
    stop = classifyFailure(error);
  }
  const environment = await db.environment.findUnique({
    where: { organizationId_kind: { organizationId: connection.organizationId, kind: connection.environment } },
  });
  const batchRun = run.kind === "initial_batch" || run.kind === "historical_batch";
  const emitDataEvents = batchRun ? (environment?.emitDataEventsOnInitial ?? false) : true;
  const keepPlatformData = environment?.keepPlatformData ?? true;

  let worked = false;
  for (const object of run.objects) {
    const objectStats = stats.objects[object];
    if (objectStats.status === "succeeded" || objectStats.status === "failed") continue;
    // Between objects too: a caller's step of pages may end here.
    if (worked && options.shouldYield?.()) {
      await requestLog.close();
      await saveStats(engine, run.id, stats);
      return { status: "yielded" };
    }
    worked = true;
    if (stop) {
      objectStats.status = "skipped";
      continue;
    }
    const spec = connector.objects.find((o) => o.key === object);
    const scope = { organizationId: connection.organizationId, environment: connection.environment, connectionId: connection.id, object, syncRunId: run.id };
    if (!spec) {
      objectStats.status = "failed";
      objectStats.error = { kind: "permanent", message: `${connection.platform} has no object "${object}"` };
      continue;
    }
    const hasWindow = spec.supportsWindow && (run.windowStart !== null || run.windowEnd !== null);
    const window = hasWindow ? { start: run.windowStart, end: run.windowEnd } : undefined;
    const updatedSince = spec.supportsUpdatedSince ? run.updatedSince : null;
    // Everything the platform has for the object, outside the staged first import: what it no longer lists was deleted.
    const fullResync = !batchRun && !window && !updatedSince;
    // From here the session's requests are this object's, its count's included.
    current = objectStats;
    if (objectStats.started_at === null && COUNTED_KINDS.has(run.kind)) {
      objectStats.total = await session.count({ object, window });
      await saveStats(engine, run.id, stats);
    }
    objectStats.started_at ??= new Date(engine.clock()).toISOString();
    // Page by page, so a long object's progress shows while it runs (and survives a yield), saved
    // at most every PROGRESS_SAVE_MS beside the page's own transaction.
    let savedAt = engine.clock();
    const onPage = async (outcome: { pages: number; seen: number; created: number; updated: number; deleted: number; unchanged: number }) => {
      for (const key of ["pages", "seen", "created", "updated", "deleted", "unchanged"] as const) objectStats[key] += outcome[key];
      if (engine.clock() - savedAt < PROGRESS_SAVE_MS) return;
      savedAt = engine.clock();
      await saveStats(engine, run.id, stats);
    };
    for (;;) {
      try {
        await runObject(db, {
          scope,
          list: session.list,
          window,
          updatedSince,
          emitDataEvents,
          keepPlatformData,
          fullResync,
          leaseOwner: engine.leaseOwner,
          shouldYield: options.shouldYield,
          onPage,
        });
        objectStats.status = "succeeded";
        break;
      } catch (error) {
        // Not failures: a lost lease means another worker owns the run now; a yield resumes later.
        if (error instanceof LeaseLostError) throw error;
        if (error instanceof RunYield) {
          await requestLog.close();
          await saveStats(engine, run.id, stats);
          return { status: "yielded" };
        }
        // The session already retried what can be retried at once; a rate limit is the run's to decide.
        const failure = classifyFailure(error);
        if (failure.kind === "rate_limited") {
          const wait = failure.retryAfterMs;
          if (wait <= engine.options.inlineRateLimitWaitMs) {
            objectStats.retries++;
            stats.retries++;
            await sleep(wait);
            continue;
          }
          await requestLog.close();
          return pauseRun(engine, run, stats, object, failure);
        }
        objectStats.status = "failed";
        objectStats.error = { kind: failure.kind, message: failure.message };
        await emitObjectEvent(db, scope, "SYNC_FAILED", { error: failure.kind, message: failure.message });
        if (STOPPING.has(failure.kind)) stop = failure;
        break;
      }
    }
    objectStats.finished_at = new Date(engine.clock()).toISOString();
    current = null;
    await saveStats(engine, run.id, stats);
  }
  await requestLog.close();
  return finishRun(engine, run, stats, stop);
}

async function saveStats(engine: SyncEngine, runId: string, stats: RunStats): Promise<void> {
  await engine.db.syncRun.update({ where: { id: runId }, data: { stats: stats as unknown as Prisma.InputJsonValue, lastProgressAt: new Date() } });
}

type Tx = Parameters<Parameters<SyncEngine["db"]["$transaction"]>[0]>[0];

/** Inside a run's final transaction: the worker still holds the connection's lease (a no-op without leases). */
async function assertLease(engine: SyncEngine, tx: Tx, connectionId: string): Promise<void> {
  if (!engine.leaseOwner) return;
  const rows = await tx.$queryRaw<unknown[]>(leaseHeldSql(connectionId, engine.leaseOwner));
  if (rows.length !== 1) throw new LeaseLostError(connectionId);
}

/**
 * Pauses the run until the rate limit ends: no retry is spent and the connection's health does not
 * change; the planner hands the run back once resumeAt has passed (nextRun) and it goes on from its
 * checkpoints. A daily allowance spent pauses it until the window frees enough (limit "daily").
 */
export async function pauseRun(
  engine: SyncEngine,
  run: SyncRun,
  stats: RunStats,
  object: string,
  failure: Extract<PlatformFailure, { kind: "rate_limited" }>,
): Promise<RunResult> {
  const waitMs = failure.retryAfterMs;
  const now = new Date(engine.clock());
  const resumeAt = new Date(now.getTime() + waitMs);
  stats.pauses.push({ object, at: now.toISOString(), resume_at: resumeAt.toISOString(), limit: failure.limit, message: failure.message });
  const paused = await engine.db.$transaction(async (tx) => {
    await assertLease(engine, tx, run.connectionId);
    const moved = await tx.syncRun.updateMany({
      where: { id: run.id, status: { in: SYNC_RUN.into("rate_limited") } },
      data: { status: "rate_limited", resumeAt, stats: stats as unknown as Prisma.InputJsonValue },
    });
    // Cancelled while its request waited: it stays cancelled, and says nothing of a pause.
    if (moved.count === 0) return false;
    await emitEvent(tx, {
      organizationId: run.organizationId,
      environment: run.environment,
      connectionId: run.connectionId,
      syncRunId: run.id,
      type: "SYNC_RATE_LIMITED",
      object,
      data: {
        connection_id: run.connectionId,
        sync_run_id: run.id,
        object,
        limit: failure.limit,
        message: failure.message,
        retry_after_ms: waitMs,
        resume_at: resumeAt.toISOString(),
      },
    });
    return true;
  });
  return paused ? { status: "rate_limited", resumeAt } : endedAs(engine.db, run.id);
}

/** Ends a run that will not continue: statistics, events, stage, health and schedule in one transaction. */
export async function finishRun(engine: SyncEngine, run: SyncRun, stats: RunStats, stop: PlatformFailure | null): Promise<RunResult> {
  const { db } = engine;
  const connection = await db.connection.findUniqueOrThrow({ where: { id: run.connectionId } });
  const configuration = await loadEffectiveConfiguration(db, connection);
  const objects = Object.entries(stats.objects);
  const succeeded = !stop && objects.every(([, s]) => s.status === "succeeded");
  const now = new Date(engine.clock());
  const frequencyMs = configuration.incrementalFrequencyMinutes * 60_000;
  const window = { window_start: run.windowStart?.toISOString() ?? null, window_end: run.windowEnd?.toISOString() ?? null };
  const firstError = stop ?? objects.find(([, s]) => s.error)?.[1].error ?? null;

  // A run's outcome moves the connection's health only while it syncs (HEALTHY, UNHEALTHY): one a
  // member disabled, or that needs re-linking, while this run went on keeps the state they gave it.
  const outcome = (tx: Tx, change: HealthChange) =>
    CONNECTION_HEALTH.isActive(connection.health) ? changeHealth(tx, connection, change) : Promise.resolve(false);

  // Everything the run's end changes; its hourly count comes last in the transaction (see count-ended-runs.ts).
  const to = succeeded ? "succeeded" : "failed";
  // False when the run had already ended: cancelled while it went on (its connection deleted), or ended
  // by an earlier try of this same write; it keeps that end (SYNC_RUN has no move out of a final
  // status), and nothing below happens or is counted again.
  const end = async (tx: Tx): Promise<boolean> => {
    await assertLease(engine, tx, run.connectionId);
    const { count } = await tx.syncRun.updateMany({
      where: { id: run.id, status: { in: SYNC_RUN.into(to) } },
      data: {
        status: to,
        finishedAt: now,
        stats: stats as unknown as Prisma.InputJsonValue,
        error: succeeded || !firstError ? undefined : { kind: firstError.kind, message: firstError.message },
      },
    });
    if (count === 0) return false;
    const base = { organizationId: run.organizationId, environment: run.environment, connectionId: run.connectionId, syncRunId: run.id };
    await emitEvent(tx, {
      ...base,
      type: "SYNC_COMPLETED",
      data: {
        connection_id: run.connectionId,
        sync_run_id: run.id,
        kind: run.kind,
        status: succeeded ? "succeeded" : "failed",
        objects_succeeded: objects.filter(([, s]) => s.status === "succeeded").map(([o]) => o),
        objects_failed: objects.filter(([, s]) => s.status !== "succeeded").map(([o, s]) => ({ object: o, status: s.status, error: s.error })),
        duration_ms: now.getTime() - (run.startedAt ?? now).getTime(),
        requests: stats.requests,
        rate_limited: stats.rate_limited,
      },
    });
    const data: Prisma.ConnectionUpdateInput = { lastSyncCompletedAt: now };

    if (run.kind === "backfill") {
      data.incrementalPausedAt = null;
      await emitEvent(tx, {
        ...base,
        type: "BACKFILL_COMPLETED",
        data: { connection_id: run.connectionId, sync_run_id: run.id, status: succeeded ? "succeeded" : "failed", objects: run.objects, ...window },
      });
    }
    if (succeeded) {
      data.consecutiveFailures = 0;
      if (run.kind === "initial_batch" || run.kind === "historical_batch") {
        const position = run.batchPosition ?? 1;
        const last = position >= configuration.batches.length;
        const total = batchesTotal(position, configuration.batches.length);
        Object.assign(data, {
          batchesCompleted: position,
          batchesTotal: total,
          stage: last ? "ONGOING" : "HISTORICAL_SYNC",
          nextSyncAt: last ? new Date(now.getTime() + frequencyMs) : now,
        });
        if (run.kind === "initial_batch") {
          data.isReady = true;
          // Changes made while the history is fetched are found by the first incremental run.
          data.lastSuccessfulSyncStartedAt = connection.lastSuccessfulSyncStartedAt ?? run.startedAt;
        }
        await emitEvent(tx, {
          ...base,
          type: run.kind === "initial_batch" ? "INITIAL_UPDATE" : "HISTORICAL_UPDATE",
          data: { connection_id: run.connectionId, sync_run_id: run.id, batch: position, batches_total: total, objects: run.objects, ...window },
        });
      } else if (run.kind === "incremental" || run.kind === "manual") {
        if (!connection.lastSuccessfulSyncStartedAt || (run.startedAt && run.startedAt > connection.lastSuccessfulSyncStartedAt))
          data.lastSuccessfulSyncStartedAt = run.startedAt;
        data.nextSyncAt = new Date(now.getTime() + frequencyMs);
      } else if (run.kind === "backfill") {
        // Catch up on what changed while incremental syncs were paused.
        data.nextSyncAt = now;
      }
      await tx.connection.update({ where: { id: run.connectionId }, data });
      if (connection.health === "UNHEALTHY") await changeHealth(tx, connection, { to: "HEALTHY", detail: "The last sync succeeded" });
      return true;
    }

    if (stop?.kind === "auth_revoked") {
      await tx.connection.update({ where: { id: run.connectionId }, data });
      await outcome(tx, { to: "NEEDS_UPDATE", detail: stop.message, linkUrl: relinkUrl(engine.appUrl, connection, now) });
      return true;
    }
    if (stop?.kind === "account_closed") {
      await tx.connection.update({ where: { id: run.connectionId }, data });
      await outcome(tx, { to: "DISABLED", reason: "account_closed", detail: stop.message });
      return true;
    }
    const failures = connection.consecutiveFailures + 1;
    const backoff = engine.options.failureBackoffMs[Math.min(failures, engine.options.failureBackoffMs.length) - 1];
    data.consecutiveFailures = failures;
    if (run.kind !== "platform_triggered" && run.kind !== "backfill") data.nextSyncAt = new Date(now.getTime() + backoff);
    await tx.connection.update({ where: { id: run.connectionId }, data });
    const detail = firstError ? `${firstError.kind}: ${firstError.message}` : "The sync failed";
    if (failures >= engine.options.maxConsecutiveFailures) {
      await outcome(tx, { to: "DISABLED", reason: "repeated_failures", detail: `${failures} consecutive failed syncs; last: ${detail}` });
    } else {
      await outcome(tx, { to: "UNHEALTHY", detail, error: firstError?.kind ?? "internal" });
    }
    return true;
  };
  const ended = await db.$transaction(async (tx) => {
    if (!(await end(tx))) return false;
    await tx.$executeRaw(countEndedRunSql(run, to, now));
    return true;
  });
  // Ended before: cancelled meanwhile, or this end was written once already (a retried step).
  if (!ended) return endedAs(db, run.id);
  return { status: to };
}

/** What a run that a guarded write found already ended became: its stored final status. */
async function endedAs(db: SyncEngine["db"], runId: string): Promise<RunResult> {
  const { status } = await db.syncRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true } });
  if (!SYNC_RUN.isFinal(status)) throw new Error(`Sync run ${runId} is ${status}: a guarded write found it moved by another writer`);
  return { status: status as "succeeded" | "failed" | "cancelled" };
}
