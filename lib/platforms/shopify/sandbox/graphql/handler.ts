// POST /admin/api/{version}/graphql.json: Shopify's GraphQL Admin API, version 2026-10 (the stable
// version of December 2026; every version Shopify answers is served alike, see ../versions.ts).
// Authenticated by the sandbox server like the REST API (X-Shopify-Access-Token).
//
// A request is parsed and validated by graphql-js against schema.ts; errors come back as Shopify sends
// them, HTTP 200 with top-level `errors` (message, locations, path, extensions.code). Then its
// requested cost (cost.ts) must be at most 1,000 (MAX_COST_EXCEEDED) and fit in the account's bucket
// (limits.ts), else THROTTLED with data absent and actualQueryCost null; the bucket is refunded the
// unused cost after execution. Every answer carries extensions.cost { requestedQueryCost,
// actualQueryCost, throttleStatus { maximumAvailable, currentlyAvailable, restoreRate } }, and
// extensions.search with the warnings of search terms that were not applied.
import {
  customerCreate,
  customerUpdate,
  metafieldDefinitionCreate,
  productByIdentifier,
  productCreate,
  productUpdate,
  type CustomerInput,
  type DefinitionInput,
  type ProductIdentifier,
  type ProductInput,
} from "./writes";
import { randomUUID } from "node:crypto";
import { executeSync, getOperationAST, GraphQLError, parse, validate, type DocumentNode, type ExecutionResult } from "graphql";
import type { Dataset } from "@/lib/sandbox/dataset";
import type { SandboxRequest, SandboxResponse } from "@/lib/sandbox/http";
import type { HandlerContext } from "@/lib/sandbox/platform";
import { GRAPHQL_BUCKET, GRAPHQL_RESTORE_RATE, ShopifyLimits } from "../limits";
import { countMatching } from "../listing";
import type { ListFilters } from "../query";
import type { ShopifyResource } from "../render";
import { bulkOperationObject, cancelBulkOperation, currentBulkOperation, findOperation, runBulkQuery } from "./bulk";
import { arrayConnection, resourcePage, type ConnectionArgs, type SortKey } from "./connections";
import { CostTally, MAX_QUERY_COST, requestedCost } from "./cost";
import { dateTime, gid, liveSource, parseGid, toNode, type GraphqlObject } from "./nodes";
import { ADMIN_SCHEMA } from "./schema";
import { parseSearch, type SearchWarning } from "./search";

const RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits";

/** gid type → the dataset resource holding it. */
const GID_RESOURCES: Record<string, ShopifyResource> = { Product: "products", Collection: "custom_collections", Customer: "customers", Order: "orders" };

/** GraphQL enum topics and the topics Shopify's webhooks carry. */
const TOPICS: Record<string, string> = {
  BULK_OPERATIONS_FINISH: "bulk_operations/finish",
  COLLECTIONS_CREATE: "collections/create",
  COLLECTIONS_DELETE: "collections/delete",
  COLLECTIONS_UPDATE: "collections/update",
  CUSTOMERS_CREATE: "customers/create",
  CUSTOMERS_DELETE: "customers/delete",
  CUSTOMERS_UPDATE: "customers/update",
  ORDERS_CREATE: "orders/create",
  ORDERS_DELETE: "orders/delete",
  ORDERS_UPDATED: "orders/updated",
  PRODUCTS_CREATE: "products/create",
  PRODUCTS_DELETE: "products/delete",
  PRODUCTS_UPDATE: "products/update",
};

