// The fenced write of a sync job run: its position and progress, and any change of status, only while
// the run is active and (under the embedded worker) leased to this worker. A run stopped meanwhile, or
// taken over by another worker after this one stalled, is left alone: the statement matches no row.
import { Prisma } from "@/lib/generated/prisma/client";
import { heldBy } from "@/lib/queue/lease";
import { SYNC_JOB_RUN } from "@/lib/lifecycles";
import type { JobRunState, ResourceProgress } from "../run-state";

export interface JobRunFields {
  status?: string;
  /** Written when given; null clears it. */
  error?: unknown;
  finished?: boolean;
  resumeAt?: Date | null;
  started?: boolean;
}

export function saveJobRunSql(
  run: { id: string; state: JobRunState; progress: Record<string, ResourceProgress>; leaseOwner: string | null; now: Date },
  fields: JobRunFields,
): Prisma.Sql {
  return Prisma.sql`
    update sync_job_runs r set
      state = ${JSON.stringify(run.state)}::jsonb,
      progress = ${JSON.stringify(run.progress)}::jsonb,
      status = coalesce(${fields.status ?? null}::"RunStatus", status),
      error = case when ${fields.error !== undefined} then ${fields.error == null ? null : JSON.stringify(fields.error)}::jsonb else error end,
      resume_at = ${fields.resumeAt ?? null},
      started_at = case when ${fields.started ?? false} then coalesce(started_at, ${run.now}) else started_at end,
      finished_at = case when ${fields.finished ?? false} then ${run.now} else finished_at end,
      updated_at = now()
    where r.id = ${run.id} and r.status = any(${[...SYNC_JOB_RUN.active]}::"RunStatus"[])
      and ${run.leaseOwner === null ? Prisma.sql`true` : heldBy("sync_job_runs", run.leaseOwner)}`;
}
