// The embedded worker: with the default configuration a new connection goes through its whole
// staged lifecycle and then syncs on schedule with nothing calling the engine by hand; two workers
// on one database never sync the same connection at once; and a worker killed mid-run leaves its run
// to the other once the lease expires, with the stored records equal to the ground truth.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetSecretKeyCache } from "@/lib/crypto";
import { testDatabaseKinds } from "@/lib/db/testing";
import { GROUND_TRUTH_OBJECTS, createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { startWorker, type Worker } from "./worker";

const HOUR = 3600_000;
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

describe("the embedded worker on its own", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await createSyncHarness({ batches: [{ objects: [], fromMonthsAgo: 2, toMonthsAgo: 0 }] });
  });
  afterAll(() => h?.close());

  it("takes a new connection through its staged lifecycle, then syncs it on schedule", async () => {
    workers.push(startWorker(h.engine, { pollMs: 50, leaseMs: 5000, log: () => undefined }));
    const connectionId = await h.connect("shopify", { id: "worker-shop", size: 600 });
    const connection = () => h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    await expect.poll(async () => (await connection()).stage, { timeout: 30_000, interval: 100 }).toBe("ONGOING");
    expect(await connection()).toMatchObject({ isReady: true, batchesCompleted: 2, health: "HEALTHY" });
    // Released once nothing more is due.
    await expect.poll(async () => (await connection()).leaseOwner, { timeout: 5000, interval: 50 }).toBeNull();
    const kinds = async () =>
      (await h.database.db.syncRun.findMany({ where: { connectionId }, orderBy: { createdAt: "asc" } })).map((r) => `${r.kind}:${r.status}`);
    expect(await kinds()).toEqual(["initial_batch:succeeded", "historical_batch:succeeded"]);

    // An hour later the schedule comes due and the worker runs the incremental sync by itself.
    await h.control("/shopify/worker-shop/changes", "POST", { random: 10, seed: 2 });
    h.advance(HOUR + 60_000);
    await expect.poll(kinds, { timeout: 20_000, interval: 100 }).toEqual(["initial_batch:succeeded", "historical_batch:succeeded", "incremental:succeeded"]);
  });

  it("delivers the events of a sync to a webhook endpoint, signed", async () => {
    const received: { headers: Record<string, string>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString() });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/`;
      const { secret } = await createEndpoint(
        h.database.db,
        { organizationId: h.organizationId, environment: "sandbox" },
        { url, eventTypes: ["CONNECTION_CREATED", "INITIAL_UPDATE", "HISTORICAL_UPDATE"] },
      );
      workers.push(startWorker(h.engine, { pollMs: 50, leaseMs: 5000, log: () => undefined }));
      const connectionId = await h.connect("quickbooks", { id: "worker-hooks", size: 300 });
      const types = () =>
        received
          .map((r) => new Webhook(secret).verify(r.body, r.headers) as { type: string; data: { connection_id: string } })
          .filter((e) => e.data.connection_id === connectionId)
          .map((e) => e.type)
          .sort();
      // Deliveries go out concurrently: at least once each, in no promised order.
      await expect.poll(types, { timeout: 20_000, interval: 100 }).toEqual(["CONNECTION_CREATED", "HISTORICAL_UPDATE", "INITIAL_UPDATE"]);
      // The receiver has a request before the worker has recorded its answer: poll the record too.
      await expect.poll(() => h.database.db.delivery.count({ where: { status: { not: "succeeded" } } }), { timeout: 20_000, interval: 100 }).toBe(0);
    } finally {
      receiver.close();
    }
  });
});

describe.each(testDatabaseKinds())("two workers on one database (%s)", (kind) => {
  let h: SyncHarness;
  const key = randomBytes(32).toString("base64");
  const savedKey = process.env.TRIBUTARY_SECRET_KEY;
  beforeAll(async () => {
    process.env.TRIBUTARY_SECRET_KEY = key;
    resetSecretKeyCache();
    h = await createSyncHarness({ kind, batches: [{ objects: [], fromMonthsAgo: 6, toMonthsAgo: 0 }] });
  });
  afterAll(async () => {
    await h?.close();
    if (savedKey === undefined) delete process.env.TRIBUTARY_SECRET_KEY;
    else process.env.TRIBUTARY_SECRET_KEY = savedKey;
    resetSecretKeyCache();
  });

  it("never sync the same connection at the same time", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await h.connect("quickbooks", { id: `many-${kind}-${i}`, size: 400, seed: i }));
    const spans: { connectionId: string; owner: string; phase: "start" | "end"; at: number }[] = [];
    const onTask = (event: { connectionId: string; owner: string; phase: "start" | "end" }) => spans.push({ ...event, at: performance.now() });
    for (const owner of ["worker-a", "worker-b"])
      workers.push(
        startWorker(h.engine, { owner, concurrency: 3, pollMs: 20, leaseMs: 5000, onTask, log: process.env.DEBUG_WORKER ? console.log : () => undefined }),
      );

    const ongoing = async () => {
      const n = await h.database.db.connection.count({ where: { id: { in: ids }, stage: "ONGOING" } });
      if (process.env.DEBUG_WORKER)
        console.log(
          n,
          JSON.stringify(
            await h.database.db.syncRun.findMany({
              where: { connectionId: { in: ids }, status: { not: "succeeded" } },
              select: { status: true, error: true, connectionId: true },
            }),
          ),
        );
      return n;
    };
    await expect.poll(ongoing, { timeout: 60_000, interval: 100 }).toBe(ids.length);
    // And a round of incremental syncs for all of them.
    h.advance(HOUR + 60_000);
    const incremental = () => h.database.db.syncRun.count({ where: { connectionId: { in: ids }, kind: "incremental", status: "succeeded" } });
    await expect.poll(incremental, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(ids.length);

    let overlaps = 0;
    for (const id of ids) {
      let open: string | null = null;
      for (const span of spans.filter((s) => s.connectionId === id)) {
        if (span.phase === "start") {
          if (open) overlaps++;
          open = span.owner;
        } else open = null;
      }
    }
    expect(overlaps).toBe(0);
    // Both workers did a share of the work, so the absence of overlaps means something.
    expect(new Set(spans.map((s) => s.owner))).toEqual(new Set(["worker-a", "worker-b"]));
    expect(await h.database.db.syncRun.count({ where: { connectionId: { in: ids }, status: { not: "succeeded" } } })).toBe(0);
  }, 150_000);

  it("finish the run of a worker killed mid-run once its lease expires", async () => {
    const connectionId = await h.connect("quickbooks", { id: `killed-${kind}`, size: 30_000, seed: 77 });
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "worker.child.ts")], {
      env: {
        ...process.env,
        DATABASE_URL: h.database.url,
        SANDBOX_URL: h.sandbox.url,
        CLOCK_OFFSET_MS: String(h.now() - Date.now()),
        LEASE_MS: "3000",
        WORKER_OWNER: "doomed",
        TRIBUTARY_SECRET_KEY: key,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // Kill it once it has stored part of the first batch.
    await expect.poll(() => h.database.db.record.count({ where: { connectionId } }), { timeout: 30_000, interval: 20 }).toBeGreaterThan(1000);
    child.kill("SIGKILL");
    await exited;
    const doomed = await h.database.db.syncRun.findFirstOrThrow({ where: { connectionId }, orderBy: { createdAt: "asc" } });
    expect(doomed.status).toBe("running");
    const held = await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(held.leaseOwner).toBe("doomed");

    let takenOverAt: number | null = null;
    const onTask = (event: { connectionId: string; phase: "start" | "end" }) => {
      if (event.connectionId === connectionId && event.phase === "start") takenOverAt ??= Date.now();
    };
    workers.push(startWorker(h.engine, { owner: "survivor", pollMs: 50, leaseMs: 3000, onTask, log: () => undefined }));
    await expect
      .poll(async () => (await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).stage, { timeout: 60_000, interval: 100 })
      .toBe("ONGOING");
    // It waited for the lease, then resumed the same run rather than starting over.
    expect((await h.database.db.syncRun.findUniqueOrThrow({ where: { id: doomed.id } })).status).toBe("succeeded");
    // Not a moment before the dead worker's lease ran out (database and test share this machine's clock).
    expect(takenOverAt).not.toBeNull();
    expect(takenOverAt!).toBeGreaterThanOrEqual(held.leaseExpiresAt!.getTime() - 50);
    for (const object of Object.keys(GROUND_TRUTH_OBJECTS.quickbooks)) {
      expect(await h.stored(connectionId, object), object).toEqual(await h.truth("quickbooks", `killed-${kind}`, object));
    }
    const completed = await h.database.db.event.count({ where: { syncRunId: doomed.id, type: "SYNC_COMPLETED" } });
    expect(completed).toBe(1);
  }, 120_000);
});
