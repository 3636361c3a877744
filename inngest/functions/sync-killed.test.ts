// Inngest mode with the app process killed mid-step: the executor's call dies with the process (SIGKILL
// while a step writes pages), the executor retries it as Inngest does, a new app process answers the
// retry, takes the connection's lease over from the dead attempt and resumes the run from its
// checkpoints. The sync ends equal to the ground truth with no page written twice and each event once.
import type { ChildProcess } from "node:child_process";
import { spawnTsx } from "@/lib/child-process.testing";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetSecretKeyCache } from "@/lib/crypto";
import { GROUND_TRUTH_OBJECTS, createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { startExecutor, type Executor } from "../testing/executor";

const CHILD = path.join(import.meta.dirname, "../testing/app.child.ts");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("connection-sync under Inngest, its app process killed mid-step", () => {
  let h: SyncHarness;
  let inngest: Executor;
  let port: number;
  const children: ChildProcess[] = [];
  const savedKey = process.env.TRIBUTARY_SECRET_KEY;
  const key = randomBytes(32).toString("base64");

  beforeAll(async () => {
    // The app process decrypts the connection's credentials: both processes use the same key.
    process.env.TRIBUTARY_SECRET_KEY = key;
    resetSecretKeyCache();
    h = await createSyncHarness({});
    port = await freePort();
    // Inngest's retries are spread over minutes; here over the seconds a new process takes to start.
    inngest = await startExecutor({ appUrl: `http://127.0.0.1:${port}/api/inngest`, retryBackoffMs: (retry) => 1000 * retry });
  }, 60_000);
  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await inngest?.close();
    await h?.close();
    if (savedKey === undefined) delete process.env.TRIBUTARY_SECRET_KEY;
    else process.env.TRIBUTARY_SECRET_KEY = savedKey;
    resetSecretKeyCache();
  });

  /** An app process serving /api/inngest on the port; resolves once it answers. */
  async function startApp(): Promise<{ child: ChildProcess; exited: Promise<unknown> }> {
    const app = spawnTsx(CHILD, {
      DATABASE_URL: h.database.url,
      SANDBOX_URL: h.sandbox.url,
      CLOCK_OFFSET_MS: String(h.now() - Date.now()),
      APP_PORT: String(port),
      INNGEST_BASE_URL: inngest.url,
      TRIBUTARY_SECRET_KEY: key,
      TRIBUTARY_STEP_BUDGET_MS: "2000",
    });
    children.push(app.child);
    await app.waitFor(/serving/);
    return { child: app.child, exited: app.exited };
  }

  it("the executor's retry reaches a new process, which takes over from the checkpoints: ground truth, no page twice", async () => {
    const first = await startApp();
    await inngest.register();
    const connectionId = await h.connect("quickbooks", { id: "killed-books", size: 20_000 });
    // Pages of 1,000 records 300 ms apart: a step of 2 s writes several, and the kill lands inside one.
    await h.control("/quickbooks/killed-books/faults", "PUT", { latency_ms: 300 });
    await inngest.send({ name: "tributary/connection.sync.requested", data: { connection_id: connectionId, platform: "quickbooks" }, id: "killed-books" });

    const db = h.database.db;
    const pagesWritten = async () => (await db.checkpoint.aggregate({ where: { syncRun: { connectionId } }, _sum: { pages: true } }))._sum.pages ?? 0;
    for (const deadline = Date.now() + 60_000; (await pagesWritten()) < 3;) {
      if (Date.now() > deadline) throw new Error("No pages were written within 60 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const heldBy = (await db.connection.findUniqueOrThrow({ where: { id: connectionId } })).leaseOwner;
    expect(heldBy).toMatch(/^inngest:/);
    first.child.kill("SIGKILL");
    await first.exited;
    const pagesAtKill = await pagesWritten();
    await startApp();
    await inngest.drain({ timeoutMs: 180_000 });

    const [run] = inngest.runs.filter((r) => r.fnId === "connection-sync");
    expect(run.status).toBe("completed");
    // The call the kill cut off failed, and was retried.
    expect(run.ops.some((o) => o.op === "FunctionError")).toBe(true);
    expect(await pagesWritten()).toBeGreaterThan(pagesAtKill);

    for (const object of Object.keys(GROUND_TRUTH_OBJECTS.quickbooks))
      expect(await h.stored(connectionId, object), object).toEqual(await h.truth("quickbooks", "killed-books", object));
    // No page twice: the checkpoints count every record a stored page carried, once each.
    const runs = await db.syncRun.findMany({ where: { connectionId }, select: { id: true, status: true } });
    expect(runs.map((r) => r.status).every((s) => s === "succeeded")).toBe(true);
    const written = await db.checkpoint.aggregate({ where: { syncRunId: { in: runs.map((r) => r.id) } }, _sum: { records: true } });
    expect(written._sum.records).toBe(await db.record.count({ where: { connectionId } }));
    const twice = await db.$queryRaw<{ type: string }[]>`
      select type from events where connection_id = ${connectionId} and (type like '%SYNC_%' or type like '%_UPDATE')
      group by sync_run_id, type, object having count(*) > 1`;
    expect(twice).toEqual([]);
    // The new process took the lease over from the dead attempt, and let it go at the end.
    expect(await db.connection.findUniqueOrThrow({ where: { id: connectionId } })).toMatchObject({ stage: "ONGOING", leaseOwner: null });
  }, 240_000);
});
