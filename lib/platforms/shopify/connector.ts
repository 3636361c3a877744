// The Shopify connector: Admin REST API 2024-10 (the sandbox's commerce emulator speaks the same
// wire format, so this reads a real store when pointed at https://{shop}.myshopify.com).
// Objects: products, collections (custom collections), customers, orders, and transactions, which
// Shopify only lists per order. Pages follow the Link header's page_info; time windows use
// created_at_min/max and incremental syncs updated_at_min. Deletions are not listed by Shopify (it
// reports them by webhook), so full re-syncs detect them.
import { decimalString, idString, stringOrNull, utcTimestamp } from "@/lib/unified/convert";
import { hmacMatches, requestJson } from "../http";
import { ConnectorError, declaredFilters, fromDefinition, type Connector, type ConnectorContext, type ListPage, type ListRequest, type UnifiedRecord } from "../types";
import { shopifyDefinition } from "./definition";

export const SHOPIFY_API_VERSION = "2024-10";
const PAGE_SIZE = 250;
/** Orders per transactions page: each costs one request, so smaller pages checkpoint more often. */
const ORDERS_PER_TRANSACTION_PAGE = 50;

const RESOURCES: Record<string, string> = { products: "products", collections: "custom_collections", customers: "customers", orders: "orders" };

type Json = Record<string, unknown>;

/** Webhook topic resource → unified object. */
const WEBHOOK_RESOURCES: Record<string, string> = { products: "products", collections: "collections", customers: "customers", orders: "orders" };

export const shopifyConnector: Connector = {
  ...fromDefinition(shopifyDefinition),
  incrementalOverlapMs: 5_000,
  oauthClientAuth: "body",
  endpoints(accountId, sandboxUrl) {
    // The account id is the shop's handle; "acme.myshopify.com" is accepted too.
    const shop = accountId.replace(/\.myshopify\.com$/, "");
    const base = sandboxUrl ? `${sandboxUrl}/shopify/${shop}` : `https://${shop}.myshopify.com`;
    return { apiBaseUrl: base, tokenUrl: `${base}/admin/oauth/access_token`, authorizeUrl: `${base}/admin/oauth/authorize` };
  },
  // Webhooks are signed with the app's client secret: X-Shopify-Hmac-Sha256 over the raw body.
  webhooks: {
    // The whole resource as the Admin API renders it: an order with hundreds of line items or a
    // product with hundreds of variants runs to hundreds of kilobytes.
    maxBodyBytes: 2 * 1024 * 1024,
    verify: (headers, body, secret) => hmacMatches(secret, body, headers["x-shopify-hmac-sha256"]),
    objects(headers) {
      const resource = (headers["x-shopify-topic"] ?? "").split("/")[0];
      // An order's change can be a new payment: its transactions are fetched with it.
      return resource === "orders" ? ["orders", "transactions"] : resource in WEBHOOK_RESOURCES ? [WEBHOOK_RESOURCES[resource]] : [];
    },
  },
  async list(context, request) {
    declaredFilters(shopifyDefinition, request);
    if (request.object === "transactions") return listTransactions(context, request);
    const resource = RESOURCES[request.object];
    if (!resource) throw new ConnectorError("permanent", `Shopify has no object "${request.object}"`);
    const page = await fetchPage(context, resource, request, PAGE_SIZE, resource === "custom_collections");
    return { records: page.items.map((item) => normalize(request.object, item)), nextCursor: page.next, deleted: [], requests: 1 };
  },
};

async function fetchPage(context: ConnectorContext, resource: string, request: ListRequest, limit: number, noWindow: boolean): Promise<{ items: Json[]; next: string | null }> {
  const url = new URL(`${context.baseUrl}/admin/api/${SHOPIFY_API_VERSION}/${resource}.json`);
  url.searchParams.set("limit", String(limit));
  if (request.cursor) {
    // With page_info Shopify accepts only limit (and fields): the filters live in the cursor.
    url.searchParams.set("page_info", request.cursor);
  } else {
    if (resource === "orders") url.searchParams.set("status", "any");
    if (request.updatedSince) url.searchParams.set("updated_at_min", iso(request.updatedSince));
    if (!noWindow && request.window?.start) url.searchParams.set("created_at_min", iso(request.window.start));
    // created_at_max is inclusive to the second: stop one second before the window's end.
    if (!noWindow && request.window?.end) url.searchParams.set("created_at_max", iso(new Date(request.window.end.getTime() - 1000)));
  }
  const response = await requestJson<Record<string, Json[]>>(context, url.toString(), { headers: headers(context) });
  if (response.status === 404 || response.status === 402) throw new ConnectorError("account_closed", `The shop is unavailable (${response.status})`, { status: response.status });
  if (response.status !== 200) throw new ConnectorError("permanent", `Shopify answered ${response.status}: ${JSON.stringify(response.body).slice(0, 200)}`, { status: response.status });
  const items = response.body?.[resource];
  if (!Array.isArray(items)) throw new ConnectorError("transient", `Shopify's ${resource} page had no "${resource}" list`);
  return { items, next: nextPageInfo(response.headers.get("link")) };
}

