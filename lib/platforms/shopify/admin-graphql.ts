// One query to Shopify's GraphQL Admin API, paid for from the account's points bucket
// (lib/platforms/cost.ts): the query's requested cost is taken before it is sent, and settled from
// the answer's extensions.cost after, so the engine's model of the bucket follows Shopify's own
// throttleStatus and a normal run meets no THROTTLED answer.
//
// Shopify answers GraphQL with HTTP 200 whatever went wrong inside the query: THROTTLED is a
// rate limit, INTERNAL_SERVER_ERROR a transient failure, anything else (a cursor it refuses, a cost
// over 1,000, a field it does not know) a permanent one. HTTP statuses keep their meaning around it:
// 401 revoked, 402 (frozen) / 404 (closed) / 423 (locked) an unavailable shop, 429 and 5xx as elsewhere.
import { UNMETERED_COST, type CostOutcome, type ThrottleStatus } from "../cost";
import { requestJson } from "../http";
import { ConnectorError, type ConnectorContext } from "../types";

/** The GraphQL Admin API version the connector speaks: the stable one of October 2026. */
export const SHOPIFY_API_VERSION = "2026-10";

interface GraphqlError {
  message?: string;
  extensions?: { code?: string };
}

interface GraphqlAnswer<T> {
  data?: T | null;
  errors?: GraphqlError[];
  extensions?: { cost?: { requestedQueryCost?: number; actualQueryCost?: number | null; throttleStatus?: ThrottleStatus } };
}

const CLOSED_STATUSES = new Set([402, 404, 423]);

/** Shopify takes the OAuth access token in X-Shopify-Access-Token. */
export function authHeaders(context: ConnectorContext): Record<string, string> {
  if (context.credentials.kind !== "oauth") throw new ConnectorError("permanent", "Shopify needs an OAuth access token");
  return { "X-Shopify-Access-Token": context.credentials.accessToken };
}

/** What a GraphQL answer says it cost (extensions.cost), for the proxy's charge; null when it says nothing. */
export function reportedCost(body: unknown): CostOutcome | null {
  const cost = (body as GraphqlAnswer<unknown> | null)?.extensions?.cost;
  return cost ? { actual: cost.actualQueryCost ?? null, throttleStatus: cost.throttleStatus ?? null } : null;
}

/** Runs `query` costing `requestedCost` points (as Shopify calculates it: see queries.ts) and returns its data. */
export async function adminQuery<T>(context: ConnectorContext, query: string, variables: Record<string, unknown>, requestedCost: number): Promise<T> {
  const headers = { ...authHeaders(context), "Content-Type": "application/json", Accept: "application/json" };
  const charge = await (context.cost ?? UNMETERED_COST).take(requestedCost);
  const response = await requestJson<GraphqlAnswer<T> | null>(context, `${context.baseUrl}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  }).catch((error: unknown) => {
    // Refused before it ran (a 429, a 5xx, a 401): it cost nothing, and the points go back now rather
    // than after the in-flight timeout (30 s of a paused bucket per refusal). Without an answer (a
    // timeout, a cut connection) or with a cut-off 200 what it cost is unknown: the charge keeps them.
    if (error instanceof ConnectorError && error.options.status !== undefined && error.options.status !== 200)
      charge.settle({ actual: null, throttleStatus: null });
    throw error;
  });
  if (response.status !== 200) charge.settle({ actual: null, throttleStatus: null });
  if (CLOSED_STATUSES.has(response.status))
    throw new ConnectorError("account_closed", `The shop is unavailable (${response.status})`, { status: response.status });
  if (response.status !== 200)
    throw new ConnectorError("permanent", `Shopify answered ${response.status}: ${JSON.stringify(response.body).slice(0, 200)}`, { status: response.status });
  const answer = response.body;
  if (!answer || typeof answer !== "object") throw new ConnectorError("transient", "Shopify's GraphQL answer was empty");
  const cost = answer.extensions?.cost;
  const throttleStatus = cost?.throttleStatus ?? null;
  const errors = answer.errors ?? [];
  if (errors.some((error) => error.extensions?.code === "THROTTLED")) throw charge.throttled(throttleStatus);
  charge.settle({ actual: cost?.actualQueryCost ?? null, throttleStatus });
  if (errors.length > 0) {
    const message = `Shopify refused the query: ${errors
      .map((error) => `${error.extensions?.code ?? "ERROR"} ${error.message ?? ""}`.trim())
      .join("; ")
      .slice(0, 300)}`;
    throw new ConnectorError(errors.some((error) => error.extensions?.code === "INTERNAL_SERVER_ERROR") ? "transient" : "permanent", message);
  }
  if (!answer.data) throw new ConnectorError("transient", "Shopify's GraphQL answer had no data");
  return answer.data;
}

/** The numeric id of a gid ("gid://shopify/Order/450789469" → "450789469"): the id stored records and references use. */
export function legacyId(gid: unknown): string | null {
  if (typeof gid !== "string") return null;
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(gid);
  return match ? match[1] : null;
}
