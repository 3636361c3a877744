// One connection for its dashboard page: the status Rutter's connection status describes (stage,
// health, readiness, needs-update with its re-link URL, disabled reason, batch progress, schedule),
// the runs in progress with each object's pages and records, recent runs, record counts per object
// and the health history. The page renders it and the live route (React Query polls it while a run
// is active) returns the same JSON, so every value here is JSON already: dates as ISO strings.
import type { TenantDb } from "@/lib/db/tenant";
import type { ConnectionHealth, ConnectionStage, DisabledReason, SyncRunKind, RunStatus } from "@/lib/generated/prisma/enums";
import { getPlatform } from "@/lib/platforms/catalog";
import { SYNC_RUN } from "@/lib/lifecycles";
import { relinkUrl } from "@/lib/sync/health";
import { pauseOf } from "@/lib/sync/runner";
import type { RateLimitKind } from "@/lib/platforms/types";
import { objectKeys } from "@/lib/platforms/definition";

const RECENT_RUNS = 10;
const HEALTH_HISTORY = 20;
/** Queued runs behind the active one shown on the status card (more are summarized as a number). */
const ACTIVE_SHOWN = 5;

/** The events of a connection's life and health (lib/sync/health.ts writes the four transitions). */
export const HEALTH_EVENT_TYPES = [
  "CONNECTION_CREATED",
  "CONNECTION_UPDATED",
  "CONNECTION_ERROR",
  "CONNECTION_NEEDS_UPDATE",
  "CONNECTION_DISABLED",
  "CONNECTION_DELETED",
] as const;

const iso = (date: Date | null) => date?.toISOString() ?? null;

export interface RunObjectProgress {
  object: string;
  /** pending, running (a checkpoint exists), succeeded, failed or skipped. */
  status: string;
  pages: number;
  records: number;
  error: string | null;
}

export interface RunJson {
  id: string;
  kind: SyncRunKind;
  status: RunStatus;
  objects: string[];
  batchPosition: number | null;
  windowStart: string | null;
  windowEnd: string | null;
  scheduledAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  resumeAt: string | null;
  /** A paused run's reason: which limit, and what the engine said (pauseOf). */
  pause: { limit: RateLimitKind; message: string } | null;
  error: string | null;
}

export interface ActiveRunJson extends RunJson {
  progress: RunObjectProgress[];
}

export interface HealthEventJson {
  id: string;
  type: string;
  createdAt: string;
  health: string | null;
  previousHealth: string | null;
  detail: string | null;
  error: string | null;
  disabledReason: string | null;
}

export interface ConnectionStatusJson {
  /** When the server read it: relative times ("3 min ago") are computed from it, the same on server and client. */
  now: string;
  connection: {
    id: string;
    platform: string;
    platformName: string;
    accountName: string | null;
    platformAccountId: string | null;
    endUserId: string | null;
    stage: ConnectionStage;
    health: ConnectionHealth;
    isReady: boolean;
    disabledReason: DisabledReason | null;
    healthDetail: string | null;
    batchesTotal: number;
    batchesCompleted: number;
    consecutiveFailures: number;
    lastSyncStartedAt: string | null;
    lastSyncCompletedAt: string | null;
    nextSyncAt: string | null;
    incrementalPausedAt: string | null;
    createdAt: string;
    deletedAt: string | null;
  };
  /** Rutter's needs_update: set while the end user must re-link, with the URL to send them. */
  needsUpdate: { detail: string | null; linkUrl: string } | null;
  /** The re-link URL, valid whatever the health (a team may re-link proactively). */
  relinkUrl: string;
  /** The platform's objects, in dependency order: the backfill checklist and the data browser's choices. */
  objects: string[];
  /** Runs queued or in progress, oldest first (the first one runs; the others wait behind it). */
  activeRuns: ActiveRunJson[];
  /** Active runs beyond those shown. */
  moreActiveRuns: number;
  recentRuns: RunJson[];
  /** Live records per object (every platform object, 0 when none), and their total. */
  records: { object: string; count: number }[];
  recordsTotal: number;
  healthHistory: HealthEventJson[];
}

type RunRow = {
  id: string;
  kind: SyncRunKind;
  status: RunStatus;
  objects: string[];
  batchPosition: number | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  scheduledAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  resumeAt: Date | null;
  error: unknown;
  stats: unknown;
};

const RUN_SELECT = {
  id: true,
  kind: true,
  status: true,
  objects: true,
  batchPosition: true,
  windowStart: true,
  windowEnd: true,
  scheduledAt: true,
  startedAt: true,
  finishedAt: true,
  resumeAt: true,
  error: true,
  stats: true,
} as const;

function runJson(run: RunRow): RunJson {
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    objects: run.objects,
    batchPosition: run.batchPosition,
    windowStart: iso(run.windowStart),
    windowEnd: iso(run.windowEnd),
    scheduledAt: run.scheduledAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    resumeAt: iso(run.resumeAt),
    pause: pauseFields(run),
    error: errorMessage(run.error),
  };
}

function pauseFields(run: RunRow): RunJson["pause"] {
  const pause = pauseOf(run);
  return pause ? { limit: pause.limit, message: pause.message } : null;
}

function errorMessage(error: unknown): string | null {
  if (!error) return null;
  if (typeof error === "string") return error;
  if (typeof error === "object" && "message" in error && typeof error.message === "string") return error.message;
  return JSON.stringify(error);
}

