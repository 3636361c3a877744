// Tributary's served /api/inngest driven over HTTP by the test executor, as the Inngest dev server
// drives it: registration, a cron run, a whole staged sync from an event, and the scheduler's fan-out
// coming back through the Event API into new runs. The sync engine is the test's (provideEngine): the
// route runs in this process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { provideEngine } from "@/lib/sync/engine";
import { GROUND_TRUTH_OBJECTS, createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { functions as served } from "../functions";
import { startExecutor, type Executor } from "./executor";

const SYNC_REQUESTED = "tributary/connection.sync.requested";

describe("the test executor driving /api/inngest", () => {
  let h: SyncHarness;
  let inngest: Executor;
  let connectionId: string;
  beforeAll(async () => {
    h = await createSyncHarness({ batches: [{ objects: [], fromMonthsAgo: 2, toMonthsAgo: 0 }] });
    provideEngine(h.engine);
    // The heartbeat reads the app's database (getDb), not the engine's.
    process.env.DATABASE_URL = h.database.url;
    connectionId = await h.connect("quickbooks", { id: "executor-books", size: 3000 });
    inngest = await startExecutor();
  });
  afterAll(async () => {
    await inngest?.close();
    await getDb().$disconnect();
    await h?.close();
  });

  it("registration: the SDK registers Tributary's functions with their triggers, concurrency and retries", async () => {
    const functions = await inngest.register();
    const byId = Object.fromEntries(functions.map((f) => [f.id, f]));
    expect(Object.keys(byId).sort()).toEqual(served.map((f) => f.id("tributary")).sort());
    expect(byId["tributary-connection-sync"]).toMatchObject({
      triggers: [{ event: SYNC_REQUESTED }],
      concurrency: { key: "event.data.connection_id", limit: 1 },
      throttle: { key: "event.data.platform", limit: 120, period: "1m" },
      steps: { step: { retries: { attempts: 10 }, runtime: { type: "http", url: `${inngest.appUrl}?fnId=tributary-connection-sync&stepId=step` } } },
    });
    expect(byId["tributary-heartbeat"]).toMatchObject({ triggers: [{ cron: "*/5 * * * *" }], steps: { step: { retries: { attempts: 0 } } } });
    expect(byId["tributary-webhook-delivery"].concurrency).toEqual({ key: "event.data.endpoint_id", limit: 10 });
    expect(inngest.unhandled).toEqual([]);
  });

  it("heartbeat: a cron run completes with its step's output", async () => {
    const run = inngest.invokeCron("heartbeat");
    await inngest.drain({ timeoutMs: 20_000 });
    expect(run).toMatchObject({ status: "completed", output: { database: "ok", queuedRuns: 0 } });
    expect(run.event.name).toBe("inngest/scheduled.timer");
    expect(run.ops.map((o) => [o.op, o.step])).toEqual([["StepRun", "check-health"]]);
    expect(run.attempts).toEqual({ "check-health": 1 });
  });

  it("connection-sync: a full staged sync equal to the ground truth", async () => {
    // One page per step: many calls, each fed every earlier step's result.
    process.env.TRIBUTARY_STEP_BUDGET_MS = "1";
    let eventId: string;
    try {
      [eventId] = await inngest.send({ name: SYNC_REQUESTED, data: { connection_id: connectionId, platform: "quickbooks" }, id: "executor-full-sync" });
      await inngest.drain({ timeoutMs: 120_000 });
    } finally {
      delete process.env.TRIBUTARY_STEP_BUDGET_MS;
    }
    const [run] = inngest.runs.filter((r) => r.fnId === "connection-sync");
    expect(inngest.events.find((e) => e.internalId === eventId)).toMatchObject({ id: "executor-full-sync", deduplicated: false });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe("completed");
    expect((run.output as { runs: { status: string }[] }).runs.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
    // plan-0, its run's steps, plan-1, its run's steps, plan-2 (nothing left): each stored once.
    expect(run.completedSteps.filter((s) => s.startsWith("plan-"))).toEqual(["plan-0", "plan-1", "plan-2"]);
    expect(new Set(run.completedSteps).size).toBe(run.completedSteps.length);
    expect(run.completedSteps.filter((s) => s.startsWith("run-")).length).toBeGreaterThan(4);
    expect(Object.values(run.attempts).every((n) => n === 1)).toBe(true);

    expect(await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).toMatchObject({ stage: "ONGOING", isReady: true });
    for (const object of Object.keys(GROUND_TRUTH_OBJECTS.quickbooks))
      expect(await h.stored(connectionId, object), object).toEqual(await h.truth("quickbooks", "executor-books", object));

    // The same event id again within 24 hours: recorded, no run.
    await inngest.send({ name: SYNC_REQUESTED, data: { connection_id: connectionId, platform: "quickbooks" }, id: "executor-full-sync" });
    await inngest.drain();
    expect(inngest.events.at(-1)).toMatchObject({ id: "executor-full-sync", deduplicated: true });
    expect(inngest.runs.filter((r) => r.fnId === "connection-sync")).toHaveLength(1);
  });

  it("scheduler: step.sendEvent goes through the Event API into connection-sync runs", async () => {
    const shop = await h.connect("shopify", { id: "executor-shop", size: 100 });
    const tick = inngest.invokeCron("scheduler");
    await inngest.drain({ timeoutMs: 60_000 });
    expect(tick).toMatchObject({ status: "completed", output: { scheduled: 1 } });
    expect(tick.ops.map((o) => [o.op, o.step])).toEqual([
      ["StepRun", "find-due-connections"],
      ["StepRun", "fan-out"],
    ]);
    const sent = inngest.events.filter((e) => e.name === SYNC_REQUESTED && e.data.connection_id === shop);
    expect(sent).toHaveLength(1);
    expect(sent[0].id).toMatch(new RegExp(`^sync:${shop}:`));
    const shopRuns = inngest.runs.filter((r) => r.fnId === "connection-sync" && r.event.data.connection_id === shop);
    expect(shopRuns.map((r) => r.status)).toEqual(["completed"]);
    expect(await h.database.db.connection.findUniqueOrThrow({ where: { id: shop } })).toMatchObject({ stage: "ONGOING" });

    // A tick repeated with the same ids (what a retried fan-out sends) starts nothing.
    await inngest.send(sent.map(({ name, data, id }) => ({ name, data, id })));
    await inngest.drain();
    expect(inngest.runs.filter((r) => r.fnId === "connection-sync" && r.event.data.connection_id === shop)).toHaveLength(1);
  });
});
