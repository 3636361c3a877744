import { apiRoute } from "@/lib/api/handler";
import { deleteSyncJob, getSyncJob, updateSyncJob } from "@/lib/api/operations/sync-jobs";
import { deleteJob, JobConflictError, jobDefinitionOf, jobView, scopedJob, stopJobRun, updateJob } from "@/lib/jobs/store";
import { SYNC_JOB_RUN } from "@/lib/lifecycles";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getSyncJob, async ({ params, scope, engine }) => {
  return { sync_job: jobView(await scopedJob(engine.db, scope, params.id)) };
});

export const PATCH = apiRoute(updateSyncJob, async ({ body, params, scope, engine }) => {
  const current = await scopedJob(engine.db, scope, params.id);
  // The fields sent replace the current ones; the merged definition is validated whole, as on creation.
  return { sync_job: jobView(await updateJob(engine.db, scope, current.id, { ...jobDefinitionOf(current), ...body })) };
});

export const DELETE = apiRoute(deleteSyncJob, async ({ params, scope, engine }) => {
  const job = await scopedJob(engine.db, scope, params.id);
  // Runs go with the job (cascade), but the event a run in progress waits to deliver would not:
  // stopping each run first cancels it, so the receiver hears nothing more of a deleted job.
  const active = await engine.db.syncJobRun.findMany({ where: { syncJobId: job.id, status: { in: [...SYNC_JOB_RUN.active] } }, select: { id: true } });
  for (const run of active) {
    await stopJobRun(engine.db, scope, run.id).catch((error: unknown) => {
      if (!(error instanceof JobConflictError)) throw error; // it ended meanwhile
    });
  }
  await deleteJob(engine.db, scope, job.id);
  return { id: job.id, deleted: true };
});
