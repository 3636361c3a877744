// The sync job functions: thin over lib/jobs, which does the work (DESIGN.md sections 4 and 8).
// A scheduler starts due cron triggers and dispatches runs; one function per run drives it in steps
// of about stepBudgetMs() of pages, sleeping (step.sleepUntil) while the run waits for its receiver's
// next attempt or for the platform's rate limit, so a paused run costs nothing while it waits.
import { cron } from "inngest";
import { stepBudgetMs } from "@/lib/config";
import { dueJobRuns } from "@/lib/jobs/claims";
import { JobLeaseLostError } from "@/lib/jobs/run-state";
import { executeJobRun } from "@/lib/jobs/runner";
import { startDueTriggers } from "@/lib/jobs/triggers";
import { getEngine } from "@/lib/sync/engine";
import { inngest } from "../client";
import { syncJobRunRequested } from "../events";
import { fence, LEASE_MARGIN_MS, letGo, StepCount } from "./steps";

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

/**
 * Drives one run in steps of about stepBudgetMs() of pages, each fenced by the run's lease (steps.ts):
 * a retried step takes the run over and the attempt it replaces stops at its next write. Sleeps while
 * the run waits for its receiver or the platform; near the step budget it continues in a new run.
 */
export const syncJobRun = inngest.createFunction(
  { id: "sync-job-run", name: "Run a sync job", triggers: [syncJobRunRequested], concurrency: { key: "event.data.run_id", limit: 1 }, retries: 10 },
  async ({ event, step, runId: functionRunId }) => {
    const runId = event.data.run_id;
    const steps = new StepCount();
    const leaseMs = stepBudgetMs() + LEASE_MARGIN_MS;
    for (let part = 0; steps.room(2); part++) {
      steps.take();
      const result = await step.run(`part-${part}`, async () => {
        const { engine, owner } = await fence("sync_job_runs", runId, leaseMs);
        const deadline = Date.now() + stepBudgetMs();
        try {
          const outcome = await executeJobRun(engine, runId, { shouldYield: () => Date.now() > deadline });
          const resumeAt = "resumeAt" in outcome ? outcome.resumeAt.toISOString() : null;
          // The run ended: its lease goes back now rather than when it would expire.
          if (!resumeAt && outcome.status !== "yielded") await letGo("sync_job_runs", runId, owner);
          return { status: outcome.status, resumeAt };
        } catch (error) {
          if (error instanceof JobLeaseLostError) return { status: "superseded", resumeAt: null };
          throw error;
        }
      });
      if (result.resumeAt) {
        steps.take();
        await step.sleepUntil(`wait-${part}`, new Date(result.resumeAt));
      } else if (result.status !== "yielded") return { run_id: runId, status: result.status, parts: part + 1 };
    }
    await step.sendEvent("continue", syncJobRunRequested.create({ run_id: runId }, { id: `sync-job-run:${runId}:continue:${functionRunId}` }));
    return { run_id: runId, status: "continued", steps: steps.taken };
  },
);
