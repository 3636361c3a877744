// The commerce sandbox's read API, wire-compatible with Shopify's Admin REST API version 2024-10
// (https://shopify.dev/docs/api/admin-rest/2024-10, pagination: https://shopify.dev/docs/api/usage/pagination-rest).
// Requests reach this handler authenticated and rate limited by the sandbox core.
//
//   GET /admin/api/{version}/{resource}.json          list, cursor-paged by the Link header
//   GET /admin/api/{version}/{resource}/count.json    {"count": n}
//   GET /admin/api/{version}/{resource}/{id}.json     one record, 404 {"errors":"Not Found"} if absent or deleted
//   GET /admin/api/{version}/orders/{id}/transactions.json
// for resource in products, custom_collections, customers, orders, and any version Shopify answers
// (versions.ts: supported ones, the release candidate and unstable; older ones and /admin/… without a
// version fall forward), with X-Shopify-API-Version naming the version that answered.
//
// POST /admin/api/{version}/graphql.json is the GraphQL Admin API (graphql/handler.ts).
//
// Lists are in ascending id order (the `order` parameter is not supported). orders.json and
// orders/count.json default to status=open like Shopify; pass status=any for every order.
import type { Dataset } from "@/lib/sandbox/dataset";
import { json, type SandboxRequest, type SandboxResponse } from "@/lib/sandbox/http";
import type { HandlerContext } from "@/lib/sandbox/platform";
import { handleGraphql } from "./graphql/handler";
import { countMatching, scanBackward, scanForward } from "./listing";
import { encodePageInfo, parseCountQuery, parseFieldsParam, parseListQuery, type ListFilters } from "./query";
import { isShopifyResource, pickFields, RESOURCES, shopifyRecordJson, type ShopifyResource } from "./render";
import { orderTransactions } from "./transactions";
import { answeringVersion } from "./versions";

export { SHOPIFY_API_VERSION, shopifyRecordJson } from "./render";

/** /admin/api/{version}/… or /admin/… (no version); the version and the resource path after it. */
const PATH = /^(\/admin(?:\/api\/([^/]+))?)\/(.+)\.json$/;
const ID = /^\d{1,16}$/;
const GRAPHQL_PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;

/** One request's answers carry the version that answered; Link URLs keep the path's own prefix. */
interface Reply {
  /** "/admin/api/2026-10" or "/admin", as the request had it. */
  prefix: string;
  respond(status: number, body: unknown, headers?: Record<string, string>): SandboxResponse;
}

export function handleShopify(request: SandboxRequest, dataset: Dataset, context?: HandlerContext): SandboxResponse {
  if (request.method === "POST" && context) {
    const graphql = GRAPHQL_PATH.exec(request.path);
    const version = graphql ? answeringVersion(graphql[1], dataset.now()) : null;
    if (graphql && version !== null)
      return handleGraphql(request, dataset, context, version, (status, body) => json(status, body, { "X-Shopify-API-Version": version }));
  }
  const match = request.method === "GET" ? PATH.exec(request.path) : null;
  const version = match ? answeringVersion(match[2] ?? null, dataset.now()) : null;
  if (!match || version === null) return json(404, { errors: "Not Found" });
  const reply: Reply = { prefix: match[1], respond: (status, body, headers = {}) => json(status, body, { "X-Shopify-API-Version": version, ...headers }) };
  const [name, second, third, ...rest] = match[3].split("/");
  if (rest.length > 0 || !isShopifyResource(name)) return notFound(reply);
  if (second === undefined) return list(name, request, dataset, reply);
  if (third === undefined && second === "count") return count(name, request, dataset, reply);
  if (third === undefined && ID.test(second)) return show(name, Number(second), request, dataset, reply);
  if (name === "orders" && third === "transactions" && ID.test(second)) return transactions(Number(second), request, dataset, reply);
  return notFound(reply);
}

