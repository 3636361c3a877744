// Webhook functions: a dispatcher that fans events out and starts one delivery chain per due delivery,
// and the chain itself — an attempt per step, `step.sleepUntil` between attempts by the endpoint's
// schedule (Retry-After included, as attemptDelivery computes it), ending when the delivery succeeds,
// fails or its endpoint is disabled.
import { cron } from "inngest";
import { getDb } from "@/lib/db/client";
import { attemptDelivery } from "@/lib/webhooks/deliver";
import { dueDeliveries, holdDelivery } from "@/lib/webhooks/due";
import { fanOutEvents } from "@/lib/webhooks/fanout";
import { inngest } from "../client";
import { webhookDeliveryRequested } from "../events";

/** A chain holds its delivery this long past the next attempt's time, so the dispatcher leaves it alone. */
const HOLD_MARGIN_MS = 10 * 60_000;
const MAX_ATTEMPTS_PER_CHAIN = 25;

export const webhookDispatcher = inngest.createFunction(
  { id: "webhook-dispatcher", name: "Dispatch webhook deliveries", triggers: [cron("* * * * *")], retries: 2 },
  async ({ step }) => {
    const fannedOut = await step.run("fan-out", async () => {
      let events = 0;
      for (let round = 0; round < 20; round++) {
        const { events: n } = await fanOutEvents(getDb());
        events += n;
        if (n === 0) break;
      }
      return events;
    });
    const due = await step.run("find-due-deliveries", () => dueDeliveries(getDb(), 1000));
    if (due.length) {
      // The id pins one chain per delivery and attempt: a repeated tick starts nothing twice.
      await step.sendEvent(
        "start-chains",
        due.map((d) => webhookDeliveryRequested.create({ delivery_id: d.id, endpoint_id: d.endpointId }, { id: `delivery:${d.id}:${d.attemptCount}` })),
      );
    }
    return { fanned_out: fannedOut, started: due.length };
  },
);

export const webhookDelivery = inngest.createFunction(
  {
    id: "webhook-delivery",
    name: "Deliver a webhook",
    triggers: [webhookDeliveryRequested],
    // Per endpoint, a bounded number of requests in flight: a slow receiver is not flooded.
    concurrency: { key: "event.data.endpoint_id", limit: 10 },
    retries: 3,
  },
  async ({ event, step, runId }) => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS_PER_CHAIN; attempt++) {
      const outcome = await step.run(`attempt-${attempt}`, async () => {
        const result = await attemptDelivery(getDb(), event.data.delivery_id);
        if (result !== "retry_scheduled") return { result, next: null };
        const delivery = await getDb().delivery.findUniqueOrThrow({ where: { id: event.data.delivery_id }, select: { nextAttemptAt: true } });
        await holdDelivery(getDb(), event.data.delivery_id, `inngest:${runId}`, new Date(delivery.nextAttemptAt!.getTime() + HOLD_MARGIN_MS));
        return { result, next: delivery.nextAttemptAt!.toISOString() };
      });
      if (!outcome.next) return { delivery_id: event.data.delivery_id, result: outcome.result, attempts: attempt + 1 };
      await step.sleepUntil(`wait-${attempt}`, outcome.next);
    }
    return { delivery_id: event.data.delivery_id, result: "chain_limit", attempts: MAX_ATTEMPTS_PER_CHAIN };
  },
);
