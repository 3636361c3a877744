// The sync job functions through Inngest's execution engine (@inngest/test), with real steps against
// the sandbox help desk, a real receiver and a real database: the scheduler starts due cron triggers
// and dispatches new runs with idempotent event ids; the run function drives a run in steps of pages
// and sleeps until the receiver's next attempt when the run waits.
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provideEngine } from "@/lib/sync/engine";
import { createTrigger } from "@/lib/jobs/triggers";
import { createJobHarness, TICKETS_AND_COMMENTS, type JobHarness } from "@/lib/jobs/testing";
import { syncJobRun, syncJobScheduler } from "./sync-jobs";

describe("the sync job functions", () => {
  let j: JobHarness;
  let jobId: string;
  beforeAll(async () => {
    j = await createJobHarness({ size: 60 });
    provideEngine(j.h.engine);
    jobId = await j.job(TICKETS_AND_COMMENTS);
  });
  afterAll(() => j?.close());

  const event = (runId: string) => [{ name: "tributary/sync-job-run.requested", data: { run_id: runId } }] as [{ name: string; data: Record<string, unknown> }];
  const ofRun = (runId: string) => j.receiver.acknowledged().filter((e) => e.data.sync_job_run_id === runId);

  it("scheduler: starts due cron triggers and dispatches new runs once", async () => {
    const queued = await j.run(jobId);
    const trigger = await createTrigger(j.h.database.db, j.scope, {
      syncJobId: jobId,
      connectionId: j.connectionId,
      webhookEndpointId: j.endpointId,
      expression: "0 * * * *",
    });
    await j.h.database.db.cronTrigger.update({ where: { id: trigger.id }, data: { nextRunAt: new Date(Date.now() - 1000) } });
    const t = new InngestTestEngine({ function: syncJobScheduler, steps: [{ id: "dispatch-runs", handler: () => ({ ids: [] }) }] });
    const first = await t.execute();
    expect(first.result).toEqual({ triggered: 1, dispatched: 2 });
    const sent = first.ctx.step.sendEvent.mock.calls[0][1] as { name: string; id: string; data: { run_id: string } }[];
    const fromTrigger = await j.h.database.db.syncJobRun.findFirstOrThrow({ where: { cronTriggerId: trigger.id } });
    expect(sent.map((e) => e.data.run_id).sort()).toEqual([queued, fromTrigger.id].sort());
    expect(sent.every((e) => e.name === "tributary/sync-job-run.requested")).toBe(true);
    // A repeated tick repeats the event ids (Inngest drops them) and starts no second trigger run.
    const again = await new InngestTestEngine({ function: syncJobScheduler, steps: [{ id: "dispatch-runs", handler: () => ({ ids: [] }) }] }).execute();
    expect(again.result).toEqual({ triggered: 0, dispatched: 2 });
    expect((again.ctx.step.sendEvent.mock.calls[0][1] as { id: string }[]).map((e) => e.id).sort()).toEqual(sent.map((e) => e.id).sort());
    await j.h.database.db.syncJobRun.updateMany({ where: { id: { in: [queued, fromTrigger.id] } }, data: { status: "cancelled" } });
  });

  it("sync-job-run: drives a run to its end in steps of pages", async () => {
    const runId = await j.run(jobId);
    process.env.TRIBUTARY_STEP_BUDGET_MS = "1";
    try {
      const { result, ctx, error } = await new InngestTestEngine({ function: syncJobRun, events: event(runId) }).execute();
      expect(error).toBeUndefined();
      expect(result).toMatchObject({ run_id: runId, status: "succeeded" });
      expect(ctx.step.run.mock.calls.length).toBeGreaterThan(5);
      // The step that ended the run gave its lease back.
      expect(await j.h.database.db.syncJobRun.findUniqueOrThrow({ where: { id: runId }, select: { leaseOwner: true } })).toEqual({ leaseOwner: null });
    } finally {
      delete process.env.TRIBUTARY_STEP_BUDGET_MS;
    }
    const events = ofRun(runId);
    expect(events[0].type).toBe("SYNC_JOB_RUN_STARTED");
    expect(events[events.length - 1].type).toBe("SYNC_JOB_RUN_COMPLETED");
    expect(events.map((e) => e.data.sequence)).toEqual(events.map((_, i) => i + 1));
  });

  it("sync-job-run: sleeps until the receiver's next attempt while the run waits", async () => {
    const runId = await j.run(jobId);
    j.receiver.answer = (e, attempt) => ({ status: e.data.sync_job_run_id === runId && e.data.sequence === 2 && attempt === 1 ? 500 : 200 });
    const slept: string[] = [];
    const t = new InngestTestEngine({
      function: syncJobRun,
      events: event(runId),
      steps: [
        {
          id: "wait-0",
          handler: async () => {
            slept.push("wait-0");
            await new Promise((resolve) => setTimeout(resolve, 1300));
          },
        },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toMatchObject({ status: "succeeded" });
    expect(slept).toEqual(["wait-0"]);
    const [, until] = ctx.step.sleepUntil.mock.calls[0] as [string, Date];
    expect(new Date(until).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(ofRun(runId).map((e) => e.data.sequence)).toEqual(ofRun(runId).map((_, i) => i + 1));
  });
});
