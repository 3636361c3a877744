// The sync job functions: thin over lib/jobs, which does the work (DESIGN.md sections 4 and 8).
// A scheduler starts due cron triggers and dispatches runs; one function per run drives it in steps
// of about stepBudgetMs() of pages, sleeping (step.sleepUntil) while the run waits for its receiver's
// next attempt or for the platform's rate limit, so a paused run costs nothing while it waits.
import { cron } from "inngest";
import { dueJobRuns } from "@/lib/jobs/claims";
import { executeJobRun } from "@/lib/jobs/runner";
import { startDueTriggers } from "@/lib/jobs/triggers";
import { getEngine } from "@/lib/sync/engine";
import { inngest } from "../client";
import { syncJobRunRequested } from "../events";
import { stepBudgetMs } from "./sync";

/** Steps per invocation; a longer run continues in a new invocation (Inngest caps steps per function). */
const MAX_PARTS = 400;

export const syncJobScheduler = inngest.createFunction(
  { id: "sync-job-scheduler", name: "Start cron triggers and dispatch sync job runs", triggers: [cron("* * * * *")], retries: 2 },
  async ({ step }) => {
    const started = await step.run("start-due-triggers", async () => (await startDueTriggers(getEngine().db)).filter((tick) => tick.runId !== null).length);
    const due = await step.run("find-due-runs", () => dueJobRuns(getEngine().db, 1000));
    if (due.length) {
      await step.sendEvent(
        "dispatch-runs",
        due.map((run) => syncJobRunRequested.create({ run_id: run.id }, { id: `sync-job-run:${run.dueKey}` })),
      );
    }
    return { triggered: started, dispatched: due.length };
  },
);

export const syncJobRun = inngest.createFunction(
  { id: "sync-job-run", name: "Run a sync job", triggers: [syncJobRunRequested], concurrency: { key: "event.data.run_id", limit: 1 }, retries: 10 },
  async ({ event, step }) => {
    const runId = event.data.run_id;
    for (let part = 0; part < MAX_PARTS; part++) {
      const result = await step.run(`part-${part}`, async () => {
        const deadline = Date.now() + stepBudgetMs();
        const outcome = await executeJobRun(getEngine(), runId, { shouldYield: () => Date.now() > deadline });
        return { status: outcome.status, resumeAt: "resumeAt" in outcome ? outcome.resumeAt.toISOString() : null };
      });
      if (result.resumeAt) await step.sleepUntil(`wait-${part}`, new Date(result.resumeAt));
      else if (result.status !== "yielded") return { run_id: runId, status: result.status, parts: part + 1 };
    }
    await step.sendEvent("continue", syncJobRunRequested.create({ run_id: runId }, { id: `sync-job-run:${runId}:continue:${event.id ?? "0"}` }));
    return { run_id: runId, status: "continued", parts: MAX_PARTS };
  },
);