interface Body {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export function handleGraphql(
  request: SandboxRequest,
  dataset: Dataset,
  context: HandlerContext,
  version: string,
  respond: (status: number, body: unknown) => SandboxResponse,
): SandboxResponse {
  const body: Body = typeof request.body === "string" ? { query: request.body } : ((request.body ?? {}) as Body);
  if (typeof body.query !== "string" || body.query.trim() === "") return respond(400, { errors: { query: "Required parameter missing or invalid" } });
  const variables = body.variables && typeof body.variables === "object" ? (body.variables as Record<string, unknown>) : {};
  const operationName = typeof body.operationName === "string" ? body.operationName : undefined;

  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return respond(200, { errors: [formatError(error as GraphQLError, "PARSE_ERROR")] });
  }
  const invalid = validate(ADMIN_SCHEMA, document);
  if (invalid.length > 0) return respond(200, { errors: invalid.map((error) => formatError(error, "GRAPHQL_VALIDATION_FAILED")) });
  const operation = getOperationAST(document, operationName);
  if (!operation)
    return respond(200, {
      errors: [
        {
          message: operationName ? `No operation named "${operationName}"` : "An operation name is required when the document has several operations",
          extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
        },
      ],
    });

  const bucket = context.account.limiter instanceof ShopifyLimits ? context.account.limiter.graphql : null;
  const now = dataset.now();
  const requested = requestedCost(ADMIN_SCHEMA, document, operation, variables);
  const cost = (actual: number | null) => ({
    requestedQueryCost: requested,
    actualQueryCost: actual,
    throttleStatus: {
      maximumAvailable: bucket ? bucket.capacity : GRAPHQL_BUCKET,
      currentlyAvailable: bucket ? Math.floor(bucket.available(dataset.now())) : GRAPHQL_BUCKET,
      restoreRate: bucket ? bucket.leakPerSecond : GRAPHQL_RESTORE_RATE,
    },
  });
  if (requested > MAX_QUERY_COST) {
    return respond(200, {
      errors: [
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\nSee ${RATE_LIMIT_DOCS} for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST, documentation: RATE_LIMIT_DOCS },
        },
      ],
      extensions: { cost: cost(null) },
    });
  }
  if (bucket && !bucket.fill(now, requested).allowed) {
    return respond(200, {
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMIT_DOCS } }],
      extensions: { cost: cost(null) },
    });
  }

  const search: { path: string[]; query: string; warnings: SearchWarning[] }[] = [];
  const tally = new CostTally();
  const result: ExecutionResult = executeSync({
    schema: ADMIN_SCHEMA,
    document,
    operationName,
    variableValues: variables,
    rootValue: operation.operation === "mutation" ? mutationRoot(context, request, version) : queryRoot(dataset, context, search),
    fieldResolver: tally.resolver,
  });
  const actual = operation.operation === "mutation" ? requested : Math.min(requested, tally.actual);
  if (bucket && requested > actual) bucket.drain(requested - actual);

  const out: Record<string, unknown> = {};
  if (result.errors) out.errors = result.errors.map((error) => formatError(error));
  if (result.data !== undefined) out.data = result.data;
  out.extensions = { cost: cost(actual), ...(search.length > 0 ? { search } : {}) };
  return respond(200, out);
}

/** Shopify's error shape: message, locations, path, and extensions with a code. */
function formatError(error: GraphQLError, code?: string): Record<string, unknown> {
  const formatted: Record<string, unknown> = { ...error.toJSON() };
  const extensions = { ...(error.extensions ?? {}) };
  if (code && !extensions.code) extensions.code = code;
  if (Object.keys(extensions).length > 0) formatted.extensions = extensions;
  else delete formatted.extensions;
  return formatted;
}

