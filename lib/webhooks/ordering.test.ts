// Delivery order per stream, driven by the embedded worker against a real HTTP receiver: many events
// of several connections to one endpoint, the receiver refusing about 30% of requests at random and
// the endpoint retrying at once; per connection the receiver accepts sequence numbers 1, 2, 3, … in
// event order, each event exactly once, while the connections' streams are sent side by side. And
// the endpoint's ordering wait: a delivery failing for longer than it stops holding its stream.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hashToken, resetSecretKeyCache } from "@/lib/crypto";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { emitEvent } from "@/lib/events/emit";
import { createSyncEngine } from "@/lib/sync/engine";
import { startWorker, type Worker } from "@/lib/worker/worker";
import { USER_AGENT } from "./deliver";
import { createEndpoint } from "./endpoints";

interface Arrival {
  eventId: string;
  stream: string;
  sequence: number;
  accepted: boolean;
  at: number;
}

describe("webhook delivery order per stream", () => {
  let database: TestDatabase;
  let organizationId: string;
  let receiver: Server;
  let url: string;
  const arrivals: Arrival[] = [];
  /** Answers 500 to a request when it returns true. */
  let refuse: (arrival: Omit<Arrival, "accepted" | "at">) => boolean = () => false;
  let inFlight = 0;
  let maxInFlight = 0;
  const workers: Worker[] = [];
  const savedKey = process.env.TRIBUTARY_SECRET_KEY;

  beforeAll(async () => {
    process.env.TRIBUTARY_SECRET_KEY = randomBytes(32).toString("base64");
    resetSecretKeyCache();
    database = await createTestDatabase(process.env.TEST_DATABASE_URL ? "postgresql" : "pglite");
    organizationId = (
      await createOrganizationWithOwner(database.db, { name: "Order", slug: "order", owner: { email: "o@example.com", name: "O", passwordHash: "x" } })
    ).organization.id;
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { stream: string; sequence: number };
        const arrival = { eventId: req.headers["webhook-id"] as string, stream: body.stream, sequence: body.sequence };
        // The headers repeat the body's position, and name the sender.
        const consistent =
          req.headers["tributary-stream"] === body.stream &&
          req.headers["tributary-sequence"] === String(body.sequence) &&
          req.headers["user-agent"] === USER_AGENT;
        const accepted = consistent && !refuse(arrival);
        arrivals.push({ ...arrival, accepted, at: Date.now() });
        // A few milliseconds of work, so requests of different streams overlap when they are sent together.
        setTimeout(() => {
          inFlight--;
          res.writeHead(accepted ? 200 : 500).end();
        }, 3);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    // Each test has its own endpoint: the earlier ones stop receiving.
    await database.db.webhookEndpoint.updateMany({ data: { enabled: false } });
  });
  afterAll(async () => {
    receiver?.close();
    await database?.close();
    if (savedKey === undefined) delete process.env.TRIBUTARY_SECRET_KEY;
    else process.env.TRIBUTARY_SECRET_KEY = savedKey;
    resetSecretKeyCache();
  });

  const scope = () => ({ organizationId, environment: "sandbox" as const });
  const newConnection = async () => {
    const id = newId("conn");
    await database.db.connection.create({ data: { id, ...scope(), platform: "shopify", accessTokenHash: hashToken(id) } });
    return id;
  };
  const work = () =>
    workers.push(
      startWorker(createSyncEngine({ db: database.db, sandboxUrl: null }), { pollMs: 50, deliveryPollMs: 20, deliveryConcurrency: 8, log: () => undefined }),
    );

  it("delivers each connection's events in order, each accepted once, through random failures, with connections in parallel", async () => {
    arrivals.length = 0;
    refuse = () => Math.random() < 0.3;
    // Retries at once (0 s, no jitter on zero): 20 attempts, so a delivery fails for good with odds of 0.3^20.
    const { id: endpointId } = await createEndpoint(database.db, scope(), {
      url,
      eventTypes: ["ORDER_UPDATED"],
      retrySchedule: Array.from({ length: 20 }, () => 0),
    });
    const connections = await Promise.all(Array.from({ length: 5 }, newConnection));
    const emitted = new Map<string, string[]>(connections.map((c) => [`connection:${c}`, []]));
    work();
    // Published in rounds while the worker sends, every connection interleaved with the others.
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 10; i++) {
        for (const connectionId of connections) {
          const id = await emitEvent(database.db, {
            ...scope(),
            connectionId,
            type: "ORDER_UPDATED",
            object: "orders",
            data: { connection_id: connectionId, id: `${round}-${i}` },
          });
          emitted.get(`connection:${connectionId}`)!.push(id);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await expect.poll(() => database.db.delivery.count({ where: { endpointId, status: { not: "succeeded" } } }), { timeout: 120_000, interval: 250 }).toBe(0);

    const refused = arrivals.filter((a) => !a.accepted).length;
    expect(refused, "the receiver refused some deliveries").toBeGreaterThan(20);
    for (const [stream, events] of emitted) {
      const accepted = arrivals.filter((a) => a.stream === stream && a.accepted);
      // Strictly increasing, each number once: 1, 2, …, 40 in the order of acceptance.
      expect(
        accepted.map((a) => a.sequence),
        stream,
      ).toEqual(events.map((_, i) => i + 1));
      // In event order, each event accepted exactly once.
      expect(
        accepted.map((a) => a.eventId),
        stream,
      ).toEqual(events);
    }
    // A retried delivery keeps its number.
    for (const arrival of arrivals.filter((a) => !a.accepted)) {
      expect(arrivals.find((a) => a.accepted && a.eventId === arrival.eventId)?.sequence).toBe(arrival.sequence);
    }
    expect(maxInFlight, "streams are sent side by side").toBeGreaterThan(1);
  });

  it("moves a stream on past a delivery that has failed for longer than the endpoint's ordering wait", async () => {
    arrivals.length = 0;
    const { id: endpointId } = await createEndpoint(database.db, scope(), {
      url,
      eventTypes: ["ORDER_UPDATED"],
      retrySchedule: Array.from({ length: 20 }, () => 1),
      orderingWaitSeconds: 2,
    });
    const connectionId = await newConnection();
    const emit = (n: string) => emitEvent(database.db, { ...scope(), connectionId, type: "ORDER_UPDATED", object: "orders", data: { n } });
    const first = await emit("first");
    let firstRefused = true;
    refuse = (arrival) => arrival.eventId === first && firstRefused;
    const later = [await emit("second"), await emit("third")];
    work();

    await expect.poll(() => arrivals.filter((a) => a.eventId === later[1] && a.accepted).length, { timeout: 30_000, interval: 100 }).toBe(1);
    const firstFailure = arrivals.find((a) => a.eventId === first)!.at;
    const secondArrival = arrivals.find((a) => a.eventId === later[0])!;
    // The later ones waited out the wait (2 s, from the first failure), while the first was being retried…
    expect(secondArrival.at - firstFailure).toBeGreaterThanOrEqual(1900);
    expect(arrivals.filter((a) => a.eventId === first && a.at < secondArrival.at).length).toBeGreaterThan(1);
    // …then went in order, and the first keeps retrying on its own schedule until it is accepted, after them.
    expect(arrivals.filter((a) => a.accepted).map((a) => a.sequence)).toEqual([2, 3]);
    const pending = await database.db.delivery.findFirstOrThrow({ where: { endpointId, eventId: first } });
    expect(pending).toMatchObject({ status: "pending", sequence: 1 });
    firstRefused = false;
    await expect.poll(() => arrivals.filter((a) => a.eventId === first && a.accepted).length, { timeout: 30_000, interval: 100 }).toBe(1);
    expect(arrivals.filter((a) => a.accepted).map((a) => a.sequence)).toEqual([2, 3, 1]);
  });

  it("holds nothing when the ordering wait is 0", async () => {
    arrivals.length = 0;
    await createEndpoint(database.db, scope(), {
      url,
      eventTypes: ["ORDER_UPDATED"],
      retrySchedule: Array.from({ length: 20 }, () => 1),
      orderingWaitSeconds: 0,
    });
    const connectionId = await newConnection();
    const first = await emitEvent(database.db, { ...scope(), connectionId, type: "ORDER_UPDATED", object: "orders", data: { n: 1 } });
    refuse = (arrival) => arrival.eventId === first;
    const second = await emitEvent(database.db, { ...scope(), connectionId, type: "ORDER_UPDATED", object: "orders", data: { n: 2 } });
    work();
    await expect.poll(() => arrivals.filter((a) => a.eventId === second && a.accepted).length, { timeout: 30_000, interval: 100 }).toBe(1);
    // Sent while the first had been tried once or twice, not after any wait.
    const sent = arrivals.findIndex((a) => a.eventId === second);
    expect(arrivals.slice(0, sent).filter((a) => a.eventId === first).length).toBeLessThanOrEqual(2);
  });
});
