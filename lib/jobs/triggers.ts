// Cron triggers: run a job for one connection on a UTC schedule (Truto's sync job cron triggers).
// A trigger keeps its next run time; the embedded worker and the Inngest scheduler start due
// triggers with FOR UPDATE SKIP LOCKED, so two of them never start the same tick twice. A trigger
// whose previous run is still going skips the tick rather than running twice at once.
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { CronTrigger } from "@/lib/generated/prisma/client";
import { InvalidJobError } from "./definition";
import { CronError, parseCron } from "./cron";
import { checkRunTargets, createJobRun, JobNotFoundError, type JobScope } from "./store";
import { SYNC_JOB_RUN } from "@/lib/lifecycles";

export interface TriggerInput {
  syncJobId: string;
  connectionId: string;
  webhookEndpointId: string;
  expression: string;
  args?: Record<string, unknown>;
  active?: boolean;
}

/** A cron problem as a problem of the cron_expression field. */
function asFieldProblem<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CronError) throw new InvalidJobError([{ field: "cron_expression", message: error.message }]);
    throw error;
  }
}

const schedule = (expression: string) => asFieldProblem(() => parseCron(expression));
/** The first run time after `after`; a schedule that never comes is a problem of cron_expression. */
const nextRunAfter = (expression: string, after: Date) => asFieldProblem(() => parseCron(expression).next(after));

export async function createTrigger(db: Db, scope: JobScope, input: TriggerInput, now = new Date()): Promise<CronTrigger> {
  const expression = schedule(input.expression).expression;
  await checkRunTargets(db, scope, input);
  const active = input.active ?? true;
  return db.cronTrigger.create({
    data: {
      id: newId("cron"),
      organizationId: scope.organizationId,
      environment: scope.environment,
      syncJobId: input.syncJobId,
      connectionId: input.connectionId,
      webhookEndpointId: input.webhookEndpointId,
      expression,
      args: (input.args ?? {}) as object,
      active,
      nextRunAt: active ? nextRunAfter(expression, now) : null,
    },
  });
}

export async function scopedTrigger(db: Db, scope: JobScope, id: string): Promise<CronTrigger> {
  const trigger = await db.cronTrigger.findFirst({ where: { id, organizationId: scope.organizationId, environment: scope.environment } });
  if (!trigger) throw new JobNotFoundError("such cron trigger", null);
  return trigger;
}

/** Changes a trigger's schedule, args or endpoint; its next run is computed again. */
export async function updateTrigger(
  db: Db,
  scope: JobScope,
  id: string,
  input: Partial<Omit<TriggerInput, "syncJobId" | "connectionId">>,
  now = new Date(),
): Promise<CronTrigger> {
  const current = await scopedTrigger(db, scope, id);
  const expression = input.expression === undefined ? current.expression : schedule(input.expression).expression;
  const args = input.args ?? (current.args as Record<string, unknown>);
  const webhookEndpointId = input.webhookEndpointId ?? current.webhookEndpointId;
  if (!webhookEndpointId) throw new InvalidJobError([{ field: "webhook_endpoint_id", message: "is required: the endpoint the runs stream to" }]);
  await checkRunTargets(db, scope, { syncJobId: current.syncJobId, connectionId: current.connectionId, webhookEndpointId, args });
  const active = input.active ?? current.active;
  return db.cronTrigger.update({
    where: { id },
    data: { expression, args: args as object, webhookEndpointId, active, nextRunAt: active ? nextRunAfter(expression, now) : null },
  });
}

/** Activates or deactivates a trigger; an activated trigger runs next at its next scheduled time from now. */
export async function setTriggerActive(db: Db, scope: JobScope, id: string, active: boolean, now = new Date()): Promise<CronTrigger> {
  const current = await scopedTrigger(db, scope, id);
  return db.cronTrigger.update({ where: { id }, data: { active, nextRunAt: active ? nextRunAfter(current.expression, now) : null } });
}

export async function deleteTrigger(db: Db, scope: JobScope, id: string): Promise<void> {
  await scopedTrigger(db, scope, id);
  await db.cronTrigger.delete({ where: { id } });
}

export interface TriggerTick {
  triggerId: string;
  /** The run started, or why none was. */
  runId: string | null;
  skipped?: string;
}

/**
 * Starts every active trigger whose time has come (up to `limit`), each in its own transaction:
 * the trigger is locked, a run queued (unless its previous run is still going, or what it refers to
 * is gone), and its next time set from the schedule.
 */
export async function startDueTriggers(db: Db, options: { now?: Date; limit?: number } = {}): Promise<TriggerTick[]> {
  const now = options.now ?? new Date();
  const due = await db.$queryRaw<{ id: string }[]>`
    select id from cron_triggers where active and next_run_at <= ${now} order by next_run_at limit ${options.limit ?? 100}`;
  const ticks: TriggerTick[] = [];
  for (const { id } of due) {
    const tick = await db.$transaction(async (tx) => {
      const [trigger] = await tx.$queryRaw<
        {
          id: string;
          organization_id: string;
          environment: "sandbox" | "production";
          sync_job_id: string;
          connection_id: string;
          webhook_endpoint_id: string | null;
          expression: string;
          args: Record<string, unknown>;
        }[]
      >`
        select id, organization_id, environment::text as environment, sync_job_id, connection_id, webhook_endpoint_id, expression, args
        from cron_triggers where id = ${id} and active and next_run_at <= ${now} for update skip locked`;
      if (!trigger) return null;
      const scope = { organizationId: trigger.organization_id, environment: trigger.environment };
      const busy = await tx.syncJobRun.findFirst({ where: { cronTriggerId: id, status: { in: [...SYNC_JOB_RUN.active] } }, select: { id: true } });
      let result: TriggerTick;
      if (busy) result = { triggerId: id, runId: null, skipped: `its previous run ${busy.id} is still going` };
      else if (!trigger.webhook_endpoint_id) result = { triggerId: id, runId: null, skipped: "it has no webhook endpoint" };
      else {
        try {
          const run = await createJobRun(tx as unknown as Db, scope, {
            syncJobId: trigger.sync_job_id,
            connectionId: trigger.connection_id,
            webhookEndpointId: trigger.webhook_endpoint_id,
            args: trigger.args,
            cronTrigger: { id, expression: trigger.expression },
          });
          result = { triggerId: id, runId: run.id };
        } catch (error) {
          if (!(error instanceof InvalidJobError || error instanceof JobNotFoundError)) throw error;
          result = { triggerId: id, runId: null, skipped: error.message };
        }
      }
      let next: Date | null;
      try {
        next = parseCron(trigger.expression).next(now);
      } catch {
        next = null;
      }
      await tx.cronTrigger.update({ where: { id }, data: { lastRunAt: result.runId ? now : undefined, nextRunAt: next, active: next !== null } });
      return result;
    });
    if (tick) ticks.push(tick);
  }
  return ticks;
}
