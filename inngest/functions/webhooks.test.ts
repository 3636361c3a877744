// The webhook functions through @inngest/test with real steps against a database and a real receiver:
// the dispatcher fans out and starts one chain per due delivery with an idempotent event id; a chain
// retries by the endpoint's schedule, sleeping between attempts, until the receiver answers 2xx.
import { createServer, type Server } from "node:http";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { emitEvent } from "@/lib/events/emit";
import { createEndpoint } from "@/lib/webhooks/endpoints";
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
});
