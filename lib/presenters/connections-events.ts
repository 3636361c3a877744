// A connection's event log on its dashboard page: newest first, optionally one type, keyset-paginated
// on (created_at, id). Events of one transaction share created_at (now() is the transaction's start),
// so the id breaks ties. Both orders are on an index: (connection_id, created_at) for every type and
// (connection_id, type, created_at) for one (a rare type among a connection's 200k data events took
// 195 ms without it, 0.3 ms with it). One record's events are on (connection_id, external_id, created_at).
import type { TenantDb, TenantScope } from "@/lib/db/tenant";
import { CONNECTION_EVENTS, RUN_EVENTS } from "@/lib/events/catalog";
import { Prisma } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/db/ids";
import { isSaneInstant, isoInstant } from "@/lib/input";
import { getPlatform } from "@/lib/platforms/catalog";

export const EVENTS_PAGE_SIZE = 25;

export interface EventJson {
  id: string;
  type: string;
  object: string | null;
  syncRunId: string | null;
  createdAt: string;
  data: unknown;
}

export interface EventPageJson {
  events: EventJson[];
  nextCursor: string | null;
}

/** The types a connection of this platform can have, for the log's filter: lifecycle, runs, then per object. */
export function eventTypesFor(platformKey: string): string[] {
  const platform = getPlatform(platformKey);
  const perObject = (platform?.objects ?? []).flatMap((object) => {
    const name = object.event;
    return ["SYNC_STARTED", "SYNC_COMPLETED", "SYNC_FAILED", "CREATED", "UPDATED", "DELETED"].map((suffix) => `${name}_${suffix}`);
  });
  return [...CONNECTION_EVENTS, ...RUN_EVENTS, ...perObject];
}

interface EventCursor {
  at: string;
  id: string;
}

export function encodeEventCursor(cursor: EventCursor): string {
  return Buffer.from(JSON.stringify(["e", cursor.at, cursor.id])).toString("base64url");
}

export function decodeEventCursor(value: string | null | undefined): EventCursor | null {
  if (!value || value.length > 500) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 3) return null;
    const [kind, at, id] = parsed as unknown[];
    if (kind !== "e" || typeof at !== "string" || typeof id !== "string" || !/^evt_[0-9A-Za-z]{1,64}$/.test(id)) return null;
    // The time goes to PostgreSQL as written by toISOString: only instants both represent.
    const date = new Date(at);
    return isSaneInstant(date) ? { at: date.toISOString(), id } : null;
  } catch {
    return null;
  }
}

/** The log's filters, each optional: an event, a record (Tributary's rec_ id or the platform's), a run, a type, a time range. */
export interface EventFilters {
  type: string | null;
  eventId: string | null;
  record: string | null;
  runId: string | null;
  from: Date | null;
  to: Date | null;
}

export type EventQuery = EventFilters & { cursor: EventCursor | null };

export type EventQueryResult =
  ({ ok: true } & EventQuery) | { ok: false; field: "type" | "cursor" | "event_id" | "record_id" | "run_id" | "from" | "to"; message: string };

const instantSchema = isoInstant("must be a UTC date-time such as 2026-01-31T18:00:00Z");

/** The log's query string for this platform's connection; a bad value is named, not ignored (the client made it). */
export function parseEventQuery(platform: string, params: URLSearchParams): EventQueryResult {
  const type = params.get("type") || null;
  if (type && !eventTypesFor(platform).includes(type)) return { ok: false, field: "type", message: `type: ${type} is not an event type of this connection` };
  const raw = params.get("cursor");
  const cursor = decodeEventCursor(raw);
  if (raw && !cursor) return { ok: false, field: "cursor", message: "cursor: not one this log returned" };
  const eventId = params.get("event_id")?.trim() || null;
  if (eventId && !isId("evt", eventId)) return { ok: false, field: "event_id", message: "event_id: not an event id (evt_…)" };
  const record = params.get("record_id")?.trim() || null;
  if (record && (record.length > 255 || /[\u0000-\u001f]/.test(record)))
    return { ok: false, field: "record_id", message: "record_id: a record id (rec_…) or the platform's id, at most 255 characters" };
  const runId = params.get("run_id")?.trim() || null;
  if (runId && !isId("run", runId)) return { ok: false, field: "run_id", message: "run_id: not a sync run id (run_…)" };
  const bounds: Record<"from" | "to", Date | null> = { from: null, to: null };
  for (const field of ["from", "to"] as const) {
    const value = params.get(field);
    if (!value) continue;
    const parsed = instantSchema.safeParse(value);
    if (!parsed.success) return { ok: false, field, message: `${field}: ${parsed.error.issues[0].message}` };
    bounds[field] = new Date(parsed.data);
  }
  if (bounds.from && bounds.to && bounds.from >= bounds.to) return { ok: false, field: "to", message: "to: must be after from" };
  return { ok: true, type, cursor, eventId, record, runId, ...bounds };
}

