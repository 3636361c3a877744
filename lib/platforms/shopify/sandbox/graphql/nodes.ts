// Records as the GraphQL Admin API presents them: the same stored records the REST emulator renders
// (objects.ts builds them in REST's shape), mapped to GraphQL's names, gid://shopify/… ids, enums in
// capitals, money as MoneyBag { shopMoney presentmentMoney }, DateTime in UTC with a Z. Nested
// connections and references are functions, so graphql-js only computes what a query selects.
import type { Dataset, StoredRecord } from "@/lib/sandbox/dataset";
import { RESOURCES, type ShopifyResource } from "../render";
import { orderTransactions } from "../transactions";
import { arrayConnection, type Connection, type ConnectionArgs } from "./connections";

export type GraphqlObject = { __typename: string; id?: string } & Record<string, unknown>;

type Data = Record<string, unknown>;

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** The numeric id of a gid of one of `types`, or null. */
export function parseGid(value: string): { type: string; id: number } | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d{1,16})(?:\?.*)?$/.exec(value);
  return match ? { type: match[1], id: Number(match[2]) } : null;
}

/** GraphQL DateTime: ISO 8601 in UTC at second precision, "2026-01-01T00:00:00Z". */
export function dateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function renderedTime(value: unknown): string | null {
  if (typeof value === "number") return dateTime(value);
  if (typeof value !== "string") return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? dateTime(ms) : null;
}

const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const upper = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value.toUpperCase().replace(/-/g, "_") : null);
const tags = (value: unknown): string[] =>
  typeof value === "string"
    ? value
        .split(",")
        .map((tag) => tag.trim())
        .filter(Boolean)
    : [];

function moneyV2(amount: unknown, currency: unknown): GraphqlObject {
  return { __typename: "MoneyV2", amount: str(amount) ?? "0.0", currencyCode: str(currency) ?? "USD" };
}

/** REST's price_set ({ shop_money, presentment_money }) as a MoneyBag; or one amount in both currencies. */
function moneyBag(set: unknown, amount?: unknown, currency?: unknown): GraphqlObject {
  const bag = set as { shop_money?: Data; presentment_money?: Data } | undefined;
  if (bag?.shop_money) {
    const presentment = bag.presentment_money ?? bag.shop_money;
    return {
      __typename: "MoneyBag",
      shopMoney: moneyV2(bag.shop_money.amount, bag.shop_money.currency_code),
      presentmentMoney: moneyV2(presentment.amount, presentment.currency_code),
    };
  }
  const money = moneyV2(amount, currency);
  return { __typename: "MoneyBag", shopMoney: money, presentmentMoney: money };
}

function address(value: unknown): GraphqlObject | null {
  if (!value || typeof value !== "object") return null;
  const a = value as Data;
  return {
    __typename: "MailingAddress",
    id: gid("MailingAddress", typeof a.id === "number" ? a.id : 0),
    address1: str(a.address1),
    address2: str(a.address2),
    city: str(a.city),
    company: str(a.company),
    country: str(a.country),
    countryCodeV2: str(a.country_code),
    firstName: str(a.first_name),
    lastName: str(a.last_name),
    name: str(a.name),
    phone: str(a.phone),
    province: str(a.province),
    provinceCode: str(a.province_code),
    zip: str(a.zip),
  };
}

/** How the GraphQL API reaches other records: the live store, or a bulk operation's snapshot of it. */
export interface RecordSource {
  get(resource: ShopifyResource, id: number): StoredRecord | undefined;
}

/**
 * The dataset's live records. `remember` keeps up to that many looked-up records, for a dataset that
 * no longer changes (a bulk operation's snapshot), where each order's line items look up their
 * products again and again.
 */
export function liveSource(dataset: Dataset, remember = 0): RecordSource {
  const live = (resource: ShopifyResource, id: number) => {
    const record = dataset.get(resource, id);
    return record && record.deletedAt === null ? record : undefined;
  };
  if (remember === 0) return { get: live };
  const memo = new Map<string, StoredRecord | undefined>();
  return {
    get(resource, id) {
      const key = `${resource}/${id}`;
      if (memo.has(key)) return memo.get(key);
      if (memo.size >= remember) memo.clear();
      const record = live(resource, id);
      memo.set(key, record);
      return record;
    },
  };
}

export function toNode(record: StoredRecord, source: RecordSource): GraphqlObject {
  switch (record.object as ShopifyResource) {
    case "products":
      return productNode(record);
    case "custom_collections":
      return collectionNode(record);
    case "customers":
      return customerNode(record);
    case "orders":
      return orderNode(record, source);
  }
  throw new Error(`No GraphQL type for ${record.object}`);
}

function common(record: StoredRecord, type: string): GraphqlObject {
  return {
    __typename: type,
    id: gid(type, record.id),
    legacyResourceId: String(record.id),
    createdAt: dateTime(record.createdAt),
    updatedAt: dateTime(record.updatedAt),
  };
}

