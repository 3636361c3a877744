// The commerce sandbox's read API, wire-compatible with Shopify's Admin REST API version 2024-10
// (https://shopify.dev/docs/api/admin-rest/2024-10, pagination: https://shopify.dev/docs/api/usage/pagination-rest).
// Requests reach this handler authenticated and rate limited by the sandbox core.
//
//   GET /admin/api/2024-10/{resource}.json          list, cursor-paged by the Link header
//   GET /admin/api/2024-10/{resource}/count.json    {"count": n}
//   GET /admin/api/2024-10/{resource}/{id}.json     one record, 404 {"errors":"Not Found"} if absent or deleted
//   GET /admin/api/2024-10/orders/{id}/transactions.json
// for resource in products, custom_collections, customers, orders.
//
// Lists are in ascending id order (the `order` parameter is not supported). orders.json and
// orders/count.json default to status=open like Shopify; pass status=any for every order.
import type { Dataset } from "@/lib/sandbox/dataset";
import { json, type SandboxRequest, type SandboxResponse } from "@/lib/sandbox/http";
import { countMatching, scanBackward, scanForward } from "./listing";
import { encodePageInfo, parseCountQuery, parseFieldsParam, parseListQuery, type ListFilters } from "./query";
import { isShopifyResource, pickFields, RESOURCES, SHOPIFY_API_VERSION, shopifyRecordJson, type ShopifyResource } from "./render";
import { orderTransactions } from "./transactions";

export { SHOPIFY_API_VERSION, shopifyRecordJson } from "./render";

const PATH = /^\/admin\/api\/([^/]+)\/(.+)\.json$/;
const ID = /^\d{1,16}$/;

export function handleShopify(request: SandboxRequest, dataset: Dataset): SandboxResponse {
  const match = request.method === "GET" ? PATH.exec(request.path) : null;
  if (!match || match[1] !== SHOPIFY_API_VERSION) return notFound();
  const [name, second, third, ...rest] = match[2].split("/");
  if (rest.length > 0 || !isShopifyResource(name)) return notFound();
  if (second === undefined) return list(name, request, dataset);
  if (third === undefined && second === "count") return count(name, request, dataset);
  if (third === undefined && ID.test(second)) return show(name, Number(second), request, dataset);
  if (name === "orders" && third === "transactions" && ID.test(second)) return transactions(Number(second), request, dataset);
  return notFound();
}

function list(resource: ShopifyResource, request: SandboxRequest, dataset: Dataset): SandboxResponse {
  const parsed = parseListQuery(resource, request.query);
  if (!parsed.ok) return badRequest(parsed.field);
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
  if (hasPrevious) links.push(`<${pageUrl(request, resource, filters, records[0].id, "prev", limit, fields)}>; rel="previous"`);
  if (hasNext) links.push(`<${pageUrl(request, resource, filters, records[records.length - 1].id, "next", limit, fields)}>; rel="next"`);
  const headers: Record<string, string> = links.length > 0 ? { Link: links.join(", ") } : {};
  return respond(200, { [resource]: records.map((record) => pickFields(shopifyRecordJson(record), fields)) }, headers);
}

function count(resource: ShopifyResource, request: SandboxRequest, dataset: Dataset): SandboxResponse {
  const filters = parseCountQuery(resource, request.query);
  if (!filters.ok) return badRequest(filters.field);
  return respond(200, { count: countMatching(dataset, resource, filters.value) });
}

function show(resource: ShopifyResource, id: number, request: SandboxRequest, dataset: Dataset): SandboxResponse {
  const fields = parseFieldsParam(request.query);
  if (!fields.ok) return badRequest(fields.field);
  const record = dataset.get(resource, id);
  if (!record || record.deletedAt !== null) return notFound();
  return respond(200, { [RESOURCES[resource].singular]: pickFields(shopifyRecordJson(record), fields.value) });
}

function transactions(orderId: number, request: SandboxRequest, dataset: Dataset): SandboxResponse {
  const order = dataset.get("orders", orderId);
  if (!order || order.deletedAt !== null) return notFound();
  const sinceId = request.query.get("since_id");
  if (sinceId !== null && !ID.test(sinceId)) return badRequest("since_id");
  const all = orderTransactions(order);
  return respond(200, { transactions: sinceId === null ? all : all.filter((t) => Number(t.id) > Number(sinceId)) });
}

/** A Link URL: absolute, carrying only page_info, limit and fields, as Shopify's do. */
function pageUrl(request: SandboxRequest, resource: ShopifyResource, filters: ListFilters, cursor: number, direction: "next" | "prev", limit: number, fields: string[] | undefined): string {
  const query = new URLSearchParams({ page_info: encodePageInfo({ o: resource, f: filters, c: cursor, d: direction }), limit: String(limit) });
  if (fields) query.set("fields", fields.join(","));
  return `${request.baseUrl.replace(/\/+$/, "")}/admin/api/${SHOPIFY_API_VERSION}/${resource}.json?${query.toString()}`;
}

function respond(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return json(status, body, { "X-Shopify-API-Version": SHOPIFY_API_VERSION, ...headers });
}

function notFound(): SandboxResponse {
  return respond(404, { errors: "Not Found" });
}

/** Shopify names the parameter: {"errors":{"limit":"Invalid value."}}. */
function badRequest(field: string): SandboxResponse {
  return respond(400, { errors: { [field]: "Invalid value." } });
}