interface ObjectStats {
  status?: string;
  pages?: number;
  seen?: number;
  error?: { message?: string } | null;
}

/**
 * Each object's progress in an active run: its status from the run's statistics (saved when an object
 * ends) and, for the object being fetched, its pages and records from the checkpoint written with
 * every stored page, so the bar moves page by page.
 */
function runProgress(
  run: RunRow,
  checkpoints: { syncRunId: string; object: string; pages: number; records: number; completedAt: Date | null }[],
): RunObjectProgress[] {
  const stats = ((run.stats ?? {}) as { objects?: Record<string, ObjectStats> }).objects ?? {};
  return run.objects.map((object) => {
    const saved = stats[object] ?? {};
    const checkpoint = checkpoints.find((c) => c.syncRunId === run.id && c.object === object);
    const finished = saved.status && saved.status !== "pending";
    return {
      object,
      status: finished ? saved.status! : checkpoint ? (checkpoint.completedAt ? "succeeded" : "running") : "pending",
      pages: Math.max(saved.pages ?? 0, checkpoint?.pages ?? 0),
      records: Math.max(saved.seen ?? 0, checkpoint?.records ?? 0),
      error: saved.error?.message ?? null,
    };
  });
}

/** The connection's status, or null when it is not in the member's organization and environment. */
export async function getConnectionStatus(db: TenantDb, id: string, appUrl: string): Promise<ConnectionStatusJson | null> {
  // Through the tenant client an id from another organization or environment is simply not found.
  const connection = await db.connection.findFirst({
    where: { id },
    select: {
      id: true,
      platform: true,
      accountName: true,
      platformAccountId: true,
      endUserId: true,
      stage: true,
      health: true,
      isReady: true,
      disabledReason: true,
      healthDetail: true,
      batchesTotal: true,
      batchesCompleted: true,
      consecutiveFailures: true,
      lastSyncStartedAt: true,
      lastSyncCompletedAt: true,
      nextSyncAt: true,
      incrementalPausedAt: true,
      createdAt: true,
      deletedAt: true,
      relinkGeneration: true,
    },
  });
  if (!connection) return null;
  const [active, activeCount, recent, counts, history] = await Promise.all([
    db.syncRun.findMany({
      where: { connectionId: id, status: { in: [...SYNC_RUN.active] } },
      orderBy: { createdAt: "asc" },
      take: ACTIVE_SHOWN,
      select: RUN_SELECT,
    }),
    db.syncRun.count({ where: { connectionId: id, status: { in: [...SYNC_RUN.active] } } }),
    db.syncRun.findMany({ where: { connectionId: id }, orderBy: { createdAt: "desc" }, take: RECENT_RUNS, select: RUN_SELECT }),
    // A deleted connection's records are not served, even while the background purge removes them.
    connection.deletedAt ? [] : db.recordCount.findMany({ where: { connectionId: id }, select: { object: true, count: true } }),
    db.event.findMany({
      where: { connectionId: id, type: { in: [...HEALTH_EVENT_TYPES] } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: HEALTH_HISTORY,
      select: { id: true, type: true, data: true, createdAt: true },
    }),
  ]);
  const checkpoints = active.length
    ? await db.checkpoint.findMany({
        where: { syncRunId: { in: active.map((run) => run.id) } },
        select: { syncRunId: true, object: true, pages: true, records: true, completedAt: true },
      })
    : [];
  const platform = getPlatform(connection.platform);
  const objects = platform ? objectKeys(platform) : [];
  // Every platform object, then (by name) any stored object its catalogue does not list.
  const countOf = new Map(counts.map((row) => [row.object, row.count]));
  const others = counts
    .map((row) => row.object)
    .filter((object) => !objects.includes(object))
    .sort();
  const records = [...objects, ...others].map((object) => ({ object, count: countOf.get(object) ?? 0 }));
  const { relinkGeneration, ...fields } = connection;
  const link = relinkUrl(appUrl, { id: connection.id, relinkGeneration });
  return {
    now: new Date().toISOString(),
    connection: {
      ...fields,
      platformName: platform?.name ?? connection.platform,
      lastSyncStartedAt: iso(connection.lastSyncStartedAt),
      lastSyncCompletedAt: iso(connection.lastSyncCompletedAt),
      nextSyncAt: iso(connection.nextSyncAt),
      incrementalPausedAt: iso(connection.incrementalPausedAt),
      createdAt: connection.createdAt.toISOString(),
      deletedAt: iso(connection.deletedAt),
    },
    needsUpdate: connection.health === "NEEDS_UPDATE" ? { detail: connection.healthDetail, linkUrl: link } : null,
    relinkUrl: link,
    objects,
    activeRuns: active.map((run) => ({ ...runJson(run), progress: runProgress(run, checkpoints) })),
    moreActiveRuns: Math.max(0, activeCount - active.length),
    recentRuns: recent.map(runJson),
    records,
    recordsTotal: records.reduce((sum, row) => sum + row.count, 0),
    healthHistory: history.map((event) => {
      const data = (event.data ?? {}) as Record<string, unknown>;
      const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : null);
      return {
        id: event.id,
        type: event.type,
        createdAt: event.createdAt.toISOString(),
        health: text("health") ?? (event.type === "CONNECTION_CREATED" ? "HEALTHY" : null),
        previousHealth: text("previous_health"),
        detail: text("detail"),
        error: text("error"),
        disabledReason: text("disabled_reason"),
      };
    }),
  };
}
