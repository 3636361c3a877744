// The planner turns a connection's effective configuration and state into its next run (DESIGN.md
// sections 2 and 3): batch 1 (initial), then each historical batch in order, then incremental runs
// every N minutes asking for what changed since the last successful run started. Manual syncs,
// backfills and platform-triggered syncs are queued beside that schedule. One connection has at most
// one run in progress; the others wait queued behind it, oldest first.
import { newId } from "@/lib/db/ids";
import { emitEvent } from "@/lib/events/emit";
import { SYNC_RUN } from "@/lib/lifecycles";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { getPlatform } from "@/lib/platforms/catalog";
import { getConnector } from "@/lib/platforms";
import { batchesTotal, type ConfigurationProblem, type EffectiveConfiguration, type ResolvedBatch } from "./configuration";
import type { SyncEngine } from "./engine";
import { loadEffectiveConfiguration } from "./load-configuration";
import { objectsOfBatch } from "./preview";
import { dailyQuotaState } from "./quota";
import { findObject, objectKeys } from "@/lib/platforms/definition";
import { CodedError, type PublicError } from "@/lib/errors";

type Tx = Parameters<Parameters<SyncEngine["db"]["$transaction"]>[0]>[0];

export class SyncRequestError extends CodedError {
  constructor(
    readonly code: "CONNECTION_NOT_FOUND" | "CONNECTION_NOT_SYNCING" | "INVALID_REQUEST",
    message: string,
    readonly problems: ConfigurationProblem[] = [],
  ) {
    super(message);
    this.name = "SyncRequestError";
  }
  publicError(): PublicError {
    if (this.code === "CONNECTION_NOT_FOUND") return { code: "NOT_FOUND", message: "No such connection" };
    if (this.code === "CONNECTION_NOT_SYNCING") return { code: "CONNECTION_NOT_SYNCING", message: this.message };
    return { code: "INVALID_FIELD", message: this.message, field: this.problems[0]?.path ?? null };
  }
}

/** Calendar months before `anchor` (UTC). */
export function monthsBefore(anchor: Date, months: number): Date {
  const date = new Date(anchor);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date;
}

/** A batch's window, anchored at the start of the connection's first batch so batches meet exactly. */
export function batchWindow(batch: Pick<ResolvedBatch, "fromMonthsAgo" | "toMonthsAgo">, anchor: Date): { start: Date; end: Date | null } {
  return { start: monthsBefore(anchor, batch.fromMonthsAgo), end: batch.toMonthsAgo === 0 ? null : monthsBefore(anchor, batch.toMonthsAgo) };
}

/**
 * The run the connection should execute now, creating it if the schedule says one is due; null when
 * nothing is due (or the connection cannot sync). A paused (rate-limited) run is returned once its
 * resume time has come; no new run starts while the platform's daily allowance is spent.
 */
export async function nextRun(engine: SyncEngine, connectionId: string): Promise<string | null> {
  const { db } = engine;
  const connection = await db.connection.findUnique({ where: { id: connectionId } });
  if (!connection || connection.deletedAt || !connection.platformAccountId) return null;
  const configuration = await loadEffectiveConfiguration(db, connection);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`select 1 from connections where id = ${connectionId} for update`;
    const now = new Date(engine.clock());
    const active = await tx.syncRun.findFirst({ where: { connectionId, status: { in: [...SYNC_RUN.active] } }, orderBy: { createdAt: "asc" } });
    if (active) return active.status === "rate_limited" && active.resumeAt && active.resumeAt > now ? null : active.id;
    const current = await tx.connection.findUniqueOrThrow({ where: { id: connectionId } });
    if (current.health === "NEEDS_UPDATE" || current.health === "DISABLED") return null;
    if (current.nextSyncAt && current.nextSyncAt > now) return null;
    // A spent daily allowance: no new run before the window frees, which becomes the next sync's time
    // (so the worker does not claim the connection again until then, and the status says when).
    const daily = getConnector(current.platform).rateLimit.daily;
    if (daily) {
      const { resumeAt } = await dailyQuotaState(tx, connectionId, daily, { now: now.getTime(), interactive: false });
      if (resumeAt) {
        await tx.connection.update({ where: { id: connectionId }, data: { nextSyncAt: resumeAt } });
        return null;
      }
    }

    if (current.stage !== "ONGOING") {
      const position = current.batchesCompleted + 1;
      const batch = configuration.batches[position - 1];
      if (!batch) {
        // The configuration now has fewer batches than were run: the history is complete.
        await tx.connection.update({
          where: { id: connectionId },
          data: { stage: "ONGOING", batchesTotal: batchesTotal(current.batchesCompleted, configuration.batches.length) },
        });
        return null;
      }
      const anchor = position === 1 ? now : await batchAnchor(tx, connectionId, now);
      const window = batchWindow(batch, anchor);
      const id = await createRun(tx, current, {
        kind: position === 1 ? "initial_batch" : "historical_batch",
        batchPosition: position,
        objects: batchObjects(configuration, position),
        scheduledAt: now,
        windowStart: window.start,
        windowEnd: window.end,
      });
      if (current.batchesTotal !== configuration.batches.length)
        await tx.connection.update({ where: { id: connectionId }, data: { batchesTotal: configuration.batches.length } });
      return id;
    }
    if (current.incrementalPausedAt) return null;
    return createRun(tx, current, {
      kind: "incremental",
      objects: configuration.objects,
      scheduledAt: now,
      updatedSince: incrementalSince(current.lastSuccessfulSyncStartedAt, current.platform),
    });
  });
}