export function productNode(record: StoredRecord): GraphqlObject {
  const d = record.data;
  const variants = Array.isArray(d.variants) ? (d.variants as Data[]) : [];
  const node: GraphqlObject = {
    ...common(record, "Product"),
    title: str(d.title) ?? "",
    handle: str(d.handle) ?? "",
    descriptionHtml: str(d.body_html) ?? "",
    vendor: str(d.vendor) ?? "",
    productType: str(d.product_type) ?? "",
    status: upper(d.status) ?? "ACTIVE",
    tags: tags(d.tags),
    publishedAt: renderedTime(d.published_at),
    templateSuffix: str(d.template_suffix),
    totalInventory: variants.reduce((sum, v) => sum + (typeof v.inventory_quantity === "number" ? v.inventory_quantity : 0), 0),
  };
  node.variants = (args: ConnectionArgs): Connection =>
    arrayConnection(
      variants.map((v) => variantNode(v, node, record)),
      args,
    );
  return node;
}

function variantNode(v: Data, product: GraphqlObject, record: StoredRecord): GraphqlObject {
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", Number(v.id)),
    legacyResourceId: String(v.id),
    title: str(v.title) ?? "",
    displayName: `${String(product.title)} - ${str(v.title) ?? ""}`,
    sku: str(v.sku),
    barcode: str(v.barcode),
    position: typeof v.position === "number" ? v.position : 1,
    price: str(v.price) ?? "0.00",
    compareAtPrice: str(v.compare_at_price),
    inventoryQuantity: typeof v.inventory_quantity === "number" ? v.inventory_quantity : null,
    taxable: v.taxable !== false,
    createdAt: renderedTime(v.created_at) ?? dateTime(record.createdAt),
    updatedAt: renderedTime(v.updated_at) ?? dateTime(record.updatedAt),
    product,
  };
}

function collectionNode(record: StoredRecord): GraphqlObject {
  const d = record.data;
  const { createdAt: _createdAt, ...node } = common(record, RESOURCES.custom_collections.gid);
  return {
    ...node,
    __typename: "Collection",
    title: str(d.title) ?? "",
    handle: str(d.handle) ?? "",
    descriptionHtml: str(d.body_html) ?? "",
    sortOrder: upper(d.sort_order) ?? "MANUAL",
    templateSuffix: str(d.template_suffix),
  };
}

export function customerNode(record: StoredRecord): GraphqlObject {
  const d = record.data;
  const addresses = (Array.isArray(d.addresses) ? d.addresses : []).map(address).filter((a): a is GraphqlObject => a !== null);
  const first = str(d.first_name);
  const last = str(d.last_name);
  return {
    ...common(record, "Customer"),
    firstName: first,
    lastName: last,
    displayName: [first, last].filter(Boolean).join(" ") || (str(d.email) ?? ""),
    email: str(d.email),
    phone: str(d.phone),
    state: upper(d.state) ?? "DISABLED",
    note: str(d.note),
    tags: tags(d.tags),
    verifiedEmail: d.verified_email === true,
    taxExempt: d.tax_exempt === true,
    numberOfOrders: String(typeof d.orders_count === "number" ? d.orders_count : 0),
    amountSpent: moneyV2(d.total_spent ?? "0.00", d.currency),
    defaultAddress: address(d.default_address),
    addresses: (args: { first?: number | null }) => (typeof args.first === "number" ? addresses.slice(0, args.first) : addresses),
  };
}

const FINANCIAL: Record<string, string> = {
  paid: "PAID",
  pending: "PENDING",
  authorized: "AUTHORIZED",
  partially_refunded: "PARTIALLY_REFUNDED",
  refunded: "REFUNDED",
  voided: "VOIDED",
  partially_paid: "PARTIALLY_PAID",
};
const FULFILLMENT: Record<string, string> = { fulfilled: "FULFILLED", partial: "PARTIALLY_FULFILLED" };

