// Inngest mode at any size, through the served /api/inngest driven over HTTP as Inngest's executor
// drives it (inngest/testing): a sync of three times the step budget continues in new function runs
// and ends equal to the ground truth with each event once; a rate-limited sync sleeps and goes on
// instead of spending retries; a step retried while its first attempt still writes (a host that timed
// out) takes the connection over, the first attempt stops at its next page, no page is written twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { provideEngine } from "@/lib/sync/engine";
import { GROUND_TRUTH_OBJECTS, createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { startExecutor, type Executor, type ExecutorRun, type StepCall } from "../testing/executor";

const SYNC_REQUESTED = "tributary/connection.sync.requested";

describe("connection-sync under Inngest, at scale", () => {
  let h: SyncHarness;
  let inngest: Executor;
  let decide: (run: ExecutorRun, call: StepCall) => "normal" | "timeout" = () => "normal";
  beforeAll(async () => {
    h = await createSyncHarness({ batches: [{ objects: [], fromMonthsAgo: 2, toMonthsAgo: 0 }] });
    provideEngine(h.engine);
    process.env.DATABASE_URL = h.database.url;
    // Every step is planned before it is called, so a test can have the executor give up on a call.
    inngest = await startExecutor({ onStep: (run, call) => decide(run, call), stepTimeoutMs: 300 });
    await inngest.register();
  });
  afterAll(async () => {
    delete process.env.TRIBUTARY_STEP_BUDGET_MS;
    delete process.env.TRIBUTARY_STEPS_PER_FUNCTION;
    await inngest?.close();
    await getDb().$disconnect();
    await h?.close();
  });

  const syncRuns = (connectionId: string) => inngest.runs.filter((r) => r.fnId === "connection-sync" && r.event.data.connection_id === connectionId);

  /**
   * Records equal to the ground truth, and no page written twice: the checkpoints count the records
   * every stored page carried, which is each object's stored records exactly once (derived objects,
   * such as tickets' comments, included).
   */
  async function expectGroundTruth(connectionId: string, platform: string, account: string): Promise<void> {
    const db = h.database.db;
    const runs = await db.syncRun.findMany({ where: { connectionId }, select: { id: true, status: true } });
    expect(runs.every((r) => r.status === "succeeded")).toBe(true);
    for (const object of Object.keys(GROUND_TRUTH_OBJECTS[platform]))
      expect(await h.stored(connectionId, object), object).toEqual(await h.truth(platform, account, object));
    const written = await db.checkpoint.groupBy({ by: ["object"], where: { syncRunId: { in: runs.map((r) => r.id) } }, _sum: { records: true } });
    const stored = await db.record.groupBy({ by: ["object"], where: { connectionId }, _count: { _all: true } });
    const count = (rows: { object: string }[], value: (row: never) => number) =>
      Object.fromEntries(rows.filter((row) => value(row as never) > 0).map((row) => [row.object, value(row as never)]));
    expect(count(written, (row: { _sum: { records: number | null } }) => row._sum.records ?? 0)).toEqual(
      count(stored, (row: { _count: { _all: number } }) => row._count._all),
    );
  }

  /** Each run's and object's events at most once (INITIAL_UPDATE, SYNC_COMPLETED, INVOICES_SYNC_STARTED, …). */
  async function expectEventsOnce(connectionId: string): Promise<string[]> {
    const events = await h.database.db.event.findMany({ where: { connectionId }, select: { type: true, syncRunId: true, object: true } });
    const keys = events.filter((e) => /(^|_)SYNC_|_UPDATE$/.test(e.type)).map((e) => `${e.type} ${e.syncRunId} ${e.object ?? ""}`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
    return events.map((e) => e.type);
  }

  it("a sync of three times the step budget continues in new function runs, equal to the ground truth, each event once", async () => {
    const connectionId = await h.connect("quickbooks", { id: "scale-books", size: 5000 });
    process.env.TRIBUTARY_STEP_BUDGET_MS = "1"; // a page per step
    process.env.TRIBUTARY_STEPS_PER_FUNCTION = "6";
    try {
      await inngest.send({ name: SYNC_REQUESTED, data: { connection_id: connectionId, platform: "quickbooks" }, id: "scale-books" });
      await inngest.drain({ timeoutMs: 180_000 });
    } finally {
      delete process.env.TRIBUTARY_STEP_BUDGET_MS;
      delete process.env.TRIBUTARY_STEPS_PER_FUNCTION;
    }
    const runs = syncRuns(connectionId);
    expect(runs.map((r) => r.status).every((s) => s === "completed")).toBe(true);
    const steps = runs.map((r) => r.completedSteps.length);
    // Each function run stays within its budget; together they took more than three budgets.
    expect(Math.max(...steps)).toBeLessThanOrEqual(6);
    expect(steps.reduce((a, b) => a + b, 0)).toBeGreaterThan(3 * 6);
    expect(runs.slice(0, -1).every((r) => (r.output as { continued?: boolean }).continued === true)).toBe(true);
    expect((runs.at(-1)!.output as { continued?: boolean }).continued).toBeUndefined();
    // Each continuation was sent once, under an id of the function run that sent it.
    const continuations = inngest.events.filter((e) => e.name === SYNC_REQUESTED && e.id?.startsWith(`sync:${connectionId}:continue:`));
    expect(continuations).toHaveLength(runs.length - 1);
    expect(continuations.every((e) => !e.deduplicated)).toBe(true);

    await expectGroundTruth(connectionId, "quickbooks", "scale-books");
    const types = await expectEventsOnce(connectionId);
    expect(types.filter((t) => t === "INITIAL_UPDATE")).toHaveLength(1);
    expect(types.filter((t) => t === "HISTORICAL_UPDATE")).toHaveLength(1);
    expect(await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).toMatchObject({
      stage: "ONGOING",
      leaseOwner: null,
    });
  }, 120_000);

  it("a rate-limited sync sleeps until the platform allows it and ends, spending no retry", async () => {
    const connectionId = await h.connect("shopify", { id: "scale-limited", size: 300 });
    // The first 429 answers the first object's count, which a run never retries; the second, its first page.
    await h.control("/shopify/scale-limited/faults", "PUT", { burst_429: 2 });
    provideEngine({ ...h.engine, options: { ...h.engine.options, inlineRateLimitWaitMs: 0 } });
    try {
      await inngest.send({ name: SYNC_REQUESTED, data: { connection_id: connectionId, platform: "shopify" }, id: "scale-limited" });
      await inngest.drain({ timeoutMs: 120_000 });
    } finally {
      provideEngine(h.engine);
    }
    const [run] = syncRuns(connectionId);
    expect(run.status).toBe("completed");
    const sleeps = run.ops.filter((o) => o.op === "Sleep");
    expect(sleeps).toHaveLength(1);
    const paused = await h.database.db.event.findFirstOrThrow({ where: { connectionId, type: "SYNC_RATE_LIMITED" } });
    expect(sleeps[0].until).toBe(Date.parse((paused.data as { resume_at: string }).resume_at));
    // No call failed and no step ran twice: the wait was a sleep, not a retry.
    expect(run.ops.filter((o) => o.op === "FunctionError" || o.op === "StepError")).toEqual([]);
    expect(Object.values(run.attempts).every((n) => n === 1)).toBe(true);
    await expectGroundTruth(connectionId, "shopify", "scale-limited");
  }, 60_000);

  it("two attempts of one step racing: the retry takes the connection over, the first stops at its next page, no page twice", async () => {
    const connectionId = await h.connect("zendesk", { id: "scale-race", size: 100 });
    // Slow pages, so the first attempt is still writing when the executor gives up on it.
    await h.control("/zendesk/scale-race/faults", "PUT", { latency_ms: 100 });
    process.env.TRIBUTARY_STEP_BUDGET_MS = "1500";
    const raced: string[] = [];
    // The first call of the first run's second step: pages were written before it and are left after it.
    decide = (run, call) => {
      if (run.event.data.connection_id !== connectionId || call.attempt > 0 || raced.length > 0 || !/^run-.+-1$/.test(call.step)) return "normal";
      raced.push(call.step);
      return "timeout";
    };
    try {
      await inngest.send({ name: SYNC_REQUESTED, data: { connection_id: connectionId, platform: "zendesk" }, id: "scale-race" });
      await inngest.drain({ timeoutMs: 180_000 });
    } finally {
      delete process.env.TRIBUTARY_STEP_BUDGET_MS;
      decide = () => "normal";
    }
    const [run] = syncRuns(connectionId);
    expect(run.status).toBe("completed");
    expect(raced).toHaveLength(1);
    // The executor gave up on the first call and called the step again; the first call, still writing,
    // found the lease taken at its next page and answered "superseded" (an answer nobody waits for).
    expect(run.ops.filter((o) => o.op === "TimedOut").map((o) => o.step)).toEqual(raced);
    const late = run.ops.filter((o) => o.abandoned && o.step === raced[0]);
    expect(late.map((o) => o.data)).toEqual([{ status: "superseded", resumeAt: null }]);
    expect(run.attempts[raced[0]]).toBe(2);
    await expectGroundTruth(connectionId, "zendesk", "scale-race");
    await expectEventsOnce(connectionId);
  }, 120_000);
});
