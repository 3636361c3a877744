// One page of records in one statement: insert new ones, update those whose content hash changed
// (or that were deleted and came back), leave identical ones alone. Returns what it created and
// updated, so the caller emits exactly those change events. `xmax = 0` tells an insert from an update.
//
// Full re-syncs also need to know which stored records the platform no longer has. In that mode
// (`markSeen`) every row of the page is stamped with the run's id, changed or not, and a record's
// content timestamps move only when its content did; the pre-image CTE (same snapshot as the upsert)
// tells a real change from a stamp. After the object's last page, `sweepUnseenSql` marks deleted what
// the run never saw.
//
// The platform's own payload (platform_data) is written with the data but is not hashed: a record
// whose unified data did not change keeps the payload it has, so a change only the platform's payload
// shows (a field the model does not carry) is no update, emits no event and moves no timestamp. Nearly
// every model carries the platform's updated_at, so a change the platform stamps refreshes both; a full
// re-sync rewrites the payload of every row it sees.
import { Prisma } from "@/lib/generated/prisma/client";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";

export interface RecordRow {
  externalId: string;
  /** The unified data as JSON text: its canonical form (lib/sync/hash.ts), already written for the hash. */
  dataJson: string;
  /** The platform's own payload as stored (lib/sync/payloads.ts), beside the data and left out of the hash. */
  platformData: Buffer | null;
  hash: string;
  platformUpdatedAt: Date | null;
}

export interface UpsertScope {
  organizationId: string;
  environment: EnvironmentKind;
  connectionId: string;
  object: string;
  syncRunId: string;
}

/** `syncRunId` null: a record stored from a write's answer (lib/sync/writes.ts), by no run. */
export function upsertRecordsSql(
  scope: Omit<UpsertScope, "syncRunId"> & { syncRunId: string | null },
  rows: RecordRow[],
  options: { markSeen?: boolean } = {},
): Prisma.Sql {
  // The page travels as one JSON document: records nest as they are, with no per-record encoding or
  // array-literal escaping (which cost more than PostgreSQL's own work on the page). It is written
  // around each record's data text from the hash rather than serializing the data a second time.
  // The platform's payload rides in the same document and statement, deflated, as base64.
  let page = "[";
  for (const r of rows) {
    page += `${page.length > 1 ? "," : ""}{"external_id":${JSON.stringify(r.externalId)},"data":${r.dataJson},"platform_data":${r.platformData ? `"${r.platformData.toString("base64")}"` : "null"},"hash":"${r.hash}","platform_updated_at":${r.platformUpdatedAt ? `"${r.platformUpdatedAt.toISOString()}"` : "null"}}`;
  }
  page += "]";
  // A write's answer (no run) is marked written now; a sync's page keeps whatever mark a record has.
  const writtenAt = scope.syncRunId === null ? Prisma.sql`now()` : Prisma.sql`null::timestamptz`;
  const source = Prisma.sql`
    select ${scope.organizationId}, ${scope.environment}::"EnvironmentKind", ${scope.connectionId}, ${scope.object}, t.external_id, t.data, decode(t.platform_data, 'base64'), t.hash, t.platform_updated_at, ${scope.syncRunId}, ${writtenAt}
    from jsonb_to_recordset(${page}::jsonb) as t(external_id text, data jsonb, platform_data text, hash text, platform_updated_at timestamptz)`;
  const columns = Prisma.sql`(organization_id, environment, connection_id, object, external_id, data, platform_data, hash, platform_updated_at, last_sync_run_id, written_at)`;
  if (!options.markSeen) {
    return Prisma.sql`
      insert into records ${columns} ${source}
      on conflict (connection_id, object, external_id) do update
        set data = excluded.data,
            platform_data = excluded.platform_data,
            hash = excluded.hash,
            platform_updated_at = excluded.platform_updated_at,
            last_modified_at = now(),
            deleted_at = null,
            last_sync_run_id = excluded.last_sync_run_id,
            written_at = coalesce(excluded.written_at, records.written_at)
        where records.hash <> excluded.hash or records.deleted_at is not null
      returning external_id as "externalId", (xmax = 0) as inserted`;
  }
  const changed = Prisma.sql`(records.hash <> excluded.hash or records.deleted_at is not null)`;
  return Prisma.sql`
    with before as (
      select external_id, hash, deleted_at from records
      where connection_id = ${scope.connectionId} and object = ${scope.object} and external_id = any(${rows.map((r) => r.externalId)}::text[])
    ), written as (
      insert into records ${columns} ${source}
      on conflict (connection_id, object, external_id) do update
        set data = excluded.data,
            platform_data = excluded.platform_data,
            hash = excluded.hash,
            platform_updated_at = case when ${changed} then excluded.platform_updated_at else records.platform_updated_at end,
            last_modified_at = case when ${changed} then now() else records.last_modified_at end,
            deleted_at = null,
            last_sync_run_id = excluded.last_sync_run_id,
            written_at = coalesce(excluded.written_at, records.written_at)
      returning external_id, hash, (xmax = 0) as inserted
    )
    select w.external_id as "externalId", w.inserted
    from written w left join before b on b.external_id = w.external_id
    where w.inserted or b.hash <> w.hash or b.deleted_at is not null`;
}

/** Marks the named records deleted (once); returns the ones it marked. `written`: deleted through the API. */
export function markDeletedSql(scope: Omit<UpsertScope, "syncRunId" | "environment">, externalIds: string[], options: { written?: boolean } = {}): Prisma.Sql {
  return Prisma.sql`
    update records set deleted_at = now(), last_modified_at = now()${options.written ? Prisma.sql`, written_at = now()` : Prisma.empty}
    where connection_id = ${scope.connectionId} and object = ${scope.object} and organization_id = ${scope.organizationId}
      and external_id = any(${externalIds}::text[]) and deleted_at is null
    returning external_id as "externalId"`;
}

/**
 * After a full re-sync of one object succeeded: every live record the run did not stamp is gone from
 * the platform. Marks them deleted and returns them (the caller writes their <OBJECT>_DELETED events
 * in the same transaction).
 */
export function sweepUnseenSql(scope: UpsertScope): Prisma.Sql {
  return Prisma.sql`
    update records set deleted_at = now(), last_modified_at = now()
    where connection_id = ${scope.connectionId} and object = ${scope.object} and deleted_at is null
      and last_sync_run_id is distinct from ${scope.syncRunId}
    returning external_id as "externalId"`;
}
