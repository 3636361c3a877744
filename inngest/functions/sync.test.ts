// The sync functions through Inngest's execution engine (@inngest/test), with real steps against the
// sandbox platforms and a real database: the scheduler fans out one idempotent event per due
// connection, connection-sync takes a connection through its staged lifecycle in steps, the backfill
// function queues a backfill and asks for a sync, the monitor fails stuck runs.
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provideEngine } from "@/lib/sync/engine";
import { GROUND_TRUTH_OBJECTS, createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { connectionBackfill, connectionSync, scheduler, stuckRunMonitor } from "./sync";

describe("the sync functions", () => {
  let h: SyncHarness;
  let connectionId: string;
  beforeAll(async () => {
    h = await createSyncHarness({ batches: [{ objects: [], fromMonthsAgo: 2, toMonthsAgo: 0 }] });
    provideEngine(h.engine);
    connectionId = await h.connect("quickbooks", { id: "inngest-books", size: 3000 });
  });
  afterAll(() => h?.close());

  const event = (name: string, data: Record<string, unknown>) => [{ name, data }] as [{ name: string; data: Record<string, unknown> }];

  it("scheduler: one event per due connection, with an id that a repeated tick repeats", async () => {
    const other = await h.connect("shopify", { id: "inngest-shop", size: 100 });
    // Sending is mocked (there is no Inngest server here); the call and its events are recorded.
    const t = new InngestTestEngine({ function: scheduler, steps: [{ id: "fan-out", handler: () => ({ ids: [] }) }] });
    const first = await t.execute();
    expect(first.result).toEqual({ scheduled: 2 });
    const sent = first.ctx.step.sendEvent.mock.calls[0];
    expect(sent[0]).toBe("fan-out");
    const events = sent[1] as { name: string; id: string; data: { connection_id: string; platform: string } }[];
    expect(events.map((e) => e.data).sort((a, b) => a.platform.localeCompare(b.platform))).toEqual([
      { connection_id: connectionId, platform: "quickbooks" },
      { connection_id: other, platform: "shopify" },
    ]);
    expect(events.every((e) => e.name === "tributary/connection.sync.requested")).toBe(true);
    const again = await t.execute();
    expect((again.ctx.step.sendEvent.mock.calls[0][1] as { id: string }[]).map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    await h.database.db.connection.update({ where: { id: other }, data: { deletedAt: new Date() } });
  });

  it("connection-sync: the whole staged lifecycle in steps of pages, resumable from each", async () => {
    process.env.TRIBUTARY_STEP_BUDGET_MS = "1"; // one page per step, to see the grouping
    try {
      const t = new InngestTestEngine({
        function: connectionSync,
        events: event("tributary/connection.sync.requested", { connection_id: connectionId, platform: "quickbooks" }),
      });
      const { result, ctx, error } = await t.execute();
      expect(error).toBeUndefined();
      expect((result as { runs: { status: string }[] }).runs.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
      const stepIds = ctx.step.run.mock.calls.map((call) => call[0] as string);
      expect(new Set(stepIds.filter((id) => id.startsWith("run-"))).size).toBeGreaterThan(4);
    } finally {
      delete process.env.TRIBUTARY_STEP_BUDGET_MS;
    }
    expect(await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).toMatchObject({ stage: "ONGOING", isReady: true });
    for (const object of Object.keys(GROUND_TRUTH_OBJECTS.quickbooks))
      expect(await h.stored(connectionId, object), object).toEqual(await h.truth("quickbooks", "inngest-books", object));
  });

  it("connection-sync: a rate-limited run ends its step with RetryAfterError at the platform's resume time", async () => {
    const limited = await h.connect("shopify", { id: "inngest-limited", size: 300 });
    // The first 429 answers the first object's count, which a run never retries; the second, its first page.
    await h.control("/shopify/inngest-limited/faults", "PUT", { burst_429: 2 });
    provideEngine({ ...h.engine, options: { ...h.engine.options, inlineRateLimitWaitMs: 0 } });
    try {
      const t = new InngestTestEngine({
        function: connectionSync,
        events: event("tributary/connection.sync.requested", { connection_id: limited, platform: "shopify" }),
      });
      const { error } = await t.execute();
      expect(error).toMatchObject({ name: "RetryAfterError", message: expect.stringContaining("is rate limited until") });
      const run = await h.database.db.syncRun.findFirstOrThrow({ where: { connectionId: limited } });
      expect(run).toMatchObject({ status: "rate_limited" });
      expect((error as Error).message).toContain(run.resumeAt!.toISOString());
    } finally {
      provideEngine(h.engine);
    }
  });

  it("connection-backfill: queues the backfill, pausing incremental syncs, and asks for a sync", async () => {
    const t = new InngestTestEngine({
      function: connectionBackfill,
      events: event("tributary/connection.backfill.requested", {
        connection_id: connectionId,
        platform: "quickbooks",
        objects: ["invoices"],
        start: null,
        end: null,
      }),
      steps: [{ id: "sync", handler: () => ({ ids: [] }) }],
    });
    const { result, ctx } = await t.execute();
    const runId = (result as { run_id: string }).run_id;
    expect(await h.database.db.syncRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      kind: "backfill",
      status: "queued",
      objects: ["invoices"],
    });
    expect((await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).incrementalPausedAt).not.toBeNull();
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("sync", expect.objectContaining({ name: "tributary/connection.sync.requested", id: `backfill:${runId}` }));
  });

  it("stuck-run-monitor: fails runs without progress", async () => {
    const run = await h.database.db.syncRun.findFirstOrThrow({ where: { connectionId, kind: "backfill" } });
    await h.database.db.syncRun.update({
      where: { id: run.id },
      data: { status: "running", startedAt: new Date(h.now()), lastProgressAt: new Date(h.now() - 31 * 60_000) },
    });
    const { result } = await new InngestTestEngine({ function: stuckRunMonitor }).execute();
    expect(result).toEqual({ failed: [run.id] });
  });
});
