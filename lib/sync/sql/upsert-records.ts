// One page of records in one statement: insert new ones, update those whose content hash changed
// (or that were deleted and came back), leave identical ones alone. Returns what it created and
// updated, so the caller emits exactly those change events. `xmax = 0` tells an insert from an update.
import { Prisma } from "@/lib/generated/prisma/client";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";

export interface RecordRow {
  externalId: string;
  data: unknown;
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

export function upsertRecordsSql(scope: UpsertScope, rows: RecordRow[]): Prisma.Sql {
  return Prisma.sql`
    insert into records (organization_id, environment, connection_id, object, external_id, data, hash, platform_updated_at, last_sync_run_id)
    select ${scope.organizationId}, ${scope.environment}::"EnvironmentKind", ${scope.connectionId}, ${scope.object}, t.external_id, t.data, t.hash, t.platform_updated_at, ${scope.syncRunId}
    from unnest(
      ${rows.map((r) => r.externalId)}::text[],
      ${rows.map((r) => JSON.stringify(r.data))}::jsonb[],
      ${rows.map((r) => r.hash)}::text[],
      ${rows.map((r) => r.platformUpdatedAt)}::timestamptz[]
    ) as t(external_id, data, hash, platform_updated_at)
    on conflict (connection_id, object, external_id) do update
      set data = excluded.data,
          hash = excluded.hash,
          platform_updated_at = excluded.platform_updated_at,
          last_modified_at = now(),
          deleted_at = null,
          last_sync_run_id = excluded.last_sync_run_id
      where records.hash <> excluded.hash or records.deleted_at is not null
    returning external_id as "externalId", (xmax = 0) as inserted`;
}

/** Marks the named records deleted (once); returns the ones it marked. */
export function markDeletedSql(scope: Omit<UpsertScope, "syncRunId" | "environment">, externalIds: string[]): Prisma.Sql {
  return Prisma.sql`
    update records set deleted_at = now(), last_modified_at = now()
    where connection_id = ${scope.connectionId} and object = ${scope.object} and organization_id = ${scope.organizationId}
      and external_id = any(${externalIds}::text[]) and deleted_at is null
    returning external_id as "externalId"`;
}