function queryRoot(dataset: Dataset, context: HandlerContext, search: { path: string[]; query: string; warnings: SearchWarning[] }[]): Record<string, unknown> {
  const source = liveSource(dataset);
  const byGid = (id: string, expected?: string): GraphqlObject | null => {
    const parsed = parseGid(id);
    if (!parsed || (expected && parsed.type !== expected)) return null;
    if (parsed.type === "BulkOperation") {
      const operation = findOperation(context.account, parsed.id);
      return operation ? bulkOperationObject(operation) : null;
    }
    const resource = GID_RESOURCES[parsed.type];
    const record = resource ? source.get(resource, parsed.id) : undefined;
    return record ? toNode(record, source) : null;
  };
  /** The filters of a field's `query:` search terms; the terms not applied are reported in extensions.search. */
  const filtersOf = (resource: ShopifyResource, field: string, query: string | null | undefined): ListFilters => {
    const parsed = parseSearch(resource, query);
    if (parsed.warnings.length > 0) search.push({ path: [field], query: query ?? "", warnings: parsed.warnings });
    return parsed.filters;
  };
  const list = (resource: ShopifyResource, field: string) => (args: ConnectionArgs & { sortKey?: string; query?: string | null }) => {
    const sortKey = (args.sortKey === "PROCESSED_AT" ? "CREATED_AT" : (args.sortKey ?? "ID")) as SortKey;
    return resourcePage(dataset, resource, filtersOf(resource, field, args.query), sortKey, args, field, (record) => toNode(record, source));
  };
  // The records the list with the same search terms would return, counted up to `limit` (10,000 by
  // default, null for no cap): reaching it is precision AT_LEAST, as on Shopify.
  const count = (resource: ShopifyResource, field: string) => (args: { query?: string | null; limit?: number | null }) => {
    const limit = args.limit ?? Infinity;
    const counted = countMatching(dataset, resource, filtersOf(resource, field, args.query), limit);
    return { __typename: "Count", count: counted, precision: counted >= limit ? "AT_LEAST" : "EXACT" };
  };
  return {
    shop: () => ({
      __typename: "Shop",
      id: gid("Shop", 1),
      name: context.account.name,
      myshopifyDomain: `${context.account.id}.myshopify.com`,
      currencyCode: "USD",
      ianaTimezone: "Etc/UTC",
    }),
    node: (args: { id: string }) => byGid(args.id),
    nodes: (args: { ids: string[] }) => args.ids.map((id) => byGid(id)),
    product: (args: { id: string }) => byGid(args.id, "Product"),
    productByIdentifier: (args: { identifier: ProductIdentifier }) => productByIdentifier(dataset, args.identifier),
    collection: (args: { id: string }) => byGid(args.id, "Collection"),
    customer: (args: { id: string }) => byGid(args.id, "Customer"),
    order: (args: { id: string }) => byGid(args.id, "Order"),
    products: list("products", "products"),
    collections: list("custom_collections", "collections"),
    customers: list("customers", "customers"),
    orders: list("orders", "orders"),
    productsCount: count("products", "productsCount"),
    collectionsCount: count("custom_collections", "collectionsCount"),
    customersCount: count("customers", "customersCount"),
    ordersCount: count("orders", "ordersCount"),
    deletionEvents: (args: ConnectionArgs & { sortKey?: string; query?: string | null; subjectTypes?: string[] | null }) => {
      const parsed = parseSearch("deletion_events", args.query);
      if (parsed.warnings.length > 0) search.push({ path: ["deletionEvents"], query: args.query ?? "", warnings: parsed.warnings });
      const types = args.subjectTypes ?? ["PRODUCT", "COLLECTION"];
      const { updatedMin = -Infinity, updatedMax = Infinity } = parsed.filters;
      // Deleted records live only in the account's changes, never in its seeded base.
      const deleted = dataset
        .snapshot()
        .changes.filter((r) => r.deletedAt !== null && r.deletedAt >= updatedMin && r.deletedAt <= updatedMax)
        .filter((r) => (r.object === "products" && types.includes("PRODUCT")) || (r.object === "custom_collections" && types.includes("COLLECTION")))
        .sort((a, b) => (args.sortKey === "CREATED_AT" ? a.deletedAt! - b.deletedAt! || a.id - b.id : a.id - b.id));
      const events = deleted.map((r) => ({
        __typename: "DeletionEvent",
        occurredAt: dateTime(r.deletedAt!),
        subjectId: gid(r.object === "products" ? "Product" : "Collection", r.id),
        subjectType: r.object === "products" ? "PRODUCT" : "COLLECTION",
        key: r.id,
      }));
      return arrayConnection(events, args, "deletionEvents", (event) => event.key);
    },
    currentBulkOperation: () => currentBulkOperation(context.account),
    webhookSubscriptions: (args: ConnectionArgs & { topics?: string[] | null }) => {
      const subscriptions = context.account.webhooks
        .filter((hook) => hook.id !== undefined && (!args.topics || args.topics.some((topic) => hook.topics?.includes(TOPICS[topic]))))
        .map((hook) => subscriptionObject(hook));
      return arrayConnection(subscriptions, args, "webhookSubscriptions", (s) => Number(parseGid(String(s.id))?.id ?? 0));
    },
  };
}

