// Syncs one object of one run: resumes from the run's checkpoint for that object, then fetches and
// processes pages until the platform has no next page, fetching one page ahead. Each page is durable on its own
// (process-page.ts), so a crash or a pause loses at most the page in flight. The object's
// <OBJECT>_SYNC_STARTED is written with its first (empty) checkpoint, so a retried or resumed object
// never announces itself twice; _COMPLETED commits with the last page and _FAILED is written by the runner, which decides
// when retries are exhausted.
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { emitEvent } from "@/lib/events/emit";
import type { ListPage, ListRequest } from "@/lib/platforms/types";
import { objectEventName } from "@/lib/platforms/catalog";
import { RunYield } from "./lease";
import { preparePage, processPage, type PageOutcome } from "./process-page";
import type { UpsertScope } from "./sql/upsert-records";

export interface ObjectRunInput {
  scope: UpsertScope;
  /** One page from the platform: the connection's platform session (platform-session.ts) in a run. */
  list: (request: ListRequest) => Promise<ListPage>;
  window?: { start: Date | null; end: Date | null };
  updatedSince?: Date | null;
  emitDataEvents: boolean;
  /** Whether the records' platform payloads are stored (the environment's keepPlatformData; default on). */
  keepPlatformData?: boolean;
  /** A full re-sync: what the platform no longer lists is marked deleted when the object completes. */
  fullResync?: boolean;
  leaseOwner?: string | null;
  /** Asked after each stored page: true stops the object there (RunYield); it resumes from the checkpoint. */
  shouldYield?: () => boolean;
  /** Told after each stored page what it held: a run's statistics (and so its progress) grow page by page. */
  onPage?: (outcome: ObjectRunOutcome) => void | Promise<void>;
}

export interface ObjectRunOutcome extends PageOutcome {
  pages: number;
  requests: number;
}

export async function runObject(db: Db, input: ObjectRunInput): Promise<ObjectRunOutcome> {
  const { scope } = input;
  const totals: ObjectRunOutcome = { seen: 0, created: 0, updated: 0, deleted: 0, unchanged: 0, pages: 0, requests: 0 };
  const saved = await startObject(db, input);
  if (saved.completedAt) return totals;
  // One page ahead: the next page is fetched, hashed and its payloads deflated while this one is
  // written, so the platform, this thread and the database work at the same time. A prefetch that
  // fails surfaces after this page is stored.
  const list = (cursor: string | null) =>
    input
      .list({ object: scope.object, cursor, window: input.window, updatedSince: input.updatedSince })
      .then((page) => ({ page, prepared: preparePage(scope, page, input.keepPlatformData !== false) }));
  let next = list(saved.cursor);
  for (;;) {
    const { page, prepared } = await next;
    const done = page.nextCursor === null;
    if (!done) {
      next = list(page.nextCursor);
      next.catch(() => undefined);
    }
    const outcome = await processPage(db, {
      scope,
      page,
      prepared,
      checkpoint: { cursor: page.nextCursor, windowStart: input.window?.start ?? null, windowEnd: input.window?.end ?? null, completed: done },
      emitDataEvents: input.emitDataEvents,
      keepPlatformData: input.keepPlatformData,
      fullResync: input.fullResync,
      leaseOwner: input.leaseOwner,
    });
    totals.pages++;
    totals.requests += page.requests;
    for (const key of ["seen", "created", "updated", "deleted", "unchanged"] as const) totals[key] += outcome[key];
    await input.onPage?.({ ...outcome, pages: 1, requests: page.requests });
    if (done) break;
    if (input.shouldYield?.()) throw new RunYield();
  }
  return totals;
}

/** The object's checkpoint, created with its SYNC_STARTED event the first time. */
async function startObject(db: Db, input: ObjectRunInput): Promise<{ cursor: string | null; completedAt: Date | null }> {
  const { scope } = input;
  const where = { syncRunId_object: { syncRunId: scope.syncRunId, object: scope.object } };
  const saved = await db.checkpoint.findUnique({ where, select: { cursor: true, completedAt: true } });
  if (saved) return saved;
  return db.$transaction(async (tx) => {
    const created = await tx.checkpoint.create({
      data: {
        id: newId("chk"),
        organizationId: scope.organizationId,
        environment: scope.environment,
        syncRunId: scope.syncRunId,
        object: scope.object,
        windowStart: input.window?.start ?? null,
        windowEnd: input.window?.end ?? null,
      },
      select: { cursor: true, completedAt: true },
    });
    const window = input.window ? { window_start: input.window.start?.toISOString() ?? null, window_end: input.window.end?.toISOString() ?? null } : {};
    await emitObjectEvent(tx, scope, "SYNC_STARTED", { ...window, updated_since: input.updatedSince?.toISOString() ?? null });
    return created;
  });
}

export async function emitObjectEvent(
  db: Parameters<typeof emitEvent>[0],
  scope: UpsertScope,
  suffix: "SYNC_STARTED" | "SYNC_FAILED",
  data: Record<string, unknown>,
): Promise<void> {
  await emitEvent(db, {
    organizationId: scope.organizationId,
    environment: scope.environment,
    connectionId: scope.connectionId,
    syncRunId: scope.syncRunId,
    type: `${objectEventName(scope.object)}_${suffix}`,
    object: scope.object,
    data: { connection_id: scope.connectionId, sync_run_id: scope.syncRunId, object: scope.object, ...data },
  });
}
