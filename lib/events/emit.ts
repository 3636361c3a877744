// Writing events (DESIGN.md section 5). Events are the outbox: each is written in the same transaction
// as the change it reports, so a change without its event (or the reverse) can never be observed.
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { Prisma } from "@/lib/generated/prisma/client";

/** A client or an interactive transaction: events are written with whatever the change is written with. */
export type DbClient = Pick<Db, "event">;

export interface EventInput {
  organizationId: string;
  environment: EnvironmentKind;
  connectionId?: string | null;
  syncRunId?: string | null;
  type: string;
  object?: string | null;
  data: Record<string, unknown>;
}

export async function emitEvent(db: DbClient, input: EventInput): Promise<string> {
  const id = newId("evt");
  await db.event.create({
    data: {
      id,
      organizationId: input.organizationId,
      environment: input.environment,
      connectionId: input.connectionId ?? null,
      syncRunId: input.syncRunId ?? null,
      type: input.type,
      object: input.object ?? null,
      data: input.data as Prisma.InputJsonValue,
    },
  });
  return id;
}

export interface RecordEventScope {
  organizationId: string;
  environment: EnvironmentKind;
  connectionId: string;
  /** Null for a record written through the API (lib/sync/writes.ts): no run stored it. */
  syncRunId: string | null;
  object: string;
}

/** <OBJECT>_CREATED/UPDATED/DELETED events for many records, as one statement (the caller runs it in its transaction). */
export function recordEventsSql(scope: RecordEventScope, events: { type: string; externalId: string }[]): Prisma.Sql {
  return Prisma.sql`
    insert into events (id, organization_id, environment, connection_id, sync_run_id, type, object, data, external_id)
    select t.id, ${scope.organizationId}, ${scope.environment}::"EnvironmentKind", ${scope.connectionId}, ${scope.syncRunId}, t.type, ${scope.object},
           jsonb_build_object('connection_id', ${scope.connectionId}::text, 'object', ${scope.object}::text, 'id', t.external_id), t.external_id
    from unnest(${events.map(() => newId("evt"))}::text[], ${events.map((e) => e.type)}::text[], ${events.map((e) => e.externalId)}::text[]) as t(id, type, external_id)`;
}

/** An event as a statement writes it: with an id or a time the writer needs before the statement runs. */
export interface EventRow extends EventInput {
  /** Given when the writer uses it before reading the event back (a sync job run attempts its delivery). */
  id?: string;
  createdAt?: Date;
  /** Addressed to one endpoint (isAddressedEvent): its delivery is written with it, so fan-out skips it. */
  fannedOut?: boolean;
}

/**
 * One event as a statement, for writers that run raw SQL in their own transaction. With `from`, the
 * name of a preceding CTE of the caller's statement, one event is written per row that CTE returns:
 * none when the write it follows matched nothing.
 */
export function eventSql(input: EventRow, options: { from?: string } = {}): Prisma.Sql {
  if (options.from !== undefined && !/^[a-z_]+$/.test(options.from)) throw new Error(`eventSql: "${options.from}" is not a CTE name`);
  return Prisma.sql`
    insert into events (id, organization_id, environment, connection_id, sync_run_id, type, object, data, created_at, fanned_out_at)
    select ${input.id ?? newId("evt")}, ${input.organizationId}, ${input.environment}::"EnvironmentKind", ${input.connectionId ?? null}, ${input.syncRunId ?? null},
           ${input.type}, ${input.object ?? null}, ${JSON.stringify(input.data)}::jsonb, coalesce(${input.createdAt ?? null}::timestamptz, now()),
           case when ${input.fannedOut ?? false}::boolean then now() end
    ${options.from ? Prisma.raw(`from ${options.from}`) : Prisma.empty}`;
}