function list(resource: ShopifyResource, request: SandboxRequest, dataset: Dataset, reply: Reply): SandboxResponse {
  const parsed = parseListQuery(resource, request.query);
  if (!parsed.ok) return badRequest(reply, parsed.field);
  const { filters, limit, fields, page } = parsed.value;

  let records;
  let hasNext: boolean;
  let hasPrevious: boolean;
  if (page?.direction === "prev") {
    const found = scanBackward(dataset, resource, filters, page.cursor, limit + 1);
    records = found.slice(-limit);
    hasPrevious = found.length > limit;
    hasNext = records.length > 0 && scanForward(dataset, resource, filters, records[records.length - 1].id, 1).length > 0;
  } else {
    const found = scanForward(dataset, resource, filters, page?.cursor, limit + 1);
    records = found.slice(0, limit);
    hasNext = found.length > limit;
    // The first page (no page_info) never has a previous link, as on Shopify.
    hasPrevious = page !== undefined && records.length > 0 && scanBackward(dataset, resource, filters, records[0].id, 1).length > 0;
  }

  const links: string[] = [];
  if (hasPrevious) links.push(`<${pageUrl(request, reply, resource, filters, records[0].id, "prev", limit, fields)}>; rel="previous"`);
  if (hasNext) links.push(`<${pageUrl(request, reply, resource, filters, records[records.length - 1].id, "next", limit, fields)}>; rel="next"`);
  const headers: Record<string, string> = links.length > 0 ? { Link: links.join(", ") } : {};
  return reply.respond(200, { [resource]: records.map((record) => pickFields(shopifyRecordJson(record), fields)) }, headers);
}

function count(resource: ShopifyResource, request: SandboxRequest, dataset: Dataset, reply: Reply): SandboxResponse {
  const filters = parseCountQuery(resource, request.query);
  if (!filters.ok) return badRequest(reply, filters.field);
  return reply.respond(200, { count: countMatching(dataset, resource, filters.value) });
}

function show(resource: ShopifyResource, id: number, request: SandboxRequest, dataset: Dataset, reply: Reply): SandboxResponse {
  const fields = parseFieldsParam(request.query);
  if (!fields.ok) return badRequest(reply, fields.field);
  const record = dataset.get(resource, id);
  if (!record || record.deletedAt !== null) return notFound(reply);
  return reply.respond(200, { [RESOURCES[resource].singular]: pickFields(shopifyRecordJson(record), fields.value) });
}

function transactions(orderId: number, request: SandboxRequest, dataset: Dataset, reply: Reply): SandboxResponse {
  const order = dataset.get("orders", orderId);
  if (!order || order.deletedAt !== null) return notFound(reply);
  const sinceId = request.query.get("since_id");
  if (sinceId !== null && !ID.test(sinceId)) return badRequest(reply, "since_id");
  const all = orderTransactions(order);
  return reply.respond(200, { transactions: sinceId === null ? all : all.filter((t) => Number(t.id) > Number(sinceId)) });
}

/** A Link URL: absolute, on the version the request named, carrying only page_info, limit and fields, as Shopify's do. */
function pageUrl(
  request: SandboxRequest,
  reply: Reply,
  resource: ShopifyResource,
  filters: ListFilters,
  cursor: number,
  direction: "next" | "prev",
  limit: number,
  fields: string[] | undefined,
): string {
  const query = new URLSearchParams({ page_info: encodePageInfo({ o: resource, f: filters, c: cursor, d: direction }), limit: String(limit) });
  if (fields) query.set("fields", fields.join(","));
  return `${request.baseUrl.replace(/\/+$/, "")}${reply.prefix}/${resource}.json?${query.toString()}`;
}

function notFound(reply: Reply): SandboxResponse {
  return reply.respond(404, { errors: "Not Found" });
}

/** Shopify names the parameter: {"errors":{"limit":"Invalid value."}}. */
function badRequest(reply: Reply, field: string): SandboxResponse {
  return reply.respond(400, { errors: { [field]: "Invalid value." } });
}
