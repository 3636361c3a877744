// The asynchronous write functions through Inngest's execution engine (@inngest/test), with real steps
// against the sandbox help desk and a real database: the scheduler dispatches due writes with event
// ids that repeat while the same attempt is due, and write-run runs a write under its lease to its
// outcome (WRITE_COMPLETED), or leaves alone a write another holder runs.
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueWrite } from "@/lib/sync/async-writes";
import { syncDue } from "@/lib/sync/drive";
import { provideEngine } from "@/lib/sync/engine";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { writeRun, writeScheduler } from "./writes";

describe("the asynchronous write functions", () => {
  let h: SyncHarness;
  let connectionId: string;
  beforeAll(async () => {
    h = await createSyncHarness({});
    provideEngine(h.engine);
    connectionId = await h.connect("zendesk", { id: "inngest-writes", size: 60 });
    await syncDue(h.engine, connectionId);
  }, 60_000);
  afterAll(() => h?.close());

  const queue = (subject: string) =>
    queueWrite(h.database.db, {
      organizationId: h.organizationId,
      environment: "sandbox",
      connectionId,
      object: "tickets",
      operation: "create",
      recordId: null,
      data: { subject, description: "Queued for Inngest." },
      idempotencyKey: null,
    });

  it("write-scheduler: dispatches due writes, with the same event ids while the same attempt is due", async () => {
    const write = await queue("Dispatched");
    const tick = () => new InngestTestEngine({ function: writeScheduler, steps: [{ id: "dispatch-writes", handler: () => ({ ids: [] }) }] }).execute();
    const first = await tick();
    const sent = first.ctx.step.sendEvent.mock.calls[0][1] as { name: string; id: string; data: { write_id: string } }[];
    expect(sent).toContainEqual(expect.objectContaining({ name: "tributary/write.requested", data: { write_id: write.id } }));
    const again = await tick();
    expect((again.ctx.step.sendEvent.mock.calls[0][1] as { id: string }[]).map((e) => e.id)).toEqual(sent.map((e) => e.id));
    await h.database.db.asyncWrite.update({ where: { id: write.id }, data: { status: "cancelled" } });
  });

  it("write-run: runs a write to its outcome under its lease, and leaves one another holder runs", async () => {
    const write = await queue("Through Inngest");
    const { result, error } = await new InngestTestEngine({
      function: writeRun,
      events: [{ name: "tributary/write.requested", data: { write_id: write.id } }],
    }).execute();
    expect(error).toBeUndefined();
    expect(result).toEqual({ write_id: write.id, status: "succeeded" });
    const done = await h.database.db.asyncWrite.findUniqueOrThrow({ where: { id: write.id } });
    expect(done).toMatchObject({ status: "succeeded", attempts: 1, leaseOwner: null });
    const ticketId = (done.result as { record: { id: string } }).record.id;
    expect(await h.database.db.record.count({ where: { connectionId, object: "tickets", externalId: ticketId } })).toBe(1);
    expect(await h.database.db.event.count({ where: { connectionId, type: "WRITE_COMPLETED" } })).toBe(1);

    // Held by the embedded worker (or another invocation): this one does nothing.
    const held = await queue("Held elsewhere");
    await h.database.db.asyncWrite.update({ where: { id: held.id }, data: { leaseOwner: "worker:1", leaseExpiresAt: new Date(Date.now() + 60_000) } });
    const skipped = await new InngestTestEngine({ function: writeRun, events: [{ name: "tributary/write.requested", data: { write_id: held.id } }] }).execute();
    expect(skipped.result).toEqual({ write_id: held.id, status: "not_due" });
    expect((await h.database.db.asyncWrite.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("queued");
  });
});
