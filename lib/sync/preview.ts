// What each batch of a resolved configuration will fetch, in the planner's terms, without a database:
// the dashboard's batch editor shows it while a team edits, and the planner uses the same rule for the
// objects of a batch. Pure, so it runs in the browser too.
import type { EffectiveConfiguration } from "./configuration";

/**
 * A batch's objects, minus those the platform cannot limit to a time window that an earlier batch
 * already fetched whole (Shopify's collections, Zendesk's exports). `windowless` lists those objects.
 */
export function objectsOfBatch(configuration: EffectiveConfiguration, position: number, windowless: readonly string[]): string[] {
  const earlier = new Set(configuration.batches.slice(0, position - 1).flatMap((batch) => batch.objects));
  return configuration.batches[position - 1].objects.filter((object) => !windowless.includes(object) || !earlier.has(object));
}

export interface BatchPreview {
  position: number;
  /** What the run fetches, in fetch order. */
  objects: string[];
  /** Of those, the ones fetched whole whatever the window (the platform cannot limit them). */
  whole: string[];
  fromMonthsAgo: number;
  toMonthsAgo: number;
  /** Added by the resolver for history no configured batch covers. */
  remainder: boolean;
  /** The webhook that ends the batch: the first makes the connection ready. */
  event: "INITIAL_UPDATE" | "HISTORICAL_UPDATE";
}

export function previewBatches(configuration: EffectiveConfiguration, windowless: readonly string[]): BatchPreview[] {
  return configuration.batches.map((batch) => {
    const objects = objectsOfBatch(configuration, batch.position, windowless);
    return {
      position: batch.position,
      objects,
      whole: objects.filter((object) => windowless.includes(object)),
      fromMonthsAgo: batch.fromMonthsAgo,
      toMonthsAgo: batch.toMonthsAgo,
      remainder: batch.remainder,
      event: batch.position === 1 ? "INITIAL_UPDATE" : "HISTORICAL_UPDATE",
    };
  });
}

/** "created in the last 2 months", "created 2–24 months ago". */
export function describeCreatedWindow({ fromMonthsAgo, toMonthsAgo }: { fromMonthsAgo: number; toMonthsAgo: number }): string {
  const months = (n: number) => `${n} month${n === 1 ? "" : "s"}`;
  if (toMonthsAgo === 0) return `created in the last ${months(fromMonthsAgo)}`;
  return `created ${toMonthsAgo}–${months(fromMonthsAgo)} ago`;
}
