// Sync jobs, their runs and their cron triggers as stored rows and as the API shows them. Every
// function takes the caller's scope (organization and environment): another tenant's job, run,
// connection or endpoint is answered exactly like a missing one.
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import type { CronTrigger, SyncJob, SyncJobRun } from "@/lib/generated/prisma/client";
import { argsProblems } from "./args-schema";
import { InvalidJobError, parseJobDefinition, type JobDefinition, type JobResourceDefinition, type Problem } from "./definition";
import { addressedEventSql } from "@/lib/webhooks/addressed-events";
import { syncJobRunStream } from "@/lib/webhooks/streams";
import { platformCategory } from "./resources";
import type { JobRunState, ResourceProgress } from "./run-state";
import { SYNC_JOB_RUN, sqlList } from "@/lib/lifecycles";
import { CodedError, type PublicError } from "@/lib/errors";

export interface JobScope {
  organizationId: string;
  environment: EnvironmentKind;
}

/** What a job's stored definition column holds (name, category and error handling have their own columns). */
interface StoredDefinition {
  args_schema: Record<string, unknown>;
  resources: JobResourceDefinition[];
}

export interface StoredJob {
  id: string;
  name: string;
  category: string;
  errorHandling: "ignore" | "fail_fast";
  argsSchema: Record<string, unknown>;
  resources: JobResourceDefinition[];
}

/** A job (or a run, trigger…) the caller cannot see, named by the field that referred to it. */
export class JobNotFoundError extends CodedError {
  constructor(
    readonly what: string,
    readonly field: string | null,
  ) {
    super(`No ${what}`);
    this.name = "JobNotFoundError";
  }
  /** A path id that names nothing is a 404; a body field that does (sync_job_id, connection_id…) is a bad input. */
  publicError(): PublicError {
    if (!this.field) return { code: "NOT_FOUND", message: this.message };
    const what = this.what.replace(/^such /, "");
    return { code: "INVALID_FIELD", message: `${this.field}: no ${what} with this id in this organization and environment`, field: this.field };
  }
}

/** A request that conflicts with the object's state (stopping a finished run). */
export class JobConflictError extends CodedError {
  constructor(
    readonly code: "RUN_FINISHED",
    message: string,
  ) {
    super(message);
    this.name = "JobConflictError";
  }
  publicError(): PublicError {
    return { code: this.code, message: this.message };
  }
}

function toStored(job: SyncJob): StoredJob {
  const definition = job.definition as unknown as StoredDefinition;
  return {
    id: job.id,
    name: job.name,
    category: job.category,
    errorHandling: job.errorHandling,
    argsSchema: definition.args_schema,
    resources: definition.resources,
  };
}

export async function storedJob(db: Db, id: string): Promise<StoredJob> {
  return toStored(await db.syncJob.findUniqueOrThrow({ where: { id } }));
}

export function jobView(job: SyncJob) {
  const stored = toStored(job);
  return {
    id: job.id,
    name: job.name,
    category: job.category,
    args_schema: stored.argsSchema,
    resources: stored.resources,
    error_handling: job.errorHandling,
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
  };
}

/** The definition as the editor and the API take it back: what jobView returns, less ids and times. */
export function jobDefinitionOf(job: SyncJob): JobDefinition {
  const stored = toStored(job);
  return {
    name: job.name,
    category: job.category as JobDefinition["category"],
    args_schema: stored.argsSchema,
    resources: stored.resources,
    error_handling: job.errorHandling,
  };
}

export function runView(run: SyncJobRun) {
  return {
    id: run.id,
    sync_job_id: run.syncJobId,
    connection_id: run.connectionId,
    webhook_endpoint_id: run.webhookEndpointId,
    cron_trigger_id: run.cronTriggerId,
    cron_expression: run.cronExpression,
    args: run.args,
    ignore_previous_run: run.ignorePreviousRun,
    status: run.status,
    progress: run.progress,
    error: run.error ?? null,
    resume_at: run.resumeAt?.toISOString() ?? null,
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
    created_at: run.createdAt.toISOString(),
  };
}

