// Sync job runs under the embedded worker: a worker killed in the middle of a run leaves it to another
// once its lease expires, and the run goes on from its last acknowledged page, never sending one of
// them again; cron triggers start runs when their time comes, and skip a tick while a run is going.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetSecretKeyCache } from "@/lib/crypto";
import { startWorker, type Worker } from "@/lib/worker/worker";
import { createTrigger } from "./triggers";
import { createJobHarness, TICKETS_AND_COMMENTS, type JobHarness, type ReceivedEvent } from "./testing";

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

describe("sync job runs on the embedded worker", () => {
  let j: JobHarness;
  const key = randomBytes(32).toString("base64");
  const savedKey = process.env.TRIBUTARY_SECRET_KEY;
  beforeAll(async () => {
    process.env.TRIBUTARY_SECRET_KEY = key;
    resetSecretKeyCache();
    j = await createJobHarness({ size: 500, timeoutMs: 2000 });
  });
  afterAll(async () => {
    await j?.close();
    if (savedKey === undefined) delete process.env.TRIBUTARY_SECRET_KEY;
    else process.env.TRIBUTARY_SECRET_KEY = savedKey;
    resetSecretKeyCache();
  });

  it("resume the run of a killed worker without resending an acknowledged page", async () => {
    const db = j.h.database.db;
    const runId = await j.run(await j.job(TICKETS_AND_COMMENTS));
    const ofRun = (events: ReceivedEvent[]) => events.filter((e) => e.data.sync_job_run_id === runId);
    j.receiver.answer = () => ({ status: 200, delayMs: 15 });
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "../worker/worker.child.ts")], {
      env: {
        ...process.env,
        DATABASE_URL: j.h.database.url,
        SANDBOX_URL: j.h.sandbox.url,
        CLOCK_OFFSET_MS: String(j.h.now() - Date.now()),
        LEASE_MS: "3000",
        WORKER_OWNER: "doomed",
        TRIBUTARY_SECRET_KEY: key,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    await expect.poll(() => ofRun(j.receiver.acknowledged()).length, { timeout: 60_000, interval: 10 }).toBeGreaterThan(40);
    child.kill("SIGKILL");
    await exited;
    const doomed = await db.syncJobRun.findUniqueOrThrow({ where: { id: runId } });
    expect(doomed.status).toBe("running");
    expect(doomed.leaseOwner).toBe("doomed");
    const ackedBeforeKill = ofRun(j.receiver.acknowledged()).length;

    workers.push(startWorker(j.h.engine, { owner: "survivor", pollMs: 50, leaseMs: 3000, log: () => undefined }));
    await expect
      .poll(async () => (await db.syncJobRun.findUniqueOrThrow({ where: { id: runId } })).status, { timeout: 90_000, interval: 100 })
      .toBe("succeeded");
    // The run is completed when SYNC_JOB_RUN_COMPLETED is written; its delivery follows.
    await expect.poll(() => ofRun(j.receiver.acknowledged()).at(-1)?.type, { timeout: 10_000, interval: 20 }).toBe("SYNC_JOB_RUN_COMPLETED");

    const acked = ofRun(j.receiver.acknowledged());
    expect(acked.length).toBeGreaterThan(ackedBeforeKill);
    // One event per sequence number, in order, and each stored event reached the receiver.
    expect(acked.map((e) => e.data.sequence)).toEqual(acked.map((_, i) => i + 1));
    const stored = await db.event.count({ where: { type: { startsWith: "SYNC_JOB_RUN_" }, data: { path: ["sync_job_run_id"], equals: runId } } });
    expect(stored).toBe(acked.length);
    // Only the page in flight at the kill may have been sent twice, under the same webhook-id.
    const requests = ofRun(j.receiver.requests);
    const perId = new Map<string, number>();
    for (const r of requests) perId.set(r.webhookId, (perId.get(r.webhookId) ?? 0) + 1);
    const repeated = [...perId.values()].filter((n) => n > 1);
    expect(repeated.length).toBeLessThanOrEqual(1);
    expect(requests.length - acked.length).toBe(repeated.reduce((sum, n) => sum + n - 1, 0));
    // And the data is whole: every ticket once, every ticket's comments once.
    const tickets = acked
      .filter((e) => e.type === "SYNC_JOB_RUN_RECORD" && e.data.resource === "ticketing/tickets")
      .flatMap((e) => (e.data.records as { id: string }[]).map((t) => t.id));
    expect([...tickets].sort()).toEqual(await j.h.truth("zendesk", j.accountId, "tickets"));
    const commentPages = acked
      .filter((e) => e.type === "SYNC_JOB_RUN_RECORD" && e.data.resource === "ticketing/comments")
      .map((e) => JSON.stringify([e.data.parent, e.data.page]));
    expect(new Set(commentPages).size).toBe(commentPages.length);
  }, 180_000);

  it("start runs from cron triggers when their time comes, one at a time", async () => {
    const db = j.h.database.db;
    j.receiver.answer = () => ({ status: 200 });
    const jobId = await j.job({ name: "Organizations", category: "ticketing", resources: [{ resource: "ticketing/organizations" }] });
    const trigger = await createTrigger(db, j.scope, {
      syncJobId: jobId,
      connectionId: j.connectionId,
      webhookEndpointId: j.endpointId,
      expression: "*/5 * * * *",
    });
    expect(trigger.nextRunAt!.getUTCMinutes() % 5).toBe(0);
    expect(trigger.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    // Its time comes.
    await db.cronTrigger.update({ where: { id: trigger.id }, data: { nextRunAt: new Date(Date.now() - 1000) } });
    workers.push(startWorker(j.h.engine, { owner: "cron", pollMs: 50, leaseMs: 3000, log: () => undefined }));
    await expect.poll(() => db.syncJobRun.count({ where: { cronTriggerId: trigger.id, status: "succeeded" } }), { timeout: 30_000, interval: 100 }).toBe(1);
    const after = await db.cronTrigger.findUniqueOrThrow({ where: { id: trigger.id } });
    expect(after.lastRunAt).not.toBeNull();
    expect(after.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    expect(after.nextRunAt!.getUTCMinutes() % 5).toBe(0);
    // No second run until the next time.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await db.syncJobRun.count({ where: { cronTriggerId: trigger.id } })).toBe(1);
  }, 60_000);
});