/**
 * A batch's objects, minus those the platform cannot limit to a time window that an earlier batch
 * already fetched whole (Shopify's collections, Zendesk's exports).
 */
export function batchObjects(configuration: EffectiveConfiguration, position: number): string[] {
  return objectsOfBatch(configuration, position, windowlessObjects(configuration.platform));
}

/** The platform's objects it cannot limit to a creation window: fetched whole by the first batch that has them. */
export function windowlessObjects(platform: string): string[] {
  return getConnector(platform)
    .objects.filter((object) => !object.supportsWindow)
    .map((object) => object.key);
}

async function batchAnchor(tx: Tx, connectionId: string, fallback: Date): Promise<Date> {
  const first = await tx.syncRun.findFirst({ where: { connectionId, kind: "initial_batch" }, orderBy: { createdAt: "asc" }, select: { scheduledAt: true } });
  return first?.scheduledAt ?? fallback;
}

function incrementalSince(lastSuccessfulStart: Date | null, platform: string): Date | null {
  if (!lastSuccessfulStart) return null;
  return new Date(lastSuccessfulStart.getTime() - getConnector(platform).incrementalOverlapMs);
}

export interface QueuedRun {
  runId: string;
  /** False when a run that already covers the request was in progress or queued. */
  created: boolean;
}

/**
 * "Sync now". Before the history is complete it just makes the next batch due; afterwards it queues
 * a manual incremental run (or, with `full`, a full re-sync that also detects deletions).
 */
export async function requestSync(engine: SyncEngine, connectionId: string, options: { full?: boolean } = {}): Promise<QueuedRun | null> {
  const { db } = engine;
  const connection = await syncable(engine, connectionId);
  const configuration = await loadEffectiveConfiguration(db, connection);
  const now = new Date(engine.clock());
  if (connection.stage !== "ONGOING") {
    await db.connection.update({ where: { id: connectionId }, data: { nextSyncAt: now } });
    const runId = await nextRun(engine, connectionId);
    return runId ? { runId, created: true } : null;
  }
  return queueRun(engine, connectionId, async (tx) => {
    const pending = await tx.syncRun.findFirst({ where: { connectionId, status: "queued", kind: { in: ["manual", "incremental"] } } });
    if (pending && !options.full) return { runId: pending.id, created: false };
    const runId = await createRun(tx, connection, {
      kind: "manual",
      objects: configuration.objects,
      scheduledAt: now,
      updatedSince: options.full ? null : incrementalSince(connection.lastSuccessfulSyncStartedAt, connection.platform),
    });
    return { runId, created: true };
  });
}

export interface BackfillRequest {
  objects: string[];
  start: Date | null;
  end: Date | null;
}

/**
 * A full re-fetch of chosen objects in a window. Scheduled incremental syncs pause until it ends; a
 * queued incremental run is cancelled (the next one after the backfill covers its changes).
 */
