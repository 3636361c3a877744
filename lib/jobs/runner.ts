// Executing a sync job run (DESIGN.md section 4). The run walks its resources depth first (walk.ts):
// a page of a parent resource, then for each record of that page each child resource in full, then
// the parent's next page. Every fetched page (fetch-page.ts) becomes one SYNC_JOB_RUN_RECORD event
// addressed to the run's webhook endpoint, and the run waits for the endpoint's 2xx before it fetches
// anything else (back-pressure, run-stream.ts): a slow receiver slows the run, a failing one is
// retried on the endpoint's schedule while the run waits. The walk's position is saved with each
// event, in the same statement, so a run resumed after its worker died goes on from the last page it
// sent (run-stream.ts says how).
//
// Times: started_at and finished_at are on the engine's clock (previous_run_date compares them with
// the platform's update times); resume_at is wall-clock time, like the deliveries it waits for.
import type { SyncEngine } from "@/lib/sync/engine";
import { fetchFramePage, jobPageFetch } from "./fetch-page";
import { SYNC_JOB_RUN } from "@/lib/lifecycles";
import { JobRunEnded, type EndedJobRunStatus, type JobRunResult, type JobRunRow, type JobRunState, type ResourceProgress } from "./run-state";
import { JobRunStream } from "./run-stream";
import { storedJob } from "./store";
import { JobWalk } from "./walk";

export interface ExecuteJobOptions {
  /** Asked between steps: true ends this call after saving the position (`yielded`). */
  shouldYield?: () => boolean;
}

/** Runs (or resumes) one sync job run until it ends, pauses or yields. */
export async function executeJobRun(engine: SyncEngine, runId: string, options: ExecuteJobOptions = {}): Promise<JobRunResult> {
  const { db } = engine;
  const run = (await db.syncJobRun.findUniqueOrThrow({ where: { id: runId } })) as unknown as JobRunRow;
  if (!SYNC_JOB_RUN.isActive(run.status)) return { status: run.status as EndedJobRunStatus };
  const job = run.state.job ?? (await storedJob(db, run.syncJobId));
  const connection = await db.connection.findUniqueOrThrow({ where: { id: run.connectionId } });

  const progress: Record<string, ResourceProgress> = { ...run.progress };
  for (const resource of job.resources) progress[resource.resource] ??= { requests: 0, pages: 0, records: 0, errors: 0, skipped: 0, status: "pending" };
  const resumed = Boolean(run.state.stack);
  const state = resumed ? (run.state as JobRunState) : await startState(engine, run, job);
  const stream = await JobRunStream.open(engine, run, state, progress);

  try {
    // ── Start: SYNC_JOB_RUN_STARTED, or the delivery a resumed run was waiting for ──
    if (!resumed) {
      if (stream.unavailable) return await stream.fail({ code: "endpoint_unavailable", message: stream.unavailable }, false);
      const settled = await stream.send(
        SYNC_JOB_RUN.emits.running,
        {
          sync_job_name: job.name,
          args: run.args,
          ignore_previous_run: run.ignorePreviousRun,
          previous_run_date: state.previousRunDate,
          resources: job.resources.map((r) => r.resource),
        },
        { started: true },
      );
      if (settled !== "acked") return settled;
    } else {
      await stream.save({ status: "running", started: true });
      const settled = await stream.settle(false);
      if (settled !== "acked") return settled;
    }

    if (connection.deletedAt || !connection.platformAccountId)
      return await stream.fail({ code: "connection_unavailable", message: "The connection was deleted" });
    const step = {
      walk: new JobWalk(job.resources, run.args, state, progress, connection.platform),
      stream,
      fetchPage: jobPageFetch(engine, { ...connection, platformAccountId: connection.platformAccountId }, progress),
      errorHandling: job.errorHandling,
    };
    const { walk } = step;

    // ── The walk ──
    // At least one platform request per call, so a caller that yields at once still makes progress.
    let fetched = 0;
    for (;;) {
      if (fetched > 0 && options.shouldYield?.()) {
        await stream.save({});
        return { status: "yielded" };
      }
      const frame = walk.top;
      if (frame.resource === -1) {
        if (walk.enterNextRoot(frame)) continue;
        return await stream.complete();
      }
      if (frame.page === null) {
        if (walk.skipEmptyLoop(frame)) continue;
        const outcome = await fetchFramePage(step, frame);
        if (outcome === "fetched") fetched++;
        else if (outcome !== "moved") return outcome;
        continue;
      }
      walk.next(frame);
    }
  } catch (error) {
    if (error instanceof JobRunEnded) return error.result;
    throw error;
  }
}

/** A new run's state: at the start of the walk, with the previous completed run's start (previous_run_date). */
async function startState(engine: SyncEngine, run: JobRunRow, job: JobRunState["job"]): Promise<JobRunState> {
  const previous = run.ignorePreviousRun
    ? null
    : await engine.db.syncJobRun.findFirst({
        where: { syncJobId: run.syncJobId, connectionId: run.connectionId, status: "succeeded", id: { not: run.id } },
        orderBy: { startedAt: "desc" },
        select: { startedAt: true },
      });
  return {
    stack: JobWalk.start(),
    pending: null,
    sequence: 0,
    previousRunDate: previous?.startedAt?.toISOString() ?? null,
    job: { name: job.name, errorHandling: job.errorHandling, resources: job.resources },
  };
}

/** Drives a run until it ends, waiting out pauses in-process (tests, the dashboard's demo). */
export async function driveJobRun(engine: SyncEngine, runId: string, options: { maxWaitMs?: number } = {}): Promise<JobRunResult> {
  const deadline = Date.now() + (options.maxWaitMs ?? 120_000);
  for (;;) {
    const result = await executeJobRun(engine, runId);
    if (result.status !== "waiting" && result.status !== "rate_limited" && result.status !== "yielded") return result;
    if (Date.now() > deadline) return result;
    if (result.status !== "yielded") await new Promise((resolve) => setTimeout(resolve, Math.max(0, result.resumeAt.getTime() - Date.now())));
  }
}
