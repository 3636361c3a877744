import { apiRoute } from "@/lib/api/handler";
import { createSyncJob, listSyncJobs } from "@/lib/api/operations/sync-jobs";
import { createJob, jobView } from "@/lib/jobs/store";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listSyncJobs, async ({ query, scope, engine }) => {
  const rows = await engine.db.syncJob.findMany({
    where: { organizationId: scope.organizationId, environment: scope.environment, ...(query.cursor ? { id: { lt: query.cursor } } : {}) },
    // Job ids are time-sorted (ULIDs): newest first by id is newest first by creation.
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { sync_jobs: page.map(jobView), next_cursor: rows.length > query.limit ? page.at(-1)!.id : null };
});

export const POST = apiRoute(createSyncJob, async ({ body, scope, engine }) => {
  const job = await createJob(engine.db, scope, body);
  return Response.json({ sync_job: jobView(job) }, { status: 201 });
});