export async function requestBackfill(engine: SyncEngine, connectionId: string, request: BackfillRequest): Promise<QueuedRun> {
  const connection = await syncable(engine, connectionId);
  const platform = getPlatform(connection.platform)!;
  const problems: ConfigurationProblem[] = [];
  if (request.objects.length === 0) problems.push({ path: "objects", message: "choose at least one object" });
  request.objects.forEach((object, i) => {
    if (!findObject(platform, object))
      problems.push({ path: `objects[${i}]`, message: `unknown object "${object}" (${platform.name} offers ${objectKeys(platform).join(", ")})` });
  });
  if (request.start && request.end && request.start >= request.end) problems.push({ path: "end", message: "must be after start" });
  if (problems.length) throw new SyncRequestError("INVALID_REQUEST", problems.map((p) => `${p.path}: ${p.message}`).join("; "), problems);
  // Fetch in dependency order, whatever order they were chosen in.
  const objects = objectKeys(platform).filter((object) => request.objects.includes(object));
  const now = new Date(engine.clock());
  return queueRun(engine, connectionId, async (tx) => {
    await tx.syncRun.updateMany({ where: { connectionId, status: "queued", kind: "incremental" }, data: { status: "cancelled", finishedAt: now } });
    const id = await createRun(tx, connection, { kind: "backfill", objects, scheduledAt: now, windowStart: request.start, windowEnd: request.end });
    await tx.connection.update({ where: { id: connectionId }, data: { incrementalPausedAt: now } });
    await emitEvent(tx, {
      organizationId: connection.organizationId,
      environment: connection.environment,
      connectionId,
      syncRunId: id,
      type: "BACKFILL_STARTED",
      data: {
        connection_id: connectionId,
        sync_run_id: id,
        objects,
        window_start: request.start?.toISOString() ?? null,
        window_end: request.end?.toISOString() ?? null,
      },
    });
    return { runId: id, created: true };
  });
}

/** The platform told us (by its own webhook) that objects changed: an incremental run of just those. */
export async function requestPlatformTriggeredSync(engine: SyncEngine, connectionId: string, objects: string[]): Promise<QueuedRun | null> {
  const connection = await syncable(engine, connectionId);
  if (connection.stage !== "ONGOING" || connection.incrementalPausedAt) return null; // the running stages will fetch it anyway
  const configuration = await loadEffectiveConfiguration(engine.db, connection);
  const wanted = configuration.objects.filter((object) => objects.includes(object));
  if (!wanted.length) return null;
  return queueRun(engine, connectionId, async (tx) => {
    const queued = await tx.syncRun.findFirst({ where: { connectionId, status: "queued", kind: { in: ["platform_triggered", "incremental", "manual"] } } });
    if (queued) {
      // One queued run absorbs every notification that arrives before it starts.
      const merged = configuration.objects.filter((object) => queued.objects.includes(object) || wanted.includes(object));
      if (queued.kind === "platform_triggered") await tx.syncRun.update({ where: { id: queued.id }, data: { objects: merged } });
      return { runId: queued.id, created: false };
    }
    const runId = await createRun(tx, connection, {
      kind: "platform_triggered",
      objects: wanted,
      scheduledAt: new Date(engine.clock()),
      updatedSince: incrementalSince(connection.lastSuccessfulSyncStartedAt, connection.platform),
    });
    return { runId, created: true };
  });
}

type RunFields = Omit<Prisma.SyncRunUncheckedCreateInput, "id" | "organizationId" | "environment" | "connectionId">;

/** A queued run of the connection; returns its id. */
async function createRun(tx: Tx, connection: { id: string; organizationId: string; environment: EnvironmentKind }, fields: RunFields): Promise<string> {
  const id = newId("run");
  await tx.syncRun.create({
    data: { id, organizationId: connection.organizationId, environment: connection.environment, connectionId: connection.id, ...fields },
  });
  return id;
}

async function syncable(engine: SyncEngine, connectionId: string) {
  const connection = await engine.db.connection.findUnique({ where: { id: connectionId } });
  if (!connection || connection.deletedAt) throw new SyncRequestError("CONNECTION_NOT_FOUND", `No connection ${connectionId}`);
  if (connection.health === "NEEDS_UPDATE" || connection.health === "DISABLED") {
    throw new SyncRequestError(
      "CONNECTION_NOT_SYNCING",
      `The connection is ${connection.health === "DISABLED" ? "disabled" : "waiting to be re-linked"} and cannot sync`,
    );
  }
  return connection;
}

async function queueRun(engine: SyncEngine, connectionId: string, create: (tx: Tx) => Promise<QueuedRun>): Promise<QueuedRun> {
  return engine.db.$transaction(async (tx) => {
    await tx.$executeRaw`select 1 from connections where id = ${connectionId} for update`;
    return create(tx);
  });
}