async function listTransactions(context: ConnectorContext, request: ListRequest): Promise<ListPage> {
  const orders = await fetchPage(context, "orders", request, ORDERS_PER_TRANSACTION_PAGE, false);
  const records: UnifiedRecord[] = [];
  for (const order of orders.items) {
    const url = `${context.baseUrl}/admin/api/${SHOPIFY_API_VERSION}/orders/${String(order.id)}/transactions.json`;
    const response = await requestJson<{ transactions?: Json[] }>(context, url, { headers: headers(context) });
    // An order deleted between the two requests has no transactions to read.
    if (response.status === 404) continue;
    for (const transaction of response.body?.transactions ?? []) records.push(normalize("transactions", transaction));
  }
  return { records, nextCursor: orders.next, deleted: [], requests: 1 + orders.items.length };
}

function headers(context: ConnectorContext): Record<string, string> {
  if (context.credentials.kind !== "oauth") throw new ConnectorError("permanent", "Shopify needs an OAuth access token");
  return { "X-Shopify-Access-Token": context.credentials.accessToken, Accept: "application/json" };
}

/** The page_info of the Link header's rel="next" URL. */
export function nextPageInfo(link: string | null): string | null {
  const next = link?.split(",").find((part) => /rel="next"/.test(part));
  const url = next ? /<([^>]+)>/.exec(next)?.[1] : undefined;
  return url ? new URL(url).searchParams.get("page_info") : null;
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Shopify's resources in Tributary's commerce model (lib/unified/commerce.ts), with the resource itself as the platform's data. */
function normalize(object: string, item: Json): UnifiedRecord {
  const updatedAt = typeof item.updated_at === "string" ? new Date(item.updated_at) : typeof item.processed_at === "string" ? new Date(item.processed_at) : null;
  return { externalId: String(item.id), updatedAt, data: unified(object, item), platformData: item };
}

/** Shopify writes tags as one comma-separated string. */
const tags = (value: unknown) => (typeof value === "string" ? value.split(",").map((tag) => tag.trim()).filter(Boolean) : []);

function unified(object: string, item: Json): Json {
  const currency = stringOrNull(item.currency);
  const money = (value: unknown) => decimalString(value, currency);
  switch (object) {
    case "products":
      return {
        id: String(item.id),
        title: item.title,
        vendor: stringOrNull(item.vendor),
        product_type: stringOrNull(item.product_type),
        status: item.status,
        tags: tags(item.tags),
        // Prices are in the shop's currency, which the product does not name.
        currency: null,
        variants: ((item.variants as Json[] | undefined) ?? []).map((v) => ({
          id: String(v.id),
          title: stringOrNull(v.title),
          sku: stringOrNull(v.sku),
          price: decimalString(v.price),
          inventory_quantity: typeof v.inventory_quantity === "number" ? v.inventory_quantity : null,
        })),
        created_at: utcTimestamp(item.created_at),
        updated_at: utcTimestamp(item.updated_at),
      };
    case "collections":
      return {
        id: String(item.id),
        title: item.title,
        handle: stringOrNull(item.handle),
        published_at: utcTimestamp(item.published_at),
        created_at: utcTimestamp(item.created_at),
        updated_at: utcTimestamp(item.updated_at),
      };
    case "customers":
      return {
        id: String(item.id),
        email: stringOrNull(item.email),
        first_name: stringOrNull(item.first_name),
        last_name: stringOrNull(item.last_name),
        phone: stringOrNull(item.phone),
        currency,
        orders_count: typeof item.orders_count === "number" ? item.orders_count : null,
        total_spent: money(item.total_spent),
        created_at: utcTimestamp(item.created_at),
        updated_at: utcTimestamp(item.updated_at),
      };
    case "orders":
      return {
        id: String(item.id),
        order_number: stringOrNull(item.name),
        customer_id: idString((item.customer as Json | null | undefined)?.id),
        email: stringOrNull(item.email),
        currency,
        subtotal_price: money(item.subtotal_price),
        total_discounts: money(item.total_discounts),
        total_tax: money(item.total_tax),
        total_price: money(item.total_price),
        payment_status: stringOrNull(item.financial_status),
        fulfillment_status: stringOrNull(item.fulfillment_status),
        line_items: ((item.line_items as Json[] | undefined) ?? []).map((line) => ({
          id: String(line.id),
          product_id: idString(line.product_id),
          variant_id: idString(line.variant_id),
          title: line.title,
          sku: stringOrNull(line.sku),
          quantity: line.quantity,
          price: money(line.price),
        })),
        cancelled_at: utcTimestamp(item.cancelled_at),
        closed_at: utcTimestamp(item.closed_at),
        created_at: utcTimestamp(item.created_at),
        updated_at: utcTimestamp(item.updated_at),
      };
    case "transactions":
      return {
        id: String(item.id),
        order_id: String(item.order_id),
        kind: item.kind,
        status: stringOrNull(item.status),
        gateway: stringOrNull(item.gateway),
        amount: money(item.amount),
        currency,
        processed_at: utcTimestamp(item.processed_at),
        created_at: utcTimestamp(item.created_at),
      };
    default:
      throw new ConnectorError("permanent", `Shopify has no object "${object}"`);
  }
}