function orderNode(record: StoredRecord, source: RecordSource): GraphqlObject {
  const d = record.data;
  const currency = str(d.currency) ?? "USD";
  const totalCents = Math.round(Number(d.total_price ?? 0) * 100);
  const currentCents = d.current_total_price === undefined ? totalCents : Math.round(Number(d.current_total_price) * 100);
  const cents = (value: number) => (value / 100).toFixed(2);
  const lineItems = Array.isArray(d.line_items) ? (d.line_items as Data[]) : [];
  const customer = d.customer as Data | null | undefined;
  const shipping = Array.isArray(d.shipping_lines) ? (d.shipping_lines as Data[]) : [];
  // Money and addresses are built when read: a query selects a few of them, and a bulk export
  // builds hundreds of thousands of orders.
  return {
    ...common(record, "Order"),
    name: str(d.name) ?? `#${record.id}`,
    email: str(d.email),
    phone: str(d.phone),
    note: str(d.note),
    tags: tags(d.tags),
    test: d.test === true,
    processedAt: renderedTime(d.processed_at) ?? dateTime(record.createdAt),
    cancelledAt: renderedTime(d.cancelled_at),
    closedAt: renderedTime(d.closed_at),
    closed: d.closed_at !== null && d.closed_at !== undefined,
    cancelReason: upper(d.cancel_reason),
    currencyCode: currency,
    presentmentCurrencyCode: str(d.presentment_currency) ?? currency,
    displayFinancialStatus: FINANCIAL[String(d.financial_status)] ?? null,
    displayFulfillmentStatus: FULFILLMENT[String(d.fulfillment_status)] ?? "UNFULFILLED",
    get subtotalPriceSet() {
      return moneyBag(d.subtotal_price_set, d.subtotal_price, currency);
    },
    get totalPriceSet() {
      return moneyBag(d.total_price_set, d.total_price, currency);
    },
    get totalTaxSet() {
      return moneyBag(d.total_tax_set, d.total_tax, currency);
    },
    get totalDiscountsSet() {
      return moneyBag(d.total_discounts_set, d.total_discounts, currency);
    },
    get totalShippingPriceSet() {
      return moneyBag(d.total_shipping_price_set, shipping[0]?.price ?? "0.00", currency);
    },
    get currentTotalPriceSet() {
      return moneyBag(undefined, cents(currentCents), currency);
    },
    get totalRefundedSet() {
      return moneyBag(undefined, cents(totalCents - currentCents), currency);
    },
    get totalOutstandingSet() {
      return moneyBag(undefined, d.total_outstanding ?? "0.00", currency);
    },
    get billingAddress() {
      return address(d.billing_address);
    },
    get shippingAddress() {
      return address(d.shipping_address);
    },
    customer: () => {
      const id = typeof customer?.id === "number" ? customer.id : null;
      const found = id === null ? undefined : source.get("customers", id);
      return found ? reference("Customer", found.id, () => customerNode(found)) : null;
    },
    lineItems: (args: ConnectionArgs): Connection =>
      arrayConnection(
        lineItems.map((line) => lineItemNode(line, currency, source)),
        args,
      ),
    transactions: (args: { first?: number | null }) => {
      const all = transactionNodes(record);
      return typeof args.first === "number" ? all.slice(0, args.first) : all;
    },
  };
}

function lineItemNode(line: Data, currency: string, source: RecordSource): GraphqlObject {
  const quantity = typeof line.quantity === "number" ? line.quantity : 1;
  const priceCents = Math.round(Number(line.price ?? 0) * 100);
  const total = ((priceCents * quantity) / 100).toFixed(2);
  return {
    __typename: "LineItem",
    id: gid("LineItem", Number(line.id)),
    name: str(line.name) ?? "",
    title: str(line.title) ?? "",
    quantity,
    currentQuantity: quantity,
    sku: str(line.sku),
    variantTitle: str(line.variant_title),
    vendor: str(line.vendor),
    requiresShipping: line.requires_shipping !== false,
    taxable: line.taxable !== false,
    originalUnitPriceSet: moneyBag(line.price_set, line.price, currency),
    originalTotalSet: moneyBag(undefined, total, currency),
    discountedTotalSet: moneyBag(undefined, total, currency),
    product: () => {
      const found = typeof line.product_id === "number" ? source.get("products", line.product_id) : undefined;
      return found ? reference("Product", found.id, () => productNode(found)) : null;
    },
    variant: () => {
      const found = typeof line.product_id === "number" ? source.get("products", line.product_id) : undefined;
      if (!found) return null;
      const variants = Array.isArray(found.data.variants) ? (found.data.variants as Data[]) : [];
      const variant = variants.find((v) => v.id === line.variant_id);
      return variant ? reference("ProductVariant", Number(variant.id), () => variantNode(variant, productNode(found), found)) : null;
    },
  };
}

/**
 * A referenced record whose other fields are built only when one past its id is read: most queries
 * ask a line item for `product { id }`, and building the whole product for each line was most of a
 * bulk export's time.
 */
function reference(type: string, id: number, build: () => GraphqlObject): GraphqlObject {
  let full: GraphqlObject | null = null;
  const known: GraphqlObject = { __typename: type, id: gid(type, id), legacyResourceId: String(id) };
  return new Proxy(known, {
    get: (target, key) => (typeof key !== "string" || key in target ? target[key as string] : (full ??= build())[key]),
  });
}

function transactionNodes(order: StoredRecord): GraphqlObject[] {
  const nodes = new Map<number, GraphqlObject>();
  for (const t of orderTransactions(order)) {
    const parentId = typeof t.parent_id === "number" ? t.parent_id : null;
    nodes.set(Number(t.id), {
      __typename: "OrderTransaction",
      id: gid("OrderTransaction", Number(t.id)),
      kind: upper(t.kind) ?? "SALE",
      status: upper(t.status) ?? "SUCCESS",
      gateway: str(t.gateway),
      amountSet: moneyBag(undefined, t.amount, t.currency),
      createdAt: renderedTime(t.created_at),
      processedAt: renderedTime(t.processed_at),
      authorizationCode: str(t.authorization),
      errorCode: str(t.error_code),
      paymentId: str(t.payment_id),
      test: t.test === true,
      parentTransaction: () => (parentId === null ? null : (nodes.get(parentId) ?? null)),
    });
  }
  return [...nodes.values()];
}
