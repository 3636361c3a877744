// Fan-out and delivery against a real HTTP receiver that verifies every request with the stock
// `standardwebhooks` library: filters, success, each status rule, the schedule with a fake clock,
// exhaustion, 410 and five-day auto-disable with ENDPOINT_DISABLED, and signing during rotation.
import { createServer, type Server } from "node:http";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { emitEvent } from "@/lib/events/emit";
import { attemptDeliveries, attemptDelivery } from "./deliver";
import { createEndpoint, InvalidEndpointError, rotateSecret } from "./endpoints";
import { disableEndpoint, enableEndpoint, replayFailed, resendDelivery, sendTestEvent } from "./replay";
import { fanOutEvents } from "./fanout";

describe("webhook fan-out and delivery", () => {
  let database: TestDatabase;
  let receiver: Server;
  let url: string;
  let organizationId: string;
  // An endless answer is written for as long as the client reads it.
  const answers: { status: number; headers?: Record<string, string>; endless?: boolean }[] = [];
  const received: { headers: Record<string, string>; body: string }[] = [];
  // Run while the receiver holds a request, before it answers: a change made while an attempt is in flight.
  let duringRequest: (() => Promise<unknown>) | null = null;
  // A steppable clock starting now: the receiver checks timestamps against its own clock (5 minutes of tolerance).
  let clock = Date.now();
  const options = { now: () => clock, random: () => 0.5 };

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    organizationId = (
      await createOrganizationWithOwner(database.db, { name: "Hooks", slug: "hooks", owner: { email: "h@example.com", name: "H", passwordHash: "x" } })
    ).organization.id;
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString() });
        const answer = answers.shift() ?? { status: 200 };
        const hook = duringRequest;
        duringRequest = null;
        void Promise.resolve(hook?.()).then(() => {
          res.writeHead(answer.status, answer.headers);
          if (!answer.endless) return res.end(`answer ${answer.status} `.padEnd(3000, "."));
          const more = () => {
            while (!res.destroyed && res.write(`answer ${answer.status} `.padEnd(64 * 1024, ".")));
          };
          res.on("drain", more);
          more();
        });
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
  });
  afterAll(async () => {
    receiver?.close();
    await database?.close();
  });

  const scope = () => ({ organizationId, environment: "sandbox" as const });
  const emit = (type: string, object: string | null) => emitEvent(database.db, { ...scope(), type, object, data: { type, n: Math.random() } });
  const deliveries = (endpointId: string) =>
    database.db.delivery.findMany({ where: { endpointId }, include: { event: true, attempts: { orderBy: { number: "asc" } } }, orderBy: { createdAt: "asc" } });

  it("validates endpoints, naming each field", async () => {
    const error = (await createEndpoint(database.db, scope(), {
      url: "ftp://x",
      eventTypes: ["ORDER_EXPLODED", "*_SYNC_FAILED"],
      objects: ["widgets"],
      retrySchedule: [0, -1],
      timeoutMs: 10,
    }).catch((e: unknown) => e)) as InvalidEndpointError;
    expect(error).toBeInstanceOf(InvalidEndpointError);
    expect(error.problems.map((p) => p.path)).toEqual(["url", "event_types[0]", "objects[0]", "retry_schedule[1]", "timeout_ms"]);
    expect(await database.db.webhookEndpoint.count()).toBe(0);
  });

  it("fans out only what an endpoint wants, once, and delivers it signed", async () => {
    const { id, secret } = await createEndpoint(database.db, scope(), { url, eventTypes: ["ORDER_*", "*_SYNC_FAILED"], objects: ["orders"] });
    const stored = await database.db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(stored.secretEncrypted).not.toContain(secret.slice(6));
    await emit("ORDER_CREATED", "orders");
    await emit("CUSTOMER_CREATED", "customers");
    await emit("ORDER_SYNC_FAILED", "orders");
    await emit("INVOICE_SYNC_FAILED", "invoices");
    await emit("CONNECTION_CREATED", null);
    expect(await fanOutEvents(database.db)).toMatchObject({ events: 5, deliveries: 2 });
    expect(await fanOutEvents(database.db)).toEqual({ events: 0, deliveries: 0 });
    const pending = await deliveries(id);
    expect(pending.map((d) => d.event.type).sort()).toEqual(["ORDER_CREATED", "ORDER_SYNC_FAILED"]);

    expect(await attemptDelivery(database.db, pending[0].id, options)).toBe("succeeded");
    const request = received.at(-1)!;
    expect(new Webhook(secret).verify(request.body, request.headers)).toMatchObject({ type: pending[0].event.type });
    expect(request.headers["webhook-id"]).toBe(pending[0].eventId);
    const done = (await deliveries(id)).find((d) => d.id === pending[0].id)!;
    expect(done).toMatchObject({ status: "succeeded", attemptCount: 1 });
    expect(done.attempts[0]).toMatchObject({ number: 1, statusCode: 200, error: null });
    expect(done.attempts[0].responseExcerpt!.length).toBe(1024);
  });

  it("retries 5xx, redirects and 429 by the schedule, and fails after the last attempt", async () => {
    const { id } = await createEndpoint(database.db, scope(), { url, eventTypes: ["SYNC_COMPLETED"], retrySchedule: [0, 5, 60] });
    await emit("SYNC_COMPLETED", null);
    await fanOutEvents(database.db);
    const [delivery] = await deliveries(id);
    answers.push({ status: 500 }, { status: 301, headers: { location: "http://127.0.0.1:1/elsewhere" } }, { status: 429, headers: { "retry-after": "120" } });
    expect(await attemptDelivery(database.db, delivery.id, options)).toBe("retry_scheduled");
    let current = (await deliveries(id))[0];
    expect(current.nextAttemptAt!.getTime() - clock).toBe(5_000);
    clock += 5_000;
    expect(await attemptDelivery(database.db, delivery.id, options)).toBe("retry_scheduled");
    current = (await deliveries(id))[0];
    expect(current.attempts[1]).toMatchObject({ statusCode: 301, error: "Redirect to http://127.0.0.1:1/elsewhere not followed" });
    clock += 60_000;
    // The last scheduled attempt gets a 429: nothing is left to schedule, so the delivery fails.
    expect(await attemptDelivery(database.db, delivery.id, options)).toBe("failed");
    current = (await deliveries(id))[0];
    expect(current).toMatchObject({ status: "failed", attemptCount: 3, nextAttemptAt: null });
    expect(current.attempts.map((a) => a.statusCode)).toEqual([500, 301, 429]);
    expect(await attemptDelivery(database.db, delivery.id, options)).toBe("skipped");
  });

  it("fails an attempt the receiver does not answer within the endpoint's timeout, and reads a huge answer only as far as it needs", async () => {
    const { id } = await createEndpoint(database.db, scope(), { url, eventTypes: ["CONNECTION_DISABLED"], retrySchedule: [0, 5], timeoutMs: 1000 });
    await emit("CONNECTION_DISABLED", null);
    await emit("CONNECTION_DISABLED", null);
    await fanOutEvents(database.db);
    const [slow, huge] = await deliveries(id);
    duringRequest = () => new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await attemptDelivery(database.db, slow.id, options)).toBe("retry_scheduled");
    const attempted = async (deliveryId: string) => (await deliveries(id)).find((d) => d.id === deliveryId)!.attempts;
    expect(await attempted(slow.id)).toMatchObject([{ statusCode: null, error: "No answer within 1000 ms" }]);
    // An answer that never ends: read to its bound, its excerpt kept, long before the timeout would cut it.
    answers.push({ status: 200, endless: true });
    expect(await attemptDelivery(database.db, huge.id, options)).toBe("succeeded");
    const [attempt] = await attempted(huge.id);
    expect(attempt).toMatchObject({ statusCode: 200, error: null, responseExcerpt: "answer 200 ".padEnd(1024, ".") });
    expect(attempt.latencyMs).toBeLessThan(1000);
  });

  it("leaves a delivery cancelled while its attempt was in flight cancelled, whatever the receiver answers, and records the attempt", async () => {
    const { id } = await createEndpoint(database.db, scope(), { url, eventTypes: ["CONNECTION_NEEDS_UPDATE"], retrySchedule: [0, 5] });
    await emit("CONNECTION_NEEDS_UPDATE", null);
    await emit("CONNECTION_NEEDS_UPDATE", null);
    await fanOutEvents(database.db);
    const [first, second] = await deliveries(id);
    const cancel = (deliveryId: string) => () => database.db.delivery.update({ where: { id: deliveryId }, data: { status: "cancelled", nextAttemptAt: null } });
    for (const [delivery, status] of [
      [first, 500],
      [second, 200],
    ] as const) {
      answers.push({ status });
      duringRequest = cancel(delivery.id);
      await attemptDelivery(database.db, delivery.id, options);
      const stored = (await deliveries(id)).find((d) => d.id === delivery.id)!;
      expect(stored.status, `answered ${status}`).toBe("cancelled");
      expect(stored.attempts.map((a) => a.statusCode)).toEqual([status]);
    }
  });

  it("honors Retry-After on a 429", async () => {
    const { id } = await createEndpoint(database.db, scope(), { url, eventTypes: ["BACKFILL_STARTED"] });
    await emit("BACKFILL_STARTED", null);
    await fanOutEvents(database.db);
    answers.push({ status: 429, headers: { "retry-after": "120" } });
    const [delivery] = await deliveries(id);
    expect(await attemptDelivery(database.db, delivery.id, options)).toBe("retry_scheduled");
    expect((await deliveries(id))[0].nextAttemptAt!.getTime() - clock).toBe(120_000);
  });

  it("disables the endpoint on 410 Gone, and after five days of continuous failure, with ENDPOINT_DISABLED", async () => {
    const gone = await createEndpoint(database.db, scope(), { url, eventTypes: ["BACKFILL_COMPLETED"] });
    const failing = await createEndpoint(database.db, scope(), { url, eventTypes: ["BACKFILL_COMPLETED"] });
    await database.db.webhookEndpoint.update({ where: { id: failing.id }, data: { failingSince: new Date(clock - 5 * 24 * 3600_000) } });
    await emit("BACKFILL_COMPLETED", null);
    await fanOutEvents(database.db);
    answers.push({ status: 410 }, { status: 503 });
    expect(await attemptDelivery(database.db, (await deliveries(gone.id))[0].id, options)).toBe("endpoint_disabled");
    expect(await attemptDelivery(database.db, (await deliveries(failing.id))[0].id, options)).toBe("endpoint_disabled");
    const endpoints = await database.db.webhookEndpoint.findMany({ where: { id: { in: [gone.id, failing.id] } }, orderBy: { createdAt: "asc" } });
    expect(endpoints.map((e) => [e.enabled, e.disabledReason?.split(" ").slice(0, 3).join(" ")])).toEqual([
      [false, "The endpoint answered"],
      [false, "Every delivery failed"],
    ]);
    const disabled = await database.db.event.findMany({ where: { type: "ENDPOINT_DISABLED" }, orderBy: { seq: "asc" } });
    expect(disabled.map((e) => (e.data as { endpoint_id: string }).endpoint_id)).toEqual([gone.id, failing.id]);
    // A disabled endpoint gets no new deliveries.
    await emit("BACKFILL_COMPLETED", null);
    expect((await fanOutEvents(database.db)).deliveries).toBe(0);
  });

  it("sends a link instead of a payload over the size limit", async () => {
    const { id, secret } = await createEndpoint(database.db, scope(), { url, eventTypes: ["INITIAL_UPDATE"] });
    const eventId = await emitEvent(database.db, { ...scope(), type: "INITIAL_UPDATE", data: { notes: "x".repeat(300 * 1024) } });
    await fanOutEvents(database.db);
    expect(await attemptDelivery(database.db, (await deliveries(id))[0].id, { ...options, appUrl: "https://tributary.example.com/" })).toBe("succeeded");
    const request = received.at(-1)!;
    expect(request.body.length).toBeLessThan(1000);
    expect(new Webhook(secret).verify(request.body, request.headers)).toMatchObject({
      type: "INITIAL_UPDATE",
      data: { event_id: eventId, too_large: true, url: `https://tributary.example.com/api/v1/events/${eventId}` },
    });
  });

  it("signs with the old and the new secret during a rotation", async () => {
    const { id, secret: old } = await createEndpoint(database.db, scope(), { url, eventTypes: ["HISTORICAL_UPDATE"] });
    const { secret: fresh } = await rotateSecret(database.db, id, { now: new Date(clock) });
    await emit("HISTORICAL_UPDATE", null);
    await fanOutEvents(database.db);
    expect(await attemptDelivery(database.db, (await deliveries(id))[0].id, options)).toBe("succeeded");
    const request = received.at(-1)!;
    expect(new Webhook(old).verify(request.body, request.headers)).toBeTruthy();
    expect(new Webhook(fresh).verify(request.body, request.headers)).toBeTruthy();
  });

  it("fails only the attempt of an endpoint whose secret cannot be read, not its batch", async () => {
    const good = await createEndpoint(database.db, scope(), { url, eventTypes: ["CONNECTION_DISABLED"] });
    const broken = await createEndpoint(database.db, scope(), { url, eventTypes: ["CONNECTION_DISABLED"] });
    await database.db.webhookEndpoint.update({ where: { id: broken.id }, data: { secretEncrypted: "not-an-encrypted-secret" } });
    await emit("CONNECTION_DISABLED", null);
    await fanOutEvents(database.db);
    const before = received.length;
    const results = await attemptDeliveries(database.db, [(await deliveries(good.id))[0].id, (await deliveries(broken.id))[0].id], options);
    expect([...results.values()]).toEqual(["succeeded", "retry_scheduled"]);
    expect(received.length).toBe(before + 1);
    const [failed] = await deliveries(broken.id);
    expect(failed).toMatchObject({ status: "pending", attemptCount: 1 });
    expect(failed.attempts[0]).toMatchObject({
      statusCode: null,
      error: expect.stringMatching(/^Not sent: the endpoint's signing secret cannot be read \(Unknown secret format\); rotate the secret$/),
    });
  });
});

