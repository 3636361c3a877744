// The webhook functions through @inngest/test with real steps against a database and a real receiver:
// the dispatcher fans out and starts one chain per due delivery with an idempotent event id; a chain
// retries by the endpoint's schedule, sleeping between attempts, until the receiver answers 2xx; a
// chain whose sleeping hold "Retry now" took over ends without a second attempt; a chain that ends
// its delivery starts its stream's next one without waiting for the dispatcher's tick.
import { createServer, type Server } from "node:http";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { emitEvent } from "@/lib/events/emit";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { dueDeliveries } from "@/lib/webhooks/due";
import { fanOutEvents } from "@/lib/webhooks/fanout";
import { retryNow } from "@/lib/webhooks/retry-now";
import { webhookDelivery, webhookDispatcher } from "./webhooks";

describe("webhook functions", () => {
  let database: TestDatabase;
  let receiver: Server;
  let url: string;
  const statuses: number[] = [];
  let organizationId: string;

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    process.env.DATABASE_URL = database.url;
    organizationId = (
      await createOrganizationWithOwner(database.db, { name: "Hooks", slug: "hooks", owner: { email: "i@example.com", name: "I", passwordHash: "x" } })
    ).organization.id;
    receiver = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(statuses.shift() ?? 200).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/`;
  });
  afterAll(async () => {
    receiver?.close();
    await getDb().$disconnect();
    await database?.close();
  });

  it("dispatcher: fans out, then starts one chain per due delivery", async () => {
    const { id } = await createEndpoint(database.db, { organizationId, environment: "sandbox" }, { url, eventTypes: ["ORDER_CREATED"], retrySchedule: [0, 1] });
    await emitEvent(database.db, { organizationId, environment: "sandbox", type: "ORDER_CREATED", object: "orders", data: { id: "1" } });
    const t = new InngestTestEngine({ function: webhookDispatcher, steps: [{ id: "start-chains", handler: () => ({ ids: [] }) }] });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ fanned_out: 1, started: 1 });
    const [delivery] = await database.db.delivery.findMany({ where: { endpointId: id } });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("start-chains", [
      expect.objectContaining({
        name: "tributary/webhook.delivery.requested",
        id: `delivery:${delivery.id}:0`,
        data: { delivery_id: delivery.id, endpoint_id: id },
      }),
    ]);
  });

  it("delivery: retries by the schedule, sleeping until each next attempt, until the receiver answers", async () => {
    const [delivery] = await database.db.delivery.findMany();
    statuses.push(503);
    // Sleeps are mocked: the chain goes straight to its next attempt.
    const t = new InngestTestEngine({
      function: webhookDelivery,
      events: [{ name: "tributary/webhook.delivery.requested", data: { delivery_id: delivery.id, endpoint_id: delivery.endpointId } }],
      steps: [{ id: "wait-0", handler: () => undefined }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ delivery_id: delivery.id, result: "succeeded", attempts: 2 });
    expect(ctx.step.sleepUntil).toHaveBeenCalledTimes(1);
    const stored = await database.db.delivery.findUniqueOrThrow({ where: { id: delivery.id }, include: { attempts: { orderBy: { number: "asc" } } } });
    expect(stored).toMatchObject({ status: "succeeded", attemptCount: 2 });
    expect(stored.attempts.map((a) => a.statusCode)).toEqual([503, 200]);
  });

  it("delivery: a chain whose sleep Retry now took over ends when it wakes, without attempting", async () => {
    const { id: endpointId } = await createEndpoint(
      database.db,
      { organizationId, environment: "sandbox" },
      { url, eventTypes: ["ORDER_UPDATED"], retrySchedule: [0, 3600] },
    );
    await emitEvent(database.db, { organizationId, environment: "sandbox", type: "ORDER_UPDATED", object: "orders", data: { id: "2" } });
    await fanOutEvents(database.db);
    const [delivery] = await database.db.delivery.findMany({ where: { endpointId } });
    statuses.push(503);
    const t = new InngestTestEngine({
      function: webhookDelivery,
      events: [{ name: "tributary/webhook.delivery.requested", data: { delivery_id: delivery.id, endpoint_id: endpointId } }],
      // While the chain sleeps its hour, a member presses Retry now.
      steps: [
        {
          id: "wait-0",
          handler: async () => {
            expect(await retryNow(database.db, { organizationId, environment: "sandbox", endpointId }, delivery.id)).toMatchObject({ ok: true });
          },
        },
      ],
    });
    const { result } = await t.execute();
    expect(result).toEqual({ delivery_id: delivery.id, result: "superseded", attempts: 1 });
    const stored = await database.db.delivery.findUniqueOrThrow({ where: { id: delivery.id }, include: { attempts: true } });
    expect(stored).toMatchObject({ status: "pending", attemptCount: 1, leaseOwner: null });
    expect(stored.attempts).toHaveLength(1);
    // The dispatcher's next tick starts a fresh chain for it, with a new id (attempt 1, not 0).
    expect((await dueDeliveries(database.db, 100)).find((d) => d.id === delivery.id)).toMatchObject({ attemptCount: 1 });
  });

  it("delivery: a chain that delivers its stream's head starts the next delivery of the stream at once", async () => {
    const { id: endpointId } = await createEndpoint(database.db, { organizationId, environment: "sandbox" }, { url, eventTypes: ["INVOICE_UPDATED"] });
    for (const n of [1, 2])
      await emitEvent(database.db, { organizationId, environment: "sandbox", type: "INVOICE_UPDATED", object: "invoices", data: { id: String(n) } });
    await fanOutEvents(database.db);
    const [first, second] = await database.db.delivery.findMany({ where: { endpointId }, orderBy: { sequence: "asc" } });
    expect([first.stream, second.stream, first.sequence, second.sequence]).toEqual(["endpoint", "endpoint", 1, 2]);
    // Only the head may go while it is pending.
    expect((await dueDeliveries(database.db, 100)).map((d) => d.id)).not.toContain(second.id);
    const t = new InngestTestEngine({
      function: webhookDelivery,
      events: [{ name: "tributary/webhook.delivery.requested", data: { delivery_id: first.id, endpoint_id: endpointId } }],
      steps: [{ id: "start-next-in-stream", handler: () => ({ ids: [] }) }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ delivery_id: first.id, result: "succeeded", attempts: 1 });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("start-next-in-stream", [
      expect.objectContaining({
        name: "tributary/webhook.delivery.requested",
        id: `delivery:${second.id}:0`,
        data: { delivery_id: second.id, endpoint_id: endpointId },
      }),
    ]);
  });
});
