// Webhook deliveries driven by the embedded worker: through a receiver outage an exact ledger holds
// (published = succeeded + failed + pending, every succeeded event received, nothing received that was
// not published), and a worker killed mid-delivery loses nothing: another sends what it held once the
// delivery lease expires.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetSecretKeyCache } from "@/lib/crypto";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { emitEvent } from "@/lib/events/emit";
import { createSyncEngine } from "@/lib/sync/engine";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { startWorker, type Worker } from "./worker";

describe("webhook deliveries on the embedded worker", () => {
  let database: TestDatabase;
  let organizationId: string;
  let receiver: Server;
  let url: string;
  let mode: "up" | "down" | "slow" = "up";
  const received = new Map<string, number>();
  const workers: Worker[] = [];
  const key = randomBytes(32).toString("base64");
  const savedKey = process.env.TRIBUTARY_SECRET_KEY;

  beforeAll(async () => {
    process.env.TRIBUTARY_SECRET_KEY = key;
    resetSecretKeyCache();
    database = await createTestDatabase("pglite");
    organizationId = (
      await createOrganizationWithOwner(database.db, { name: "Ledger", slug: "ledger", owner: { email: "l@example.com", name: "L", passwordHash: "x" } })
    ).organization.id;
    receiver = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const id = req.headers["webhook-id"] as string;
        if (mode === "down") return res.writeHead(503).end();
        const answer = () => {
          received.set(id, (received.get(id) ?? 0) + 1);
          res.writeHead(200).end();
        };
        if (mode === "slow") setTimeout(answer, 1500);
        else answer();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/`;
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
  afterAll(async () => {
    receiver?.close();
    await database?.close();
    if (savedKey === undefined) delete process.env.TRIBUTARY_SECRET_KEY;
    else process.env.TRIBUTARY_SECRET_KEY = savedKey;
    resetSecretKeyCache();
  });

  const scope = () => ({ organizationId, environment: "sandbox" as const });

  it("keeps an exact ledger through a receiver outage", async () => {
    const { id } = await createEndpoint(database.db, scope(), { url, eventTypes: ["ORDER_UPDATED"], retrySchedule: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1] });
    const engine = createSyncEngine({ db: database.db, sandboxUrl: null });
    workers.push(startWorker(engine, { pollMs: 50, log: () => undefined }));
    const published: string[] = [];
    const publish = async (n: number) => {
      for (let i = 0; i < n; i++)
        published.push(await emitEvent(database.db, { ...scope(), type: "ORDER_UPDATED", object: "orders", data: { id: String(published.length) } }));
    };
    await publish(20);
    await new Promise((resolve) => setTimeout(resolve, 500));
    mode = "down";
    await publish(30);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    mode = "up";
    await publish(10);
    // Not part of the ledger: another type this endpoint does not want.
    await emitEvent(database.db, { ...scope(), type: "CUSTOMER_UPDATED", object: "customers", data: {} });
    await expect.poll(() => database.db.delivery.count({ where: { endpointId: id, status: "pending" } }), { timeout: 30_000, interval: 200 }).toBe(0);

    const byStatus = await database.db.delivery.groupBy({ by: ["status"], where: { endpointId: id }, _count: { _all: true } });
    const count = (status: string) => byStatus.find((row) => row.status === status)?._count._all ?? 0;
    expect(count("succeeded") + count("failed") + count("pending")).toBe(published.length);
    const succeeded = await database.db.delivery.findMany({ where: { endpointId: id, status: "succeeded" }, select: { eventId: true } });
    for (const { eventId } of succeeded) expect(received.get(eventId) ?? 0, eventId).toBeGreaterThanOrEqual(1);
    expect([...received.keys()].every((eventId) => published.includes(eventId))).toBe(true);
    // This outage was shorter than the schedule: everything arrived, and failures were retried.
    expect(count("succeeded")).toBe(published.length);
    expect(await database.db.deliveryAttempt.count({ where: { statusCode: 503 } })).toBeGreaterThan(0);
  }, 60_000);

  it("loses no delivery when the worker sending it is killed", async () => {
    received.clear();
    const { id } = await createEndpoint(database.db, scope(), { url, eventTypes: ["INVOICE_UPDATED"] });
    const published: string[] = [];
    for (let i = 0; i < 6; i++)
      published.push(await emitEvent(database.db, { ...scope(), type: "INVOICE_UPDATED", object: "invoices", data: { id: String(i) } }));
    mode = "slow";
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "worker.child.ts")], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        SANDBOX_URL: "http://127.0.0.1:1",
        DELIVERY_LEASE_MS: "2000",
        WORKER_OWNER: "doomed",
        TRIBUTARY_SECRET_KEY: key,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // Kill it while its requests are in flight: leased, not yet answered.
    await expect
      .poll(() => database.db.delivery.count({ where: { endpointId: id, leaseOwner: "doomed" } }), { timeout: 20_000, interval: 20 })
      .toBeGreaterThan(0);
    child.kill("SIGKILL");
    await exited;
    mode = "up";
    workers.push(startWorker(createSyncEngine({ db: database.db, sandboxUrl: null }), { owner: "survivor", pollMs: 50, log: () => undefined }));
    await expect
      .poll(() => database.db.delivery.count({ where: { endpointId: id, status: "succeeded" } }), { timeout: 20_000, interval: 100 })
      .toBe(published.length);
    for (const eventId of published) expect(received.get(eventId) ?? 0, eventId).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
