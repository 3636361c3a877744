// Reads for the Sync jobs page: the job definitions with their run counts (counted by the database),
// the latest runs across jobs, and the cron triggers that start them.
import type { TenantDb } from "@/lib/db/tenant";

const LIMIT = 100;
const RECENT_RUNS = 20;

const connectionLabel = { select: { id: true, platform: true, accountName: true, platformAccountId: true } } as const;

export async function getSyncJobs(db: TenantDb) {
  const [jobs, runs, triggers] = await Promise.all([
    db.syncJob.findMany({
      orderBy: { createdAt: "desc" },
      take: LIMIT,
      select: {
        id: true,
        name: true,
        category: true,
        errorHandling: true,
        updatedAt: true,
        _count: { select: { runs: true, cronTriggers: true } },
      },
    }),
    db.syncJobRun.findMany({
      orderBy: { createdAt: "desc" },
      take: RECENT_RUNS,
      select: {
        id: true,
        status: true,
        createdAt: true,
        startedAt: true,
        finishedAt: true,
        syncJob: { select: { id: true, name: true } },
        connection: connectionLabel,
      },
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
  return { jobs, runs, triggers };
}

export type SyncJobsView = Awaited<ReturnType<typeof getSyncJobs>>;