function subscriptionObject(hook: HandlerContext["account"]["webhooks"][number]): GraphqlObject {
  const topic = Object.entries(TOPICS).find(([, wire]) => hook.topics?.includes(wire))?.[0] ?? "BULK_OPERATIONS_FINISH";
  const created = dateTime(hook.createdAt ?? 0);
  return { __typename: "WebhookSubscription", id: hook.id!, topic, uri: hook.url, format: "JSON", createdAt: created, updatedAt: created };
}

let nextSubscriptionId = 1_700_000_000;

function mutationRoot(context: HandlerContext, request: SandboxRequest, version: string): Record<string, unknown> {
  const { account } = context;
  return {
    bulkOperationRunQuery: (args: { query: string; groupObjects: boolean }) => runBulkQuery(args.query, args.groupObjects, context, request, version),
    bulkOperationCancel: (args: { id: string }) => cancelBulkOperation(args.id, account),
    webhookSubscriptionCreate: (args: { topic: string; webhookSubscription: { uri?: string | null; callbackUrl?: string | null } }) => {
      const uri = args.webhookSubscription.uri ?? args.webhookSubscription.callbackUrl;
      if (!uri || !/^https?:\/\/\S+$/.test(uri))
        return { webhookSubscription: null, userErrors: [{ field: ["webhookSubscription", "callbackUrl"], message: "Address is invalid" }] };
      const topic = TOPICS[args.topic];
      if (account.webhooks.some((hook) => hook.url === uri && hook.topics?.includes(topic))) {
        return {
          webhookSubscription: null,
          userErrors: [{ field: ["webhookSubscription", "callbackUrl"], message: "Address for this topic has already been taken" }],
        };
      }
      // Shopify signs with the app's client secret: the one the calling token was issued to.
      const token = account.tokens.get(request.headers["x-shopify-access-token"] ?? "");
      const hook = {
        url: uri,
        secret: token?.clientSecret ?? randomUUID(),
        topics: [topic],
        id: gid("WebhookSubscription", nextSubscriptionId++),
        createdAt: account.dataset.now(),
      };
      account.webhooks.push(hook);
      return { webhookSubscription: subscriptionObject(hook), userErrors: [] };
    },
    customerCreate: (args: { input: CustomerInput }) => customerCreate(account.dataset, args.input),
    customerUpdate: (args: { input: CustomerInput }) => customerUpdate(account.dataset, args.input),
    productCreate: (args: { product: ProductInput }) => productCreate(account.dataset, args.product),
    productUpdate: (args: { product: ProductInput }) => productUpdate(account.dataset, args.product),
    metafieldDefinitionCreate: (args: { definition: DefinitionInput }) => metafieldDefinitionCreate(account.dataset, args.definition),
    webhookSubscriptionDelete: (args: { id: string }) => {
      const index = account.webhooks.findIndex((hook) => hook.id === args.id);
      if (index < 0) return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }] };
      account.webhooks.splice(index, 1);
      return { deletedWebhookSubscriptionId: args.id, userErrors: [] };
    },
  };
}