export function triggerView(trigger: CronTrigger) {
  return {
    id: trigger.id,
    sync_job_id: trigger.syncJobId,
    connection_id: trigger.connectionId,
    webhook_endpoint_id: trigger.webhookEndpointId,
    cron_expression: trigger.expression,
    args: trigger.args,
    active: trigger.active,
    last_run_at: trigger.lastRunAt?.toISOString() ?? null,
    next_run_at: trigger.nextRunAt?.toISOString() ?? null,
    created_at: trigger.createdAt.toISOString(),
  };
}

// ── Jobs ──

export async function createJob(db: Db, scope: JobScope, input: unknown): Promise<SyncJob> {
  const job = parseJobDefinition(input);
  return db.syncJob.create({
    data: {
      id: newId("job"),
      organizationId: scope.organizationId,
      environment: scope.environment,
      ...jobColumns(job),
    },
  });
}

/** A definition as the job row's columns (the definition column holds args_schema and resources). */
function jobColumns(job: JobDefinition) {
  return {
    name: job.name,
    category: job.category,
    errorHandling: job.error_handling,
    definition: { args_schema: job.args_schema, resources: job.resources } as object,
  };
}

export async function scopedJob(db: Db, scope: JobScope, id: string, field: string | null = null): Promise<SyncJob> {
  const job = await db.syncJob.findFirst({ where: { id, organizationId: scope.organizationId, environment: scope.environment } });
  if (!job) throw new JobNotFoundError("such sync job", field);
  return job;
}

/** Replaces a job's definition; runs in progress finish with the definition they started with. */
export async function updateJob(db: Db, scope: JobScope, id: string, input: unknown): Promise<SyncJob> {
  await scopedJob(db, scope, id);
  const job = parseJobDefinition(input);
  return db.syncJob.update({
    where: { id },
    data: jobColumns(job),
  });
}

export async function deleteJob(db: Db, scope: JobScope, id: string): Promise<void> {
  await scopedJob(db, scope, id);
  await db.syncJob.delete({ where: { id } });
}

// ── Runs ──

export interface RunInput {
  syncJobId: string;
  connectionId: string;
  webhookEndpointId: string;
  args?: Record<string, unknown>;
  ignorePreviousRun?: boolean;
  /** The trigger that started the run, and its expression then (kept once the trigger is deleted). */
  cronTrigger?: { id: string; expression: string } | null;
}

/** Checks what a run (or a cron trigger) refers to: the job, a connection of its category, an enabled endpoint, valid args. */
export async function checkRunTargets(db: Db, scope: JobScope, input: Omit<RunInput, "cronTrigger" | "ignorePreviousRun">): Promise<SyncJob> {
  const job = await scopedJob(db, scope, input.syncJobId, "sync_job_id");
  const connection = await db.connection.findFirst({
    where: { id: input.connectionId, organizationId: scope.organizationId, environment: scope.environment, deletedAt: null },
  });
  if (!connection) throw new JobNotFoundError("such connection", "connection_id");
  const category = platformCategory(connection.platform);
  if (category !== job.category) {
    throw new InvalidJobError([
      {
        field: "connection_id",
        message: `the connection is on ${connection.platform} (${category ?? "unknown category"}); this job fetches ${job.category} resources`,
      },
    ]);
  }
  const endpoint = await db.webhookEndpoint.findFirst({
    where: { id: input.webhookEndpointId, organizationId: scope.organizationId, environment: scope.environment },
  });
  if (!endpoint) throw new JobNotFoundError("such webhook endpoint", "webhook_endpoint_id");
  if (!endpoint.enabled)
    throw new InvalidJobError([
      { field: "webhook_endpoint_id", message: `the endpoint is disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ""}; enable it first` },
    ]);
  const problems: Problem[] = argsProblems(toStored(job).argsSchema, input.args ?? {});
  if (problems.length) throw new InvalidJobError(problems);
  return job;
}

