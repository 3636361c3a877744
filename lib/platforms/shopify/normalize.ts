// Shopify's GraphQL nodes in Tributary's commerce model (lib/unified/commerce.ts). Ids are the
// numeric ids inside Shopify's gids, the ids stored records and references have always used; the
// node itself, as Shopify sent it, is the record's platform payload.
import { decimalString, stringOrNull, utcTimestamp } from "@/lib/unified/convert";
import { ConnectorError, type UnifiedRecord } from "../types";
import { legacyId } from "./admin-graphql";

export type Json = Record<string, unknown>;

const nodes = (connection: unknown): Json[] => (connection as { nodes?: Json[] } | null | undefined)?.nodes ?? [];
const lower = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : null);
/** A MoneyBag's amount and currency in the shop's money. */
const shopMoney = (bag: unknown) => (bag as { shopMoney?: { amount?: unknown; currencyCode?: unknown } } | null | undefined)?.shopMoney ?? null;
const idOf = (node: Json) => legacyId(node.id) ?? String(node.id);
const refId = (value: unknown) => legacyId((value as Json | null | undefined)?.id);
const count = (value: unknown) => (typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : null);

/** GraphQL's fulfillment display status in the contract's words: null (nothing shipped), partial or fulfilled. */
const FULFILLMENT: Record<string, string> = { FULFILLED: "fulfilled", PARTIALLY_FULFILLED: "partial" };

export function normalize(object: string, node: Json, extra: { orderId?: string } = {}): UnifiedRecord {
  const time = node.updatedAt ?? node.processedAt ?? node.createdAt;
  return { externalId: idOf(node), updatedAt: typeof time === "string" ? new Date(time) : null, data: unified(object, node, extra), platformData: node };
}

function unified(object: string, node: Json, extra: { orderId?: string }): Json {
  switch (object) {
    case "products":
      return {
        id: idOf(node),
        title: node.title,
        vendor: stringOrNull(node.vendor),
        product_type: stringOrNull(node.productType),
        status: lower(node.status),
        tags: Array.isArray(node.tags) ? node.tags : [],
        // Prices are in the shop's currency, which the product does not name.
        currency: null,
        variants: nodes(node.variants).map((v) => ({
          id: idOf(v),
          title: stringOrNull(v.title),
          sku: stringOrNull(v.sku),
          price: decimalString(v.price),
          inventory_quantity: typeof v.inventoryQuantity === "number" ? v.inventoryQuantity : null,
        })),
        created_at: utcTimestamp(node.createdAt),
        updated_at: utcTimestamp(node.updatedAt),
      };
    case "collections":
      return {
        id: idOf(node),
        title: node.title,
        handle: stringOrNull(node.handle),
        // The Admin API's Collection says neither when it was published nor when it was created.
        published_at: null,
        created_at: null,
        updated_at: utcTimestamp(node.updatedAt),
      };
    case "customers": {
      const spent = node.amountSpent as { amount?: unknown; currencyCode?: unknown } | null | undefined;
      const currency = stringOrNull(spent?.currencyCode);
      return {
        id: idOf(node),
        email: stringOrNull(node.email),
        first_name: stringOrNull(node.firstName),
        last_name: stringOrNull(node.lastName),
        phone: stringOrNull(node.phone),
        currency,
        orders_count: count(node.numberOfOrders),
        total_spent: decimalString(spent?.amount, currency),
        created_at: utcTimestamp(node.createdAt),
        updated_at: utcTimestamp(node.updatedAt),
      };
    }
    case "orders": {
      const currency = stringOrNull(node.currencyCode);
      const money = (bag: unknown) => decimalString(shopMoney(bag)?.amount, currency);
      return {
        id: idOf(node),
        order_number: stringOrNull(node.name),
        customer_id: refId(node.customer),
        email: stringOrNull(node.email),
        currency,
        subtotal_price: money(node.subtotalPriceSet),
        total_discounts: money(node.totalDiscountsSet),
        total_tax: money(node.totalTaxSet),
        total_price: money(node.totalPriceSet),
        payment_status: lower(node.displayFinancialStatus),
        fulfillment_status: FULFILLMENT[String(node.displayFulfillmentStatus)] ?? null,
        line_items: nodes(node.lineItems).map((line) => ({
          id: idOf(line),
          product_id: refId(line.product),
          variant_id: refId(line.variant),
          title: line.title,
          sku: stringOrNull(line.sku),
          quantity: line.quantity,
          price: decimalString(shopMoney(line.originalUnitPriceSet)?.amount, currency),
        })),
        cancelled_at: utcTimestamp(node.cancelledAt),
        closed_at: utcTimestamp(node.closedAt),
        created_at: utcTimestamp(node.createdAt),
        updated_at: utcTimestamp(node.updatedAt),
      };
    }
    case "transactions": {
      const amount = shopMoney(node.amountSet);
      const currency = stringOrNull(amount?.currencyCode);
      return {
        id: idOf(node),
        order_id: extra.orderId ?? null,
        kind: lower(node.kind),
        status: lower(node.status),
        gateway: stringOrNull(node.gateway),
        amount: decimalString(amount?.amount, currency),
        currency,
        processed_at: utcTimestamp(node.processedAt),
        created_at: utcTimestamp(node.createdAt),
      };
    }
    default:
      throw new ConnectorError("permanent", `Shopify has no object "${object}"`);
  }
}
