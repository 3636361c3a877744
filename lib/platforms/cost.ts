// Query cost: how a connector of a cost-limited platform (a definition with rateLimit.cost, such as
// Shopify's GraphQL Admin API) spends the account's points bucket through the engine's limiter.
//
// Before each query the connector takes the query's requested cost from ConnectorContext.cost; the
// limiter answers once the engine's model of the platform's bucket holds that many points (fair
// between the connections and pages that share the account's bucket). After the answer the connector
// settles the charge with what the platform reported: the points the query really cost are kept, the
// rest refunded, and the platform's own bucket level (throttleStatus.currentlyAvailable) replaces the
// model's, so the pace follows the platform and a normal run meets no THROTTLED answer. If one comes
// anyway, `charge.throttled(status)` returns the rate_limited ConnectorError to throw, with the wait
// until the platform will have restored the missing points.
//
//   const budget = context.cost ?? UNMETERED_COST;
//   const charge = await budget.take(requestedCost); // the connector's estimate, or the last requestedQueryCost of this query shape
//   const { body } = await requestJson<GraphqlAnswer>(context, `${context.baseUrl}/admin/api/${VERSION}/graphql.json`, { method: "POST", body });
//   const cost = body.extensions?.cost;
//   if (body.errors?.some((e) => e.extensions?.code === "THROTTLED")) throw charge.throttled(cost?.throttleStatus ?? null);
//   charge.settle({ actual: cost?.actualQueryCost ?? null, throttleStatus: cost?.throttleStatus ?? null });
//
// A charge that is never settled (the request failed, so what it cost is unknown) keeps its points
// and stops counting as in flight after the request timeout.
import { ConnectorError } from "./errors";

/** The platform's bucket after a query, as Shopify reports it in extensions.cost.throttleStatus. */
export interface ThrottleStatus {
  /** The bucket's size for this account (its plan's). */
  maximumAvailable: number;
  /** Points left now: the truth the engine's model takes over. */
  currentlyAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
}

/** What the platform said a query cost. */
export interface CostOutcome {
  /** The points the query really used (actualQueryCost); the difference to the charge is refunded. Null: it did not run, refund all. */
  actual: number | null;
  throttleStatus: ThrottleStatus | null;
}

/** The points taken for one query, until the platform says what it cost. */
export interface CostCharge {
  readonly points: number;
  /** Once per charge, after the answer. */
  settle(outcome: CostOutcome): void;
  /**
   * The platform answered THROTTLED (the query did not run): settles the charge with the reported
   * bucket, counts the answer as the run's rate limit, and returns the error for the connector to throw.
   */
  throttled(throttleStatus: ThrottleStatus | null): ConnectorError;
}

/** An account's points bucket, as a connector sees it (ConnectorContext.cost). */
export interface CostBudget {
  /**
   * Waits until `points` may be spent and takes them. Rejects with a permanent ConnectorError when
   * `points` exceeds the platform's maxQueryCost (the platform would refuse the query whatever the wait).
   */
  take(points: number): Promise<CostCharge>;
}

/**
 * The rate_limited error for a THROTTLED answer: wait until the platform has restored the points the
 * query lacked, (requested − currentlyAvailable) / restoreRate; 1 s when the platform said nothing.
 */
export function throttledError(requested: number, status: ThrottleStatus | null): ConnectorError {
  const retryAfterMs = status && status.restoreRate > 0 ? Math.ceil((Math.max(0, requested - status.currentlyAvailable) / status.restoreRate) * 1000) : 1000;
  const detail = status ? `${requested} points requested, ${status.currentlyAvailable} available` : `${requested} points requested`;
  return new ConnectorError("rate_limited", `Throttled by the platform (${detail})`, { retryAfterMs });
}

/** A budget that meters nothing: for contexts outside the engine's limiter. */
export const UNMETERED_COST: CostBudget = {
  async take(points) {
    return { points, settle() {}, throttled: (status) => throttledError(points, status) };
  },
};