type EventRow = { id: string; type: string; object: string | null; syncRunId: string | null; createdAt: string; data: unknown };

const RECORD_ID = /^rec_([0-9A-F]{16})$/;

/**
 * The filter for one record's events, on the (connection_id, external_id, created_at) index: a
 * Tributary id is resolved to its object and platform id first (an id naming no record of this
 * connection matches nothing); any other value is the platform's id, in whichever object.
 */
async function recordFilter(db: TenantDb, connectionId: string, record: string): Promise<Prisma.Sql> {
  const match = RECORD_ID.exec(record);
  if (!match) return Prisma.sql`and external_id = ${record}`;
  const rows = await db.$queryRaw<{ object: string; externalId: string }[]>(Prisma.sql`
    select object, external_id as "externalId" from records where id = ${BigInt(`0x${match[1]}`)} and connection_id = ${connectionId}`);
  if (rows.length === 0) return Prisma.sql`and false`;
  return Prisma.sql`and external_id = ${rows[0].externalId} and object = ${rows[0].object}`;
}

export async function getConnectionEvents(
  db: TenantDb,
  scope: TenantScope,
  connectionId: string,
  query: Pick<EventQuery, "type" | "cursor"> & Partial<EventFilters>,
  limit = EVENTS_PAGE_SIZE,
): Promise<EventPageJson> {
  // A run's events lie within its lifetime: that bounds the scan of the connection's events by time.
  // Its end is the engine's clock and events' times the database's: an hour's margin covers their skew.
  const run = query.runId ? await db.syncRun.findFirst({ where: { id: query.runId, connectionId }, select: { createdAt: true, finishedAt: true } }) : null;
  if (query.runId && !run) return { events: [], nextCursor: null };
  const rows = await db.$queryRaw<EventRow[]>(Prisma.sql`
    select id, type, object, sync_run_id as "syncRunId", data,
           to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt"
    from events
    where connection_id = ${connectionId} and organization_id = ${scope.organizationId} and environment = ${scope.environment}::"EnvironmentKind"
      ${query.type ? Prisma.sql`and type = ${query.type}` : Prisma.empty}
      ${query.eventId ? Prisma.sql`and id = ${query.eventId}` : Prisma.empty}
      ${query.record ? await recordFilter(db, connectionId, query.record) : Prisma.empty}
      ${query.runId && run ? Prisma.sql`and sync_run_id = ${query.runId} and created_at >= ${run.createdAt}${run.finishedAt ? Prisma.sql` and created_at <= ${run.finishedAt}::timestamptz + interval '1 hour'` : Prisma.empty}` : Prisma.empty}
      ${query.from ? Prisma.sql`and created_at >= ${query.from}` : Prisma.empty}
      ${query.to ? Prisma.sql`and created_at < ${query.to}` : Prisma.empty}
      ${query.cursor ? Prisma.sql`and (created_at, id) < (${query.cursor.at}::timestamptz, ${query.cursor.id})` : Prisma.empty}
    order by created_at desc, id desc
    limit ${limit + 1}`);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { events: page, nextCursor: rows.length > limit && last ? encodeEventCursor({ at: last.createdAt, id: last.id }) : null };
}
