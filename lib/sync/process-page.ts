// A fetched page becomes durable as one unit: records upserted (one statement), change events written
// (one statement), checkpoint advanced — in one transaction, so a process killed at any instant either
// stored the whole page and its cursor or none of it, and resuming from the checkpoint repeats nothing.
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { emitEvent, emitRecordEvents } from "@/lib/events/emit";
import type { ListPage } from "@/lib/platforms/types";
import { contentHash, eventObjectName } from "./hash";
import { markDeletedSql, sweepUnseenSql, upsertRecordsSql, type UpsertScope } from "./sql/upsert-records";

export interface PageOutcome {
  seen: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

export interface ProcessPageInput {
  scope: UpsertScope;
  page: ListPage;
  /** Where the next page starts (the page's nextCursor), saved with the records. */
  checkpoint: { cursor: string | null; windowStart: Date | null; windowEnd: Date | null; completed: boolean };
  /** Whether this run emits <OBJECT>_CREATED/UPDATED/DELETED (off for initial syncs by default). */
  emitDataEvents: boolean;
  /**
   * Full re-sync: stamp every record of the page as seen by this run, and with the last page mark
   * deleted whatever the run did not see (sweepUnseenSql) — in the same transaction, so a crash
   * cannot leave a completed object unswept.
   */
  fullResync?: boolean;
}

export async function processPage(db: Db, input: ProcessPageInput): Promise<PageOutcome> {
  const { scope, page } = input;
  const rows = page.records.map((record) => ({ externalId: record.externalId, data: record.data, hash: contentHash(record.data), platformUpdatedAt: record.updatedAt }));
  return db.$transaction(async (tx) => {
    const changed = rows.length ? await tx.$queryRaw<{ externalId: string; inserted: boolean }[]>(upsertRecordsSql(scope, rows, { markSeen: input.fullResync })) : [];
    const deleted = page.deleted.length ? await tx.$queryRaw<{ externalId: string }[]>(markDeletedSql(scope, page.deleted)) : [];
    if (input.fullResync && input.checkpoint.completed) deleted.push(...(await tx.$queryRaw<{ externalId: string }[]>(sweepUnseenSql(scope))));
    const created = changed.filter((row) => row.inserted).length;
    if (input.emitDataEvents && (changed.length || deleted.length)) {
      const name = eventObjectName(scope.object);
      await emitRecordEvents(tx, scope, [
        ...changed.map((row) => ({ type: `${name}_${row.inserted ? "CREATED" : "UPDATED"}`, externalId: row.externalId })),
        ...deleted.map((row) => ({ type: `${name}_DELETED`, externalId: row.externalId })),
      ]);
    }
    const { checkpoint } = input;
    const [saved] = await tx.$queryRaw<{ pages: number; records: number }[]>`
      insert into checkpoints (id, organization_id, environment, sync_run_id, object, cursor, window_start, window_end, pages, records, completed_at, updated_at)
      values (${newId("chk")}, ${scope.organizationId}, ${scope.environment}::"EnvironmentKind", ${scope.syncRunId}, ${scope.object}, ${checkpoint.cursor},
              ${checkpoint.windowStart}, ${checkpoint.windowEnd}, 1, ${rows.length}, ${checkpoint.completed ? new Date() : null}, now())
      on conflict (sync_run_id, object) do update
        set cursor = excluded.cursor, window_start = excluded.window_start, window_end = excluded.window_end,
            pages = checkpoints.pages + 1, records = checkpoints.records + excluded.records,
            completed_at = excluded.completed_at, updated_at = now()
      returning pages, records`;
    // The object's _SYNC_COMPLETED commits with its last page: a crash cannot complete it silently.
    if (checkpoint.completed) {
      await emitEvent(tx, {
        organizationId: scope.organizationId,
        environment: scope.environment,
        connectionId: scope.connectionId,
        syncRunId: scope.syncRunId,
        type: `${eventObjectName(scope.object)}_SYNC_COMPLETED`,
        object: scope.object,
        data: { connection_id: scope.connectionId, sync_run_id: scope.syncRunId, object: scope.object, records_seen: saved.records, pages: saved.pages },
      });
    }
    // Progress for the stuck-run monitor and the dashboard.
    await tx.$executeRaw`update sync_runs set last_progress_at = now() where id = ${scope.syncRunId}`;
    return { seen: rows.length, created, updated: changed.length - created, deleted: deleted.length, unchanged: rows.length - changed.length };
  });
}
