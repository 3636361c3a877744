// Webhook functions: a dispatcher that fans events out and starts one delivery chain per due delivery,
// and the chain itself — an attempt per step, `step.sleepUntil` between attempts by the endpoint's
// schedule (Retry-After included, as attemptDelivery computes it), ending when the delivery succeeds,
// fails or its endpoint is disabled, or "Retry now" takes its sleeping hold over (lib/webhooks/due.ts);
// a chain that ends its delivery starts its stream's next one at once.
import { randomUUID } from "node:crypto";
import { cron } from "inngest";
import { getDb } from "@/lib/db/client";
import { attemptDelivery } from "@/lib/webhooks/deliver";
import { dueDeliveries, holdDelivery, resumeHold } from "@/lib/webhooks/due";
import { fanOutEvents } from "@/lib/webhooks/fanout";
import { inngest } from "../client";
import { webhookDeliveryRequested } from "../events";

/** A chain holds its delivery this long past the next attempt's time, so the dispatcher leaves it alone. */
const HOLD_MARGIN_MS = 10 * 60_000;
const MAX_ATTEMPTS_PER_CHAIN = 25;
/** Deliveries of a stream a finished chain starts (its next one, and earlier ones whose ordering wait is over). */
const NEXT_IN_STREAM = 10;

/** The event that starts a delivery's chain. Its id pins one chain per delivery and attempt: a repeated tick, or a chain and the dispatcher, start nothing twice. */
function chainStart(delivery: { id: string; endpointId: string; attemptCount: number }) {
  return webhookDeliveryRequested.create(
    { delivery_id: delivery.id, endpoint_id: delivery.endpointId },
    { id: `delivery:${delivery.id}:${delivery.attemptCount}` },
  );
}

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
      await step.sendEvent("start-chains", due.map(chainStart));
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
  async ({ event, step }) => {
    const deliveryId = event.data.delivery_id;
    let outcome: { result: string; attempts: number } = { result: "chain_limit", attempts: MAX_ATTEMPTS_PER_CHAIN };
    // The name of the hold this chain took before its sleep, from the memoized step that took it.
    let hold: string | null = null;
    for (let attempt = 0; attempt < MAX_ATTEMPTS_PER_CHAIN; attempt++) {
      const held = hold;
      const taken = await step.run(`attempt-${attempt}`, async () => {
        // After a sleep the chain attempts only while the hold is still its own: "Retry now" may have
        // taken it over, and a fresh chain is (or will be) sending the attempt instead.
        if (held && !(await resumeHold(getDb(), deliveryId, held, new Date(Date.now() + HOLD_MARGIN_MS))))
          return { result: "superseded", next: null, hold: null };
        const result = await attemptDelivery(getDb(), deliveryId);
        if (result !== "retry_scheduled") return { result, next: null, hold: null };
        const delivery = await getDb().delivery.findUniqueOrThrow({ where: { id: deliveryId }, select: { nextAttemptAt: true } });
        const name = randomUUID();
        await holdDelivery(getDb(), deliveryId, name, new Date(delivery.nextAttemptAt!.getTime() + HOLD_MARGIN_MS));
        return { result, next: delivery.nextAttemptAt!.toISOString(), hold: name };
      });
      if (!taken.next) {
        outcome = { result: taken.result, attempts: taken.result === "superseded" ? attempt : attempt + 1 };
        break;
      }
      hold = taken.hold;
      await step.sleepUntil(`wait-${attempt}`, taken.next);
    }
    if (outcome.result === "succeeded" || outcome.result === "failed") {
      // The stream's next delivery may go now: start its chain at once rather than at the
      // dispatcher's next tick, a minute per event of a busy stream. The same idempotent id as the
      // dispatcher's, so the two never start it twice.
      const next = await step.run("next-in-stream", async () => {
        const { endpointId, stream } = await getDb().delivery.findUniqueOrThrow({ where: { id: deliveryId }, select: { endpointId: true, stream: true } });
        return dueDeliveries(getDb(), NEXT_IN_STREAM, { endpointId, stream });
      });
      if (next.length) await step.sendEvent("start-next-in-stream", next.map(chainStart));
    }
    return { delivery_id: deliveryId, ...outcome };
  },
);
