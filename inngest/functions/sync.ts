// The sync functions: thin over lib/sync, which does the work (DESIGN.md section 8).
import { RetryAfterError, cron } from "inngest";
import { dueConnections } from "@/lib/sync/due";
import { getEngine } from "@/lib/sync/engine";
import { nextRun, requestBackfill } from "@/lib/sync/planner";
import { executeRun } from "@/lib/sync/runner";
import { failStuckRuns } from "@/lib/sync/stuck";
import { inngest } from "../client";
import { connectionBackfillRequested, connectionSyncRequested } from "../events";

/**
 * Pages grouped per step: a step ends after the page that passes this budget, so a retried step
 * repeats at most that much work (TRIBUTARY_STEP_BUDGET_MS, default 20 s).
 */
export function stepBudgetMs(): number {
  return Number(process.env.TRIBUTARY_STEP_BUDGET_MS ?? 20_000);
}
/** Runs per function invocation at most (a connection's batches, then its first incremental). */
const MAX_RUNS = 50;
/** Requests to start syncs per platform per minute, across all connections. */
export const PLATFORM_THROTTLE = { limit: 120, period: "1m" } as const;

/**
 * Every minute: one event per connection with work due. The event id is the connection's due key
 * (its pending run, or its next-sync time and batch), so a tick repeated before the sync ran, or two
 * overlapping ticks, schedule it once: Inngest drops events whose id it has seen in the last 24 hours.
 */
export const scheduler = inngest.createFunction(
  { id: "scheduler", name: "Schedule due syncs", triggers: [cron("* * * * *")], retries: 2 },
  async ({ step }) => {
    const due = await step.run("find-due-connections", () => dueConnections(getEngine().db, new Date(getEngine().clock()), 5000));
    if (due.length === 0) return { scheduled: 0 };
    await step.sendEvent(
      "fan-out",
      due.map((connection) =>
        connectionSyncRequested.create({ connection_id: connection.id, platform: connection.platform }, { id: `sync:${connection.id}:${connection.dueKey}` }),
      ),
    );
    return { scheduled: due.length };
  },
);

/**
 * Syncs one connection: plans its next run, executes it in steps of about stepBudgetMs() of pages
 * (each step resumes the run from its checkpoints, so a retried step repeats at most one group of
 * pages), and repeats while work is due. One at a time per connection; a rate-limited run retries its
 * step when the platform allows (RetryAfterError).
 */
export const connectionSync = inngest.createFunction(
  {
    id: "connection-sync",
    name: "Sync a connection",
    triggers: [connectionSyncRequested],
    concurrency: { key: "event.data.connection_id", limit: 1 },
    throttle: { key: "event.data.platform", ...PLATFORM_THROTTLE },
    retries: 10,
  },
  async ({ event, step }) => {
    const runs: { runId: string; status: string }[] = [];
    for (let i = 0; i < MAX_RUNS; i++) {
      const runId = await step.run(`plan-${i}`, () => nextRun(getEngine(), event.data.connection_id));
      if (!runId) break;
      let status = "running";
      for (let part = 0; status === "running"; part++) {
        status = await step.run(`run-${runId}-${part}`, async () => {
          const deadline = Date.now() + stepBudgetMs();
          const result = await executeRun(getEngine(), runId, { shouldYield: () => Date.now() > deadline });
          if (result.status === "rate_limited")
            throw new RetryAfterError(`Run ${runId} is rate limited until ${result.resumeAt.toISOString()}`, result.resumeAt);
          return result.status === "yielded" ? "running" : result.status;
        });
      }
      runs.push({ runId, status });
    }
    return { connection_id: event.data.connection_id, runs };
  },
);

/** Queues a backfill (incremental runs wait until it ends), then syncs the connection. */
export const connectionBackfill = inngest.createFunction(
  { id: "connection-backfill", name: "Backfill a connection", triggers: [connectionBackfillRequested], retries: 3 },
  async ({ event, step }) => {
    const queued = await step.run("queue-backfill", () =>
      requestBackfill(getEngine(), event.data.connection_id, {
        objects: event.data.objects,
        start: event.data.start ? new Date(event.data.start) : null,
        end: event.data.end ? new Date(event.data.end) : null,
      }),
    );
    await step.sendEvent(
      "sync",
      connectionSyncRequested.create({ connection_id: event.data.connection_id, platform: event.data.platform }, { id: `backfill:${queued.runId}` }),
    );
    return { run_id: queued.runId };
  },
);

/** Every five minutes: runs without progress for the configured time are failed (and alerted by their events). */
export const stuckRunMonitor = inngest.createFunction(
  { id: "stuck-run-monitor", name: "Fail stuck runs", triggers: [cron("*/5 * * * *")], retries: 2 },
  async ({ step }) => ({ failed: await step.run("fail-stuck-runs", () => failStuckRuns(getEngine())) }),
);
