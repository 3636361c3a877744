// The sync functions: thin over lib/sync, which does the work (DESIGN.md section 8).
import { cron } from "inngest";
import { stepBudgetMs } from "@/lib/config";
import { dueConnections } from "@/lib/sync/due";
import { getEngine } from "@/lib/sync/engine";
import { LeaseLostError } from "@/lib/sync/lease";
import { nextRun } from "@/lib/sync/planner";
import { executeRun, type RunResult } from "@/lib/sync/runner";
import { failStuckRuns } from "@/lib/sync/stuck";
import { inngest } from "../client";
import { connectionSyncRequested } from "../events";
import { fence, keep, LEASE_MARGIN_MS, letGo, StepCount } from "./steps";

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
 * pages), and repeats while work is due. One at a time per connection (the concurrency key), and every
 * step fenced by the connection's lease (steps.ts): a retried step takes the lease over, and the
 * attempt it replaces stops at its next page. A rate-limited run sleeps until the platform allows it
 * (step.sleepUntil: no retry is spent on patience) and goes on. Near the step budget the function
 * continues in a new run (same sync runs, from their checkpoints).
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
  async ({ event, step, runId: functionRunId }) => {
    const connectionId = event.data.connection_id;
    const steps = new StepCount();
    const leaseMs = stepBudgetMs() + LEASE_MARGIN_MS;
    const runs: { runId: string; status: string }[] = [];
    const ended = (extra: Record<string, unknown> = {}) => ({ connection_id: connectionId, runs, steps: steps.taken, ...extra });
    const continued = async () => {
      await step.sendEvent(
        "continue",
        connectionSyncRequested.create(
          { connection_id: connectionId, platform: event.data.platform },
          { id: `sync:${connectionId}:continue:${functionRunId}` },
        ),
      );
      return ended({ continued: true });
    };
    for (let i = 0; i < MAX_RUNS; i++) {
      if (!steps.room(1)) return continued();
      steps.take();
      const runId = await step.run(`plan-${i}`, async () => {
        const { engine, owner } = await fence("connections", connectionId, leaseMs);
        const planned = await nextRun(engine, connectionId);
        // Nothing due: the connection's lease goes back now rather than when it expires.
        if (!planned) await letGo("connections", connectionId, owner);
        return planned;
      });
      if (!runId) break;
      let status = "running";
      for (let part = 0; status === "running"; part++) {
        // A part may be followed by its sleep.
        if (!steps.room(2)) return continued();
        steps.take();
        const outcome = await step.run(`run-${runId}-${part}`, async () => {
          const { engine, owner } = await fence("connections", connectionId, leaseMs);
          const deadline = Date.now() + stepBudgetMs();
          let result: RunResult;
          try {
            result = await executeRun(engine, runId, { shouldYield: () => Date.now() > deadline });
          } catch (error) {
            // A later attempt of this step took the connection over; it goes on from the checkpoints.
            if (error instanceof LeaseLostError) return { status: "superseded", resumeAt: null };
            throw error;
          }
          if (result.status === "rate_limited") {
            // Held through the sleep, so the scheduler sends nothing for the connection meanwhile.
            await keep("connections", connectionId, owner, new Date(result.resumeAt.getTime() + LEASE_MARGIN_MS));
            return { status: "rate_limited", resumeAt: result.resumeAt.toISOString() };
          }
          return { status: result.status === "yielded" ? "running" : result.status, resumeAt: null };
        });
        if (outcome.status === "superseded") return ended({ superseded: runId });
        status = outcome.status;
        if (outcome.resumeAt) {
          steps.take();
          await step.sleepUntil(`wait-${runId}-${part}`, outcome.resumeAt);
          status = "running";
        }
      }
      runs.push({ runId, status });
    }
    return ended();
  },
);

/** Every five minutes: runs without progress for the configured time are failed (and alerted by their events). */
export const stuckRunMonitor = inngest.createFunction(
  { id: "stuck-run-monitor", name: "Fail stuck runs", triggers: [cron("*/5 * * * *")], retries: 2 },
  async ({ step }) => ({ failed: await step.run("fail-stuck-runs", () => failStuckRuns(getEngine())) }),
);
