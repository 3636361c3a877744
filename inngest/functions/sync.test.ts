// The sync functions through Inngest's execution engine (@inngest/test), with real steps against the
// sandbox platforms and a real database: the scheduler fans out one idempotent event per due
// connection, connection-sync takes a connection through its staged lifecycle in steps, the monitor
// fails stuck runs. inngest/testing/ drives them over HTTP as Inngest does: sleeps, retries, races.
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provideEngine } from "@/lib/sync/engine";
import { GROUND_TRUTH_OBJECTS, createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { connectionSync, scheduler, stuckRunMonitor } from "./sync";

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

  it("scheduler: leaves a connection a function holds, and gives the work of one that died a new event id", async () => {
    const scheduled = async () => {
      const { ctx } = await new InngestTestEngine({ function: scheduler, steps: [{ id: "fan-out", handler: () => ({ ids: [] }) }] }).execute();
      const events = (ctx.step.sendEvent.mock.calls[0]?.[1] ?? []) as { id: string; data: { connection_id: string } }[];
      return events.filter((e) => e.data.connection_id === connectionId).map((e) => e.id);
    };
    const [first] = await scheduled();
    expect(first).toMatch(/^sync:conn_\w+:schedule:now:0$/);
    const lease = (leaseExpiresAt: Date | null, leaseOwner: string | null = "inngest:one") =>
      h.database.db.connection.update({ where: { id: connectionId }, data: { leaseOwner, leaseExpiresAt } });
    try {
      await lease(new Date(Date.now() + 60_000));
      expect(await scheduled()).toEqual([]);
      // Its function died: once the lease expires the work is due again, under an id Inngest has not seen.
      await lease(new Date(Date.now() - 1_000));
      expect(await scheduled()).toEqual([`${first}:inngest:one`]);
    } finally {
      await lease(null, null);
    }
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

  it("stuck-run-monitor: fails runs without progress", async () => {
    const run = await h.database.db.syncRun.create({
      data: {
        id: "run_inngest_stuck",
        organizationId: h.organizationId,
        environment: "sandbox",
        connectionId,
        kind: "manual",
        status: "queued",
        objects: ["invoices"],
      },
    });
    await h.database.db.syncRun.update({
      where: { id: run.id },
      data: { status: "running", startedAt: new Date(h.now()), lastProgressAt: new Date(h.now() - 31 * 60_000) },
    });
    const { result } = await new InngestTestEngine({ function: stuckRunMonitor }).execute();
    expect(result).toEqual({ failed: [run.id] });
  });
});
