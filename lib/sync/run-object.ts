// Syncs one object of one run: resumes from the run's checkpoint for that object, then fetches and
// processes pages until the platform has no next page. Each page is durable on its own
// (process-page.ts), so a crash or a pause loses at most the page in flight. The object's
// <OBJECT>_SYNC_STARTED / _COMPLETED / _FAILED events pair by run id.
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { ConnectorError, type Connector, type ConnectorContext } from "@/lib/platforms/types";
import { eventObjectName } from "./hash";
import { processPage, type PageOutcome } from "./process-page";
import type { UpsertScope } from "./sql/upsert-records";

export interface ObjectRunInput {
  scope: UpsertScope;
  connector: Connector;
  context: ConnectorContext;
  window?: { start: Date | null; end: Date | null };
  updatedSince?: Date | null;
  emitDataEvents: boolean;
  /** Called before each request, so the caller's rate limiter can make it wait. */
  beforeRequest?: () => Promise<void>;
}

export interface ObjectRunOutcome extends PageOutcome {
  pages: number;
  requests: number;
}

export async function runObject(db: Db, input: ObjectRunInput): Promise<ObjectRunOutcome> {
  const { scope } = input;
  const saved = await db.checkpoint.findUnique({ where: { syncRunId_object: { syncRunId: scope.syncRunId, object: scope.object } } });
  const totals: ObjectRunOutcome = { seen: 0, created: 0, updated: 0, deleted: 0, unchanged: 0, pages: 0, requests: 0 };
  if (saved?.completedAt) return totals;
  if (!saved) await emit(db, scope, "SYNC_STARTED", {});
  let cursor = saved?.cursor ?? null;
  try {
    for (;;) {
      await input.beforeRequest?.();
      const page = await input.connector.list(input.context, { object: scope.object, cursor, window: input.window, updatedSince: input.updatedSince });
      const done = page.nextCursor === null;
      const outcome = await processPage(db, {
        scope,
        page,
        checkpoint: { cursor: page.nextCursor, windowStart: input.window?.start ?? null, windowEnd: input.window?.end ?? null, completed: done },
        emitDataEvents: input.emitDataEvents,
      });
      totals.pages++;
      totals.requests += page.requests;
      for (const key of ["seen", "created", "updated", "deleted", "unchanged"] as const) totals[key] += outcome[key];
      if (done) break;
      cursor = page.nextCursor;
    }
  } catch (error) {
    // Rate limits pause the run (it resumes from the checkpoint); everything else fails this object.
    if (!(error instanceof ConnectorError && error.kind === "rate_limited")) {
      await emit(db, scope, "SYNC_FAILED", { error: error instanceof ConnectorError ? error.kind : "internal", message: error instanceof Error ? error.message : String(error) });
    }
    throw error;
  }
  await emit(db, scope, "SYNC_COMPLETED", { records_seen: totals.seen, created: totals.created, updated: totals.updated, deleted: totals.deleted, pages: totals.pages });
  return totals;
}

async function emit(db: Db, scope: UpsertScope, suffix: string, data: Record<string, unknown>): Promise<void> {
  await db.event.create({
    data: {
      id: newId("evt"),
      organizationId: scope.organizationId,
      environment: scope.environment,
      connectionId: scope.connectionId,
      syncRunId: scope.syncRunId,
      type: `${eventObjectName(scope.object)}_${suffix}`,
      object: scope.object,
      data: { connection_id: scope.connectionId, sync_run_id: scope.syncRunId, object: scope.object, ...data },
    },
  });
}
