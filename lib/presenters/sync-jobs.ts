// Reads for the Sync jobs pages: the list (jobs with their run counts, recent runs, cron triggers),
// one job (its definition as a dependency tree, its runs and triggers, and what a new run may target:
// connections of its category, enabled endpoints) and one run (live progress per resource, what it
// waits for, its event stream with each event's delivery). The run page renders the run's JSON and
// its live route (React Query polls it every second while the run is active) returns the same JSON.
import type { TenantDb, TenantScope } from "@/lib/db/tenant";
import { JOB_EVENTS } from "@/lib/events/catalog";
import { SYNC_JOB_RUN } from "@/lib/lifecycles";
import { Prisma } from "@/lib/generated/prisma/client";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import { PLATFORM_CATALOG, platformName } from "@/lib/platforms/catalog";
import { executionOrder, type JobResourceDefinition } from "@/lib/jobs/definition";
import { JOB_CATEGORIES, jobResources } from "@/lib/jobs/resources";
import type { ResourceProgress } from "@/lib/jobs/run-state";
import { jobDefinitionOf } from "@/lib/jobs/store";

const LIMIT = 100;
const RECENT_RUNS = 20;
/** Events shown on a run's page: the newest ones, oldest first. */
export const RUN_EVENTS_SHOWN = 100;

const iso = (date: Date | null) => date?.toISOString() ?? null;

const connectionLabel = { select: { id: true, platform: true, accountName: true, platformAccountId: true } } as const;

export interface ConnectionOption {
  id: string;
  label: string;
  platform: string;
  platformName: string;
}

function labelOf(connection: { id: string; platform: string; accountName: string | null; platformAccountId: string | null }): ConnectionOption {
  return {
    id: connection.id,
    platform: connection.platform,
    platformName: platformName(connection.platform),
    label: `${connection.accountName ?? connection.platformAccountId ?? connection.id} · ${platformName(connection.platform)}`,
  };
}

// ── Progress ──

export type ResourceProgressJson = ResourceProgress;

const EMPTY_PROGRESS: ResourceProgressJson = { requests: 0, pages: 0, records: 0, errors: 0, skipped: 0, status: "pending" };

/** A run's `progress` column read defensively: a resource the run has not reached yet is pending with zeros. */
export function progressOf(progress: unknown, resource: string): ResourceProgressJson {
  const value = progress && typeof progress === "object" ? (progress as Record<string, Partial<ResourceProgressJson>>)[resource] : undefined;
  return { ...EMPTY_PROGRESS, ...(value ?? {}) };
}

export function totalsOf(progress: unknown): Omit<ResourceProgressJson, "status"> {
  const totals = { requests: 0, pages: 0, records: 0, errors: 0, skipped: 0 };
  if (!progress || typeof progress !== "object") return totals;
  for (const key of Object.keys(progress)) {
    const one = progressOf(progress, key);
    totals.requests += one.requests;
    totals.pages += one.pages;
    totals.records += one.records;
    totals.errors += one.errors;
    totals.skipped += one.skipped;
  }
  return totals;
}

// ── Definition tree ──

export interface ResourceNode {
  index: number;
  resource: JobResourceDefinition;
  /** 0 for a root resource, 1 for its children… */
  depth: number;
}

