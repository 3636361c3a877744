// Retention under Inngest (lib/retention): every five minutes, the connections of environments whose
// data a member deleted are deleted, deleted connections' data is removed
// under their leases (the same the embedded worker's purge takes), then history past each
// organization's retention is pruned, in steps of about stepBudgetMs() of small statements each, so a
// retried step repeats little and no statement holds a lock long. A backlog larger than the step
// budget waits for the next tick, which goes on where this one stopped.
import { randomUUID } from "node:crypto";
import { cron } from "inngest";
import { stepBudgetMs } from "@/lib/config";
import { deleteRequestedEnvironments } from "@/lib/retention/environments";
import { purgeDeletedConnections } from "@/lib/retention/purge";
import { pruneHistory } from "@/lib/retention/prune";
import { getEngine } from "@/lib/sync/engine";
import { inngest } from "../client";
import { LEASE_MARGIN_MS, StepCount } from "./steps";

export const retention = inngest.createFunction(
  { id: "retention", name: "Remove deleted connections' data and prune history", triggers: [cron("*/5 * * * *")], concurrency: { limit: 1 }, retries: 2 },
  async ({ step }) => {
    const steps = new StepCount();
    const removed: Record<string, number> = {};
    const add = (rows: Record<string, number>) => {
      for (const [kind, count] of Object.entries(rows)) removed[kind] = (removed[kind] ?? 0) + count;
    };
    // Environments whose data a member deleted: their connections are deleted first, 50 a step.
    let environmentsDone = false;
    while (!environmentsDone && steps.room(1)) {
      const deleted = await step.run("delete-requested-environments", () => deleteRequestedEnvironments(getEngine().db, 50));
      steps.take();
      environmentsDone = deleted < 50;
    }
    let purged = 0;
    for (let done = false; !done && steps.room(1);) {
      const slice = await step.run("purge-deleted-connections", () =>
        purgeDeletedConnections(getEngine().db, { owner: `inngest:${randomUUID()}`, leaseMs: stepBudgetMs() + LEASE_MARGIN_MS, budgetMs: stepBudgetMs() }),
      );
      steps.take();
      add(slice.removed);
      purged += slice.purged.length;
      done = slice.done;
    }
    let pruned = false;
    while (!pruned && steps.room(1)) {
      const slice = await step.run("prune-history", () => pruneHistory(getEngine().db, { budgetMs: stepBudgetMs() }));
      steps.take();
      add(slice.removed);
      pruned = slice.done;
    }
    return { purged, pruned, removed };
  },
);