/** Queues a run; the embedded worker or the Inngest scheduler picks it up. */
export async function createJobRun(db: Db, scope: JobScope, input: RunInput): Promise<SyncJobRun> {
  await checkRunTargets(db, scope, input);
  return db.syncJobRun.create({
    data: {
      id: newId("jrun"),
      organizationId: scope.organizationId,
      environment: scope.environment,
      syncJobId: input.syncJobId,
      connectionId: input.connectionId,
      webhookEndpointId: input.webhookEndpointId,
      cronTriggerId: input.cronTrigger?.id ?? null,
      cronExpression: input.cronTrigger?.expression ?? null,
      args: (input.args ?? {}) as object,
      ignorePreviousRun: input.ignorePreviousRun ?? false,
    },
  });
}

export async function scopedRun(db: Db, scope: JobScope, id: string): Promise<SyncJobRun> {
  const run = await db.syncJobRun.findFirst({ where: { id, organizationId: scope.organizationId, environment: scope.environment } });
  if (!run) throw new JobNotFoundError("such sync job run", null);
  return run;
}

/**
 * Stops a run: it ends at once (status cancelled); a worker in the middle of a page finds the run
 * stopped when it writes the page and drops it. The delivery the run was waiting for is cancelled,
 * and SYNC_JOB_RUN_STOPPED (the progress so far) goes to the run's endpoint as its last event, so a
 * receiver that saw the run start also sees it end. A run stopped before it sent anything (still
 * queued) sends nothing: its endpoint never heard of it.
 */
export async function stopJobRun(db: Db, scope: JobScope, id: string): Promise<SyncJobRun> {
  const run = await scopedRun(db, scope, id);
  const stopped = await db.$transaction(async (tx) => {
    // The row lock this update takes makes a worker's fenced write wait, then match nothing
    // (sql/save-job-run.ts): the state read here is the run's last.
    const [row] = await tx.$queryRaw<{ state: Partial<JobRunState>; progress: Record<string, ResourceProgress> }[]>`
      update sync_job_runs set status = 'cancelled', finished_at = now(), resume_at = null, updated_at = now(),
        error = jsonb_build_object('code', 'stopped', 'message', 'Stopped on request')
      where id = ${id} and status in ${sqlList(SYNC_JOB_RUN.active)}
      returning state, progress`;
    if (!row) return false;
    const pending = row.state.pending?.deliveryId;
    if (pending) await tx.delivery.updateMany({ where: { id: pending, status: "pending" }, data: { status: "cancelled", nextAttemptAt: null } });
    const sent = row.state.sequence ?? 0;
    if (run.webhookEndpointId && sent > 0) {
      const sequence = sent + 1;
      const progress = Object.fromEntries(
        Object.entries(row.progress).map(([resource, p]) => [resource, p.status === "running" ? { ...p, status: "pending" } : p]),
      );
      await tx.$executeRaw`update sync_job_runs set state = jsonb_set(jsonb_set(state, '{sequence}', to_jsonb(${sequence}::int)), '{pending}', 'null'::jsonb) where id = ${id}`;
      await tx.$executeRaw(
        addressedEventSql({
          event: {
            organizationId: run.organizationId,
            environment: run.environment,
            connectionId: run.connectionId,
            type: SYNC_JOB_RUN.emits.cancelled,
            data: { sync_job_run_id: run.id, sync_job_id: run.syncJobId, connection_id: run.connectionId, sequence, reason: "Stopped on request", progress },
          },
          endpointId: run.webhookEndpointId,
          stream: syncJobRunStream(run.id),
          deliveryId: newId("dlv"),
        }),
      );
    }
    return true;
  });
  if (!stopped) throw new JobConflictError("RUN_FINISHED", `The run already ended (${run.status})`);
  return db.syncJobRun.findUniqueOrThrow({ where: { id } });
}