/** Resources in the order a run walks them, each after its parent, with its depth in the dependency tree. */
export function resourceTree(resources: readonly JobResourceDefinition[]): ResourceNode[] {
  const { roots, children } = executionOrder(resources);
  const nodes: ResourceNode[] = [];
  const visit = (index: number, depth: number) => {
    nodes.push({ index, resource: resources[index], depth });
    for (const child of children.get(index) ?? []) visit(child, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  return nodes;
}

// ── The editor ──

/** The editor's reference panel: each category's resources and the query parameters they take. */
export function jobReferences() {
  return Object.fromEntries(
    JOB_CATEGORIES.map((category) => [
      category,
      jobResources(category).map((resource) => ({
        name: resource.name,
        platforms: resource.platforms.map(platformName),
        query: resource.query.map(({ name, description, format }) => ({ name, description, format })),
      })),
    ]),
  );
}

// ── The list ──

/** What a runs table shows of a run. */
const runColumns = {
  id: true,
  status: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  progress: true,
  cronTriggerId: true,
  cronExpression: true,
  connection: connectionLabel,
} as const;

export interface RunRow {
  id: string;
  status: RunStatus;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  cronTriggerId: string | null;
  /** Set when a cron trigger started the run, also after the trigger was deleted. */
  cronExpression: string | null;
  connection: ConnectionOption;
  records: number;
  syncJob?: { id: string; name: string };
}

function runRow({
  progress,
  connection,
  ...run
}: Omit<RunRow, "connection" | "records"> & { progress: unknown; connection: Parameters<typeof labelOf>[0] }): RunRow {
  return { ...run, connection: labelOf(connection), records: totalsOf(progress).records };
}

export async function getSyncJobs(db: TenantDb) {
  const [jobs, runs, triggers] = await Promise.all([
    db.syncJob.findMany({
      orderBy: { createdAt: "desc" },
      take: LIMIT,
      select: { id: true, name: true, category: true, errorHandling: true, updatedAt: true, _count: { select: { runs: true, cronTriggers: true } } },
    }),
    db.syncJobRun.findMany({
      orderBy: { createdAt: "desc" },
      take: RECENT_RUNS,
      select: { ...runColumns, syncJob: { select: { id: true, name: true } } },
    }),
    db.cronTrigger.findMany({
      orderBy: { createdAt: "desc" },
      take: LIMIT,
      select: {
        id: true,
        expression: true,
        active: true,
        lastRunAt: true,
        nextRunAt: true,
        syncJob: { select: { id: true, name: true } },
        connection: connectionLabel,
      },
    }),
  ]);
  return { jobs, runs: runs.map(runRow), triggers: triggers.map(({ connection, ...trigger }) => ({ ...trigger, connection: labelOf(connection) })) };
}

export type SyncJobsView = Awaited<ReturnType<typeof getSyncJobs>>;

// ── One job ──

export interface EndpointOption {
  id: string;
  url: string;
  description: string | null;
}

/** What a run or a cron trigger of a `category` job may target: live connections of that category, enabled endpoints. */
export async function runTargets(db: TenantDb, category: string): Promise<{ connections: ConnectionOption[]; endpoints: EndpointOption[] }> {
  const platforms = PLATFORM_CATALOG.filter((platform) => platform.category === category).map((platform) => platform.key);
  const [connections, endpoints] = await Promise.all([
    db.connection.findMany({ where: { platform: { in: platforms }, deletedAt: null }, orderBy: { createdAt: "desc" }, take: LIMIT, ...connectionLabel }),
    db.webhookEndpoint.findMany({ where: { enabled: true }, orderBy: { createdAt: "desc" }, take: LIMIT, select: { id: true, url: true, description: true } }),
  ]);
  return { connections: connections.map(labelOf), endpoints };
}

export async function getSyncJob(db: TenantDb, id: string) {
  const job = await db.syncJob.findFirst({ where: { id } });
  if (!job) return null;
  const [runs, runCount, triggers, targets] = await Promise.all([
    db.syncJobRun.findMany({
      where: { syncJobId: id },
      orderBy: { createdAt: "desc" },
      take: RECENT_RUNS,
      select: runColumns,
    }),
    db.syncJobRun.count({ where: { syncJobId: id } }),
    db.cronTrigger.findMany({
      where: { syncJobId: id },
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        expression: true,
        active: true,
        args: true,
        lastRunAt: true,
        nextRunAt: true,
        connection: connectionLabel,
        webhookEndpoint: { select: { id: true, url: true } },
      },
    }),
    runTargets(db, job.category),
  ]);
  const definition = jobDefinitionOf(job);
  return {
    job: { id: job.id, name: job.name, category: job.category, createdAt: job.createdAt, updatedAt: job.updatedAt },
    definition,
    tree: resourceTree(definition.resources),
    runs: runs.map(runRow),
    runCount,
    triggers: triggers.map(({ connection, ...trigger }) => ({ ...trigger, connection: labelOf(connection) })),
    ...targets,
  };
}

export type SyncJobView = NonNullable<Awaited<ReturnType<typeof getSyncJob>>>;

// ── One run ──

export interface RunResourceJson extends Omit<ResourceProgressJson, "status"> {
  resource: string;
  depth: number;
  /** The walk's status, or once the run ended what became of a resource it was in (cancelled, failed) or never reached. */
  status: ResourceProgressJson["status"] | "cancelled" | "not_reached";
}

/** A resource's status as the run page shows it: an ended run leaves nothing running or pending. */
export function resourceStatus(progress: ResourceProgressJson, runStatus: RunStatus): RunResourceJson["status"] {
  if (SYNC_JOB_RUN.isActive(runStatus)) return progress.status;
  if (progress.status === "running") return runStatus === "cancelled" ? "cancelled" : runStatus === "failed" ? "failed" : "succeeded";
  if (progress.status === "pending") return runStatus === "succeeded" ? "succeeded" : "not_reached";
  return progress.status;
}

export interface RunEventJson {
  id: string;
  sequence: number;
  type: string;
  createdAt: string;
  resource: string | null;
  /** Records in a SYNC_JOB_RUN_RECORD page. */
  records: number | null;
  parent: { resource: string; id: string | number | null } | null;
  error: string | null;
  delivery: { status: string; attempts: number; lastStatusCode: number | null; lastError: string | null } | null;
}

/** Why an active run is not fetching right now. */
export type RunWaitJson =
  | { kind: "queued" }
  | { kind: "rate_limited"; until: string | null }
  | {
      kind: "endpoint";
      until: string | null;
      eventType: string;
      attempts: number;
      lastStatusCode: number | null;
      lastError: string | null;
      nextAttemptAt: string | null;
    };

export interface JobRunJson {
  id: string;
  status: RunStatus;
  active: boolean;
  job: { id: string; name: string };
  connection: ConnectionOption;
  endpoint: { id: string; url: string } | null;
  cronTriggerId: string | null;
  cronExpression: string | null;
  args: unknown;
  ignorePreviousRun: boolean;
  /** The {{previous_run_date}} the run uses: when the previous completed run started (null: none, or ignored). */
  previousRunDate: string | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  resources: RunResourceJson[];
  totals: Omit<ResourceProgressJson, "status">;
  wait: RunWaitJson | null;
  events: RunEventJson[];
  eventCount: number;
  now: string;
}

interface EventRow {
  id: string;
  type: string;
  createdAt: string;
  sequence: number | null;
  resource: string | null;
  records: number | null;
  parent: RunEventJson["parent"];
  error: string | null;
  deliveryStatus: string | null;
  attempts: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  total: number;
}

/**
 * A run's newest events, oldest first. The run's events are its connection's SYNC_JOB_RUN_* events
 * since it was created (index on connection_id, type, created_at) whose data names the run; only
 * the fields the page shows are read, never the records a page carries.
 */
async function runEvents(
  db: TenantDb,
  scope: TenantScope,
  run: { id: string; connectionId: string; webhookEndpointId: string | null; createdAt: Date; state: unknown },
  limit: number,
) {
  // The last `limit` events by sequence first, then their deliveries: a long run's thousands of
  // earlier events are never joined.
  const rows = await db.$queryRaw<EventRow[]>(Prisma.sql`
    with last as (
      select e.id, e.type, e.created_at, e.data from events e
      where e.connection_id = ${run.connectionId} and e.organization_id = ${scope.organizationId} and e.environment = ${scope.environment}::"EnvironmentKind"
        and e.type in (${Prisma.join([...JOB_EVENTS])}) and e.created_at >= ${run.createdAt}
        and e.data->>'sync_job_run_id' = ${run.id}
      order by (e.data->>'sequence')::int desc, e.id desc
      limit ${limit}
    )
    select e.id, e.type,
           to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
           (e.data->>'sequence')::int as sequence,
           e.data->>'resource' as resource,
           case when jsonb_typeof(e.data->'records') = 'array' then jsonb_array_length(e.data->'records') end as records,
           case when jsonb_typeof(e.data->'parent') = 'object' then e.data->'parent' end as parent,
           e.data->'error'->>'message' as error,
           d.status::text as "deliveryStatus", d.attempt_count as attempts,
           a.status_code as "lastStatusCode", a.error as "lastError"
    from last e
    left join deliveries d on d.event_id = e.id and d.endpoint_id = ${run.webhookEndpointId}
    left join lateral (select status_code, error from delivery_attempts where delivery_id = d.id order by number desc limit 1) a on true
    order by (e.data->>'sequence')::int desc, e.id desc`);
  const events: RunEventJson[] = rows.reverse().map((row) => ({
    id: row.id,
    sequence: row.sequence ?? 0,
    type: row.type,
    createdAt: row.createdAt,
    resource: row.resource,
    records: row.records,
    parent: row.parent,
    error: row.error,
    delivery: row.deliveryStatus
      ? { status: row.deliveryStatus, attempts: row.attempts ?? 0, lastStatusCode: row.lastStatusCode, lastError: row.lastError }
      : null,
  }));
  // Every event the run wrote is numbered: the last sequence is how many there are.
  const total = Math.max((run.state as { sequence?: number } | null)?.sequence ?? 0, events.length);
  return { events, total };
}

/** What an active run waits for: a worker, the platform's rate limit, or its endpoint's answer to the event in flight. */
async function runWait(db: TenantDb, run: { status: RunStatus; resumeAt: Date | null; state: unknown }, now: Date): Promise<RunWaitJson | null> {
  if (run.status === "queued") return { kind: "queued" };
  if (run.status === "rate_limited") return { kind: "rate_limited", until: iso(run.resumeAt) };
  if (run.status !== "running" || !run.resumeAt || run.resumeAt <= now) return null;
  const pending = (run.state as { pending?: { deliveryId?: string; eventType?: string } | null } | null)?.pending;
  if (!pending?.deliveryId) return null;
  const delivery = await db.delivery.findFirst({
    where: { id: pending.deliveryId },
    select: { attemptCount: true, nextAttemptAt: true, attempts: { orderBy: { number: "desc" }, take: 1, select: { statusCode: true, error: true } } },
  });
  const last = delivery?.attempts[0];
  return {
    kind: "endpoint",
    until: iso(run.resumeAt),
    eventType: pending.eventType ?? "event",
    attempts: delivery?.attemptCount ?? 0,
    lastStatusCode: last?.statusCode ?? null,
    lastError: last?.error ?? null,
    nextAttemptAt: iso(delivery?.nextAttemptAt ?? null),
  };
}

export async function getJobRun(db: TenantDb, scope: TenantScope, runId: string, now = new Date()): Promise<JobRunJson | null> {
  const run = await db.syncJobRun.findFirst({
    where: { id: runId },
    include: { syncJob: true, connection: connectionLabel, webhookEndpoint: { select: { id: true, url: true } } },
  });
  if (!run) return null;
  const [{ events, total }, wait] = await Promise.all([runEvents(db, scope, run, RUN_EVENTS_SHOWN), runWait(db, run, now)]);
  // A run keeps the definition it started with (the job may have been edited since).
  const resources = (run.state as { job?: { resources?: JobResourceDefinition[] } } | null)?.job?.resources ?? jobDefinitionOf(run.syncJob).resources;
  // Resources progress names that the definition does not (an older run) keep their row: the run fetched them.
  const names = resourceTree(resources).map((node) => ({ resource: node.resource.resource, depth: node.depth }));
  for (const name of Object.keys((run.progress as object | null) ?? {})) if (!names.some((n) => n.resource === name)) names.push({ resource: name, depth: 0 });
  return {
    id: run.id,
    status: run.status,
    active: SYNC_JOB_RUN.isActive(run.status),
    job: { id: run.syncJob.id, name: run.syncJob.name },
    connection: labelOf(run.connection),
    endpoint: run.webhookEndpoint,
    cronTriggerId: run.cronTriggerId,
    cronExpression: run.cronExpression,
    args: run.args,
    ignorePreviousRun: run.ignorePreviousRun,
    previousRunDate: (run.state as { previousRunDate?: string | null } | null)?.previousRunDate ?? null,
    error: (run.error as JobRunJson["error"]) ?? null,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    resources: names.map(({ resource, depth }) => {
      const progress = progressOf(run.progress, resource);
      return { resource, depth, ...progress, status: resourceStatus(progress, run.status) };
    }),
    totals: totalsOf(run.progress),
    wait,
    events,
    eventCount: total,
    now: now.toISOString(),
  };
}