describe("resend, replay and re-enable", () => {
  let database: TestDatabase;
  let organizationId: string;
  let receiver: Server;
  let url: string;
  let up = false;
  const got: string[] = [];
  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    organizationId = (
      await createOrganizationWithOwner(database.db, { name: "Replay", slug: "replay", owner: { email: "r@example.com", name: "R", passwordHash: "x" } })
    ).organization.id;
    receiver = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (up) got.push(req.headers["webhook-id"] as string);
        res.writeHead(up ? 200 : 503).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/`;
  });
  afterAll(async () => {
    receiver?.close();
    await database?.close();
  });
  const scope = () => ({ organizationId, environment: "sandbox" as const });
  const drain = async () => {
    for (const d of await database.db.delivery.findMany({ where: { status: "pending" } })) await attemptDelivery(database.db, d.id);
  };

  it("resends one delivery, replays the failed ones of a window, and re-enables an endpoint with what it missed", async () => {
    const { id } = await createEndpoint(database.db, scope(), { url, eventTypes: ["ORDER_CREATED"], retrySchedule: [0] });
    const first = await emitEvent(database.db, { ...scope(), type: "ORDER_CREATED", object: "orders", data: { id: "1" } });
    await emitEvent(database.db, { ...scope(), type: "ORDER_CREATED", object: "orders", data: { id: "2" } });
    await fanOutEvents(database.db);
    await drain(); // the receiver is down: one attempt each, then failed
    expect(await database.db.delivery.count({ where: { endpointId: id, status: "failed" } })).toBe(2);

    up = true;
    const one = await database.db.delivery.findFirstOrThrow({ where: { eventId: first } });
    await resendDelivery(database.db, one.id);
    await drain();
    expect(got).toEqual([first]);
    expect(await replayFailed(database.db, id, { from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 1000) })).toBe(1);
    await drain();
    expect(got).toHaveLength(2);

    // Disabled, it misses an event; re-enabled with replay, it gets it.
    await disableEndpoint(database.db, id);
    expect(await database.db.event.count({ where: { type: "ENDPOINT_DISABLED", organizationId } })).toBe(1);
    const since = new Date(Date.now() - 1000);
    const missed = await emitEvent(database.db, { ...scope(), type: "ORDER_CREATED", object: "orders", data: { id: "3" } });
    await fanOutEvents(database.db);
    expect(await database.db.delivery.count({ where: { eventId: missed } })).toBe(0);
    expect(await enableEndpoint(database.db, id, { replayMissedSince: since })).toBe(1);
    await drain();
    expect(got.at(-1)).toBe(missed);

    // A test event goes to this endpoint only.
    const test = await sendTestEvent(database.db, id);
    await drain();
    expect((await database.db.delivery.findUniqueOrThrow({ where: { id: test } })).status).toBe("succeeded");

    // An endpoint that wants everything, re-enabled with replay, does not get what was addressed to
    // another endpoint while it was disabled: a sync job run's stream, a test event.
    const all = await createEndpoint(database.db, scope(), { url });
    await disableEndpoint(database.db, all.id);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const sinceAll = new Date();
    for (const type of ["SYNC_JOB_RUN_RECORD", "ENDPOINT_TEST"]) {
      await database.db.event.create({ data: { id: newId("evt"), ...scope(), type, data: {}, fannedOutAt: new Date() } });
    }
    await emitEvent(database.db, { ...scope(), type: "ORDER_CREATED", object: "orders", data: { id: "4" } });
    await fanOutEvents(database.db);
    expect(await enableEndpoint(database.db, all.id, { replayMissedSince: sinceAll })).toBe(1);
  });
});
