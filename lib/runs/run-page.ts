// One sync run as its dashboard page reads it: the run, what it did per object, its rate-limit
// pauses, the events it emitted and the platform requests it sent (request-log.ts). Every read is
// scoped by the tenant database or by the run id found through it, and on an index: events by
// (connection_id, created_at) within the run's lifetime, requests by (sync_run_id, seq).
import type { TenantDb } from "@/lib/db/tenant";
import { Prisma } from "@/lib/generated/prisma/client";
import type { SyncRunKind, RunStatus } from "@/lib/generated/prisma/enums";
import type { ObjectStats, RunPause, RunStats } from "@/lib/sync/runner";
import { objectStatsView } from "@/lib/api/runs";
import { SYNC_RUN } from "@/lib/lifecycles";

export const REQUESTS_PAGE_SIZE = 50;
const EVENTS_SHOWN = 20;

export interface RunRequestJson {
  seq: number;
  object: string | null;
  method: string;
  path: string;
  status: number | null;
  latencyMs: number;
  attempt: number;
  rateLimited: boolean;
  bytes: number | null;
  error: string | null;
  sentAt: string;
}

export interface RunRequestPageJson {
  requests: RunRequestJson[];
  /** The seq to pass as `after` for the next page; null on the last. */
  nextAfter: number | null;
}

export interface RunEventSummaryJson {
  id: string;
  type: string;
  object: string | null;
  createdAt: string;
}

export interface RunPageJson {
  now: string;
  active: boolean;
  connection: { id: string; label: string; platform: string; batchesTotal: number };
  run: {
    id: string;
    kind: SyncRunKind;
    status: RunStatus;
    batchPosition: number | null;
    windowStart: string | null;
    windowEnd: string | null;
    updatedSince: string | null;
    attempt: number;
    scheduledAt: string;
    startedAt: string | null;
    finishedAt: string | null;
    resumeAt: string | null;
    error: { kind: string; message: string } | null;
  };
  totals: { requests: number; rateLimited: number; retries: number };
  objects: (Pick<ObjectStats, "status" | "requests" | "pages" | "created" | "updated" | "deleted" | "unchanged" | "rate_limited" | "retries" | "error"> & {
    object: string;
  })[];
  pauses: RunPause[];
  events: { total: number; latest: RunEventSummaryJson[] };
  requestLog: {
    /** Rows kept (the first and last of a long run and every failure); `requests` counts them all. */
    kept: number;
    failures: number;
    firstPage: RunRequestPageJson;
  };
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The run's page, or null when the run is not this connection's (or not in the tenant's scope). */
export async function getRunPage(db: TenantDb, connectionId: string, runId: string, now = new Date()): Promise<RunPageJson | null> {
  const run = await db.syncRun.findFirst({
    where: { id: runId, connectionId },
    include: { connection: { select: { id: true, accountName: true, platformAccountId: true, platform: true, batchesTotal: true } } },
  });
  if (!run) return null;
  const stats = (run.stats ?? {}) as Partial<RunStats>;
  // The run's events were written between its creation and its end (now, while it is active). Its end
  // is the engine's clock and events' times the database's: an hour's margin covers their skew.
  const until = new Date((run.finishedAt ?? now).getTime() + 3_600_000);
  const [events, counts, firstPage] = await Promise.all([
    db.$queryRaw<RunEventSummaryJson[]>(Prisma.sql`
      select id, type, object, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt"
      from events
      where connection_id = ${connectionId} and sync_run_id = ${run.id} and created_at between ${run.createdAt} and ${until}
      order by created_at desc, id desc
      limit ${EVENTS_SHOWN}`),
    db.$queryRaw<{ events: number; kept: number; failures: number }[]>(Prisma.sql`
      select (select count(*)::int from events where connection_id = ${connectionId} and sync_run_id = ${run.id} and created_at between ${run.createdAt} and ${until}) as events,
             (select count(*)::int from platform_requests where sync_run_id = ${run.id}) as kept,
             (select count(*)::int from platform_requests where sync_run_id = ${run.id} and (status is null or status >= 400)) as failures`),
    getRunRequests(db, run.id, { after: 0, failuresOnly: false }),
  ]);
  return {
    now: now.toISOString(),
    active: SYNC_RUN.isActive(run.status),
    connection: {
      id: run.connection.id,
      label: run.connection.accountName ?? run.connection.platformAccountId ?? run.connection.id,
      platform: run.connection.platform,
      batchesTotal: run.connection.batchesTotal,
    },
    run: {
      id: run.id,
      kind: run.kind,
      status: run.status,
      batchPosition: run.batchPosition,
      windowStart: iso(run.windowStart),
      windowEnd: iso(run.windowEnd),
      updatedSince: iso(run.updatedSince),
      attempt: run.attempt,
      scheduledAt: run.scheduledAt.toISOString(),
      startedAt: iso(run.startedAt),
      finishedAt: iso(run.finishedAt),
      resumeAt: iso(run.resumeAt),
      error: (run.error ?? null) as { kind: string; message: string } | null,
    },
    totals: { requests: stats.requests ?? 0, rateLimited: stats.rate_limited ?? 0, retries: stats.retries ?? 0 },
    objects: run.objects.map((object) => objectStatsView(object, stats.objects?.[object])),
    pauses: stats.pauses ?? [],
    events: { total: counts[0].events, latest: events },
    requestLog: { kept: counts[0].kept, failures: counts[0].failures, firstPage },
  };
}

/**
 * A page of the run's kept requests in the order they were sent, after `after` (a seq); only those
 * that failed (no answer, 4xx, 5xx) with `failuresOnly`. The caller has found the run in its scope.
 */
export async function getRunRequests(
  db: TenantDb,
  runId: string,
  query: { after: number; failuresOnly: boolean },
  limit = REQUESTS_PAGE_SIZE,
): Promise<RunRequestPageJson> {
  const rows = await db.$queryRaw<RunRequestJson[]>(Prisma.sql`
    select seq, object, method, path, status, latency_ms as "latencyMs", attempt, rate_limited as "rateLimited", bytes, error,
           to_char(sent_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "sentAt"
    from platform_requests
    where sync_run_id = ${runId} and seq > ${query.after}
      ${query.failuresOnly ? Prisma.sql`and (status is null or status >= 400)` : Prisma.empty}
    order by seq
    limit ${limit + 1}`);
  const page = rows.slice(0, limit);
  return { requests: page, nextAfter: rows.length > limit ? page.at(-1)!.seq : null };
}

export type RequestQueryResult = { ok: true; after: number; failuresOnly: boolean } | { ok: false; field: "after" | "failures"; message: string };

/** ?after=<seq>&failures=1 of the requests route; a bad value is named, not ignored. */
export function parseRequestQuery(params: URLSearchParams): RequestQueryResult {
  const after = params.get("after") ?? "0";
  if (!/^\d{1,9}$/.test(after)) return { ok: false, field: "after", message: "after: not a request number this log returned" };
  const failures = params.get("failures") ?? "0";
  if (failures !== "0" && failures !== "1") return { ok: false, field: "failures", message: "failures: must be 0 or 1" };
  return { ok: true, after: Number(after), failuresOnly: failures === "1" };
}
