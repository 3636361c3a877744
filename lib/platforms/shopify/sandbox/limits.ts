// Shopify's two rate limits for one app on one shop, as the sandbox applies them:
// - REST Admin API: the leaky bucket of 40 requests leaking 2 a second (Standard plan), per request;
// - GraphQL Admin API: calculated query cost in a leaky bucket that restores 100 points a second on the
//   Standard plan (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits: Standard 100,
//   Advanced 200, Plus 1000, Enterprise 2000 points/second) and holds 2,000 points, 20 seconds of
//   restore as on Plus (1,000 points/s, 20,000 available) — the bucket size the docs no longer print.
//   The server lets GraphQL requests through; the GraphQL handler fills this bucket with the query's
//   requested cost (it knows the cost only once it has parsed the query) and refunds the unused part.
// The account's rate_limit_scale multiplies both (0.1: a tenth of the allowance, ten times sooner).
import { LeakyBucket, type LimitDecision, type RateLimiter } from "@/lib/sandbox/rate-limit";

export const REST_BUCKET = 40;
export const REST_LEAK_PER_SECOND = 2;
export const GRAPHQL_RESTORE_RATE = 100;
export const GRAPHQL_BUCKET = 2000;

const GRAPHQL_PATH = /^\/admin\/api\/[^/]+\/graphql\.json$/;

export function isGraphqlPath(path: string): boolean {
  return GRAPHQL_PATH.test(path);
}

export class ShopifyLimits implements RateLimiter {
  readonly rest: LeakyBucket;
  readonly graphql: LeakyBucket;

  constructor(scale: number) {
    this.rest = new LeakyBucket(Math.max(1, Math.round(REST_BUCKET * scale)), REST_LEAK_PER_SECOND * scale);
    this.graphql = new LeakyBucket(Math.max(1, Math.round(GRAPHQL_BUCKET * scale)), GRAPHQL_RESTORE_RATE * scale);
  }

  take(now: number, path = ""): LimitDecision {
    if (isGraphqlPath(path)) return { allowed: true, retryAfterSeconds: 0, headers: {} };
    return this.rest.take(now);
  }
}
