// A fetched page becomes durable as one unit: records upserted (one statement), change events written
// (one statement), checkpoint advanced — in one transaction, so a process killed at any instant either
// stored the whole page and its cursor or none of it, and resuming from the checkpoint repeats nothing.
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { ListPage } from "@/lib/platforms/types";
import { contentHash, eventObjectName } from "./hash";
import { markDeletedSql, upsertRecordsSql, type UpsertScope } from "./sql/upsert-records";

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
}

export async function processPage(db: Db, input: ProcessPageInput): Promise<PageOutcome> {
  const { scope, page } = input;
  const rows = page.records.map((record) => ({ externalId: record.externalId, data: record.data, hash: contentHash(record.data), platformUpdatedAt: record.updatedAt }));
  return db.$transaction(async (tx) => {
    const changed = rows.length ? await tx.$queryRaw<{ externalId: string; inserted: boolean }[]>(upsertRecordsSql(scope, rows)) : [];
    const deleted = page.deleted.length ? await tx.$queryRaw<{ externalId: string }[]>(markDeletedSql(scope, page.deleted)) : [];
    const created = changed.filter((row) => row.inserted).length;
    if (input.emitDataEvents && (changed.length || deleted.length)) {
      const name = eventObjectName(scope.object);
      const events = [
        ...changed.map((row) => ({ type: `${name}_${row.inserted ? "CREATED" : "UPDATED"}`, externalId: row.externalId })),
        ...deleted.map((row) => ({ type: `${name}_DELETED`, externalId: row.externalId })),
      ];
      await tx.$executeRaw`
        insert into events (id, organization_id, environment, connection_id, sync_run_id, type, object, data)
        select t.id, ${scope.organizationId}, ${scope.environment}::"EnvironmentKind", ${scope.connectionId}, ${scope.syncRunId}, t.type, ${scope.object},
               jsonb_build_object('connection_id', ${scope.connectionId}::text, 'object', ${scope.object}::text, 'id', t.external_id)
        from unnest(${events.map(() => newId("evt"))}::text[], ${events.map((e) => e.type)}::text[], ${events.map((e) => e.externalId)}::text[]) as t(id, type, external_id)`;
    }
    const { checkpoint } = input;
    await tx.$executeRaw`
      insert into checkpoints (id, organization_id, environment, sync_run_id, object, cursor, window_start, window_end, pages, records, completed_at, updated_at)
      values (${newId("chk")}, ${scope.organizationId}, ${scope.environment}::"EnvironmentKind", ${scope.syncRunId}, ${scope.object}, ${checkpoint.cursor},
              ${checkpoint.windowStart}, ${checkpoint.windowEnd}, 1, ${rows.length}, ${checkpoint.completed ? new Date() : null}, now())
      on conflict (sync_run_id, object) do update
        set cursor = excluded.cursor, window_start = excluded.window_start, window_end = excluded.window_end,
            pages = checkpoints.pages + 1, records = checkpoints.records + excluded.records,
            completed_at = excluded.completed_at, updated_at = now()`;
    return { seen: rows.length, created, updated: changed.length - created, deleted: deleted.length, unchanged: rows.length - changed.length };
  });
}
