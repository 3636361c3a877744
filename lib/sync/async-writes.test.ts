// An asynchronous write's attempts (runQueuedWrite) against the sandbox help desk on a real database:
// a platform that does not answer is tried again after a wait, and the write fails after MAX_ATTEMPTS
// with the error a synchronous write would answer (WRITE_FAILED); a platform over its limit makes the
// write wait until its Retry-After.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, queueWrite, runQueuedWrite } from "./async-writes";
import { syncDue } from "./drive";
import { createSyncHarness, type SyncHarness } from "./testing";

describe("asynchronous write attempts", () => {
  let h: SyncHarness;
  let connectionId: string;
  const account = "async-write-desk";
  beforeAll(async () => {
    h = await createSyncHarness({});
    connectionId = await h.connect("zendesk", { id: account, size: 60 });
    await syncDue(h.engine, connectionId);
  }, 60_000);
  afterAll(() => h?.close());

  const faults = (body: unknown) => h.control(`/zendesk/${account}/faults`, "PUT", body);
  const queue = (subject: string) =>
    queueWrite(h.database.db, {
      organizationId: h.organizationId,
      environment: "sandbox",
      connectionId,
      object: "tickets",
      operation: "create",
      recordId: null,
      data: { subject, description: "Retried." },
      idempotencyKey: null,
    });
  const row = (id: string) => h.database.db.asyncWrite.findUniqueOrThrow({ where: { id } });

  it("tries a platform that did not answer again after a wait, and succeeds once it answers", async () => {
    const write = await queue("Outage");
    await faults({ error_rate: 1 });
    const first = await runQueuedWrite(h.engine, write.id);
    expect(first).toMatchObject({ status: "running", resumeAt: expect.any(Date) });
    expect(await row(write.id)).toMatchObject({ attempts: 1, status: "running", error: { error_code: "PLATFORM_UNAVAILABLE" } });
    // Not before its time.
    expect(await runQueuedWrite(h.engine, write.id)).toMatchObject({ status: "running" });
    expect((await row(write.id)).attempts).toBe(1);

    await faults({ error_rate: 0 });
    h.advance(first!.resumeAt!.getTime() - h.now() + 1);
    expect(await runQueuedWrite(h.engine, write.id)).toEqual({ status: "succeeded", resumeAt: null });
    expect(await row(write.id)).toMatchObject({ attempts: 2, status: "succeeded", resumeAt: null });
  });

  it(`fails after ${MAX_ATTEMPTS} attempts with WRITE_FAILED naming the error`, async () => {
    const write = await queue("Long outage");
    await faults({ error_rate: 1 });
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const outcome = await runQueuedWrite(h.engine, write.id);
        if (attempt < MAX_ATTEMPTS) h.advance(outcome!.resumeAt!.getTime() - h.now() + 1);
        else expect(outcome).toEqual({ status: "failed", resumeAt: null });
      }
    } finally {
      await faults({ error_rate: 0 });
    }
    expect(await row(write.id)).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, error: { error_code: "PLATFORM_UNAVAILABLE" } });
    const failed = await h.database.db.event.findFirstOrThrow({ where: { connectionId, type: "WRITE_FAILED" } });
    expect(failed.data).toMatchObject({
      write_id: write.id,
      error: { error_code: "PLATFORM_UNAVAILABLE", error_message: expect.stringContaining(`after ${MAX_ATTEMPTS} attempts`) },
    });
  });

  it("waits for the platform's Retry-After when it is over its limit", async () => {
    const write = await queue("Throttled");
    await faults({ burst_429: 1 });
    const outcome = await runQueuedWrite(h.engine, write.id);
    await faults({ burst_429: 0 });
    expect(outcome).toMatchObject({ status: "rate_limited", resumeAt: expect.any(Date) });
    expect(await row(write.id)).toMatchObject({ status: "rate_limited", attempts: 1, error: { error_code: "PLATFORM_RATE_LIMITED" } });
    h.advance(outcome!.resumeAt!.getTime() - h.now() + 1);
    expect(await runQueuedWrite(h.engine, write.id)).toEqual({ status: "succeeded", resumeAt: null });
  });
});
