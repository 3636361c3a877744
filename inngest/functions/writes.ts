// The asynchronous write functions (lib/sync/async-writes.ts): a scheduler that dispatches due writes
// every minute, and one function per write that runs it under its lease (the same one the embedded
// worker takes, so the two never run one write at once), sleeping (step.sleepUntil) while the write
// waits for the platform's rate limit or for its next attempt.
import { cron } from "inngest";
import { release } from "@/lib/queue/lease";
import { claimWrite, dueWrites, runQueuedWrite } from "@/lib/sync/async-writes";
import { getEngine } from "@/lib/sync/engine";
import { inngest } from "../client";
import { writeRequested } from "../events";

/** Attempts and waits per invocation: a write ends in a few (MAX_ATTEMPTS, plus rate-limit waits). */
const MAX_PARTS = 20;
const LEASE_MS = 5 * 60_000;

export const writeScheduler = inngest.createFunction(
  { id: "write-scheduler", name: "Dispatch asynchronous writes", triggers: [cron("* * * * *")], retries: 2 },
  async ({ step }) => {
    const due = await step.run("find-due-writes", () => dueWrites(getEngine().db, 1000));
    if (due.length)
      await step.sendEvent(
        "dispatch-writes",
        due.map((write) => writeRequested.create({ write_id: write.id }, { id: `write:${write.dueKey}` })),
      );
    return { dispatched: due.length };
  },
);

export const writeRun = inngest.createFunction(
  { id: "write-run", name: "Run an asynchronous write", triggers: [writeRequested], concurrency: { key: "event.data.write_id", limit: 1 }, retries: 5 },
  async ({ event, step, runId }) => {
    const writeId = event.data.write_id;
    for (let part = 0; part < MAX_PARTS; part++) {
      const outcome = await step.run(`attempt-${part}`, async () => {
        const engine = getEngine();
        const owner = `inngest:${runId}`;
        if (!(await claimWrite(engine.db, writeId, { owner, leaseMs: LEASE_MS }))) return null;
        try {
          const result = await runQueuedWrite(engine, writeId);
          return result && { status: result.status, resumeAt: result.resumeAt?.toISOString() ?? null };
        } finally {
          await release(engine.db, "writes", writeId, owner);
        }
      });
      if (!outcome) return { write_id: writeId, status: "not_due" };
      if (!outcome.resumeAt) return { write_id: writeId, status: outcome.status };
      await step.sleepUntil(`wait-${part}`, new Date(outcome.resumeAt));
    }
    return { write_id: writeId, status: "continued_by_scheduler" };
  },
);
