// An order's transactions (GET /admin/api/2024-10/orders/{id}/transactions.json). They are not a
// Dataset object: Shopify lists them only per order, so they are derived from the order as it is now
// (its financial status, total, gateway and currency), with ids derived from the order id.
//
// paid                       sale, or authorization + capture (40%)
// partially_refunded/refunded  the same, then a refund of total_price − current_total_price
// authorized                 authorization
// pending                    sale with status "pending" (manual gateways: bank transfer, cash on delivery)
// voided                     authorization + void
// Captured amounts (sale + capture) add up to total_price.
import type { StoredRecord } from "@/lib/sandbox/dataset";
import { Rng } from "@/lib/sandbox/random";
import { ID_BASE } from "./catalog";
import { money } from "./objects";
import { shopifyTime } from "./render";

const TRANSACTION_ID_BASE = 5_900_000_000_000;
const SLOTS = 4;
const HOUR_MS = 3600 * 1000;

type Kind = "sale" | "authorization" | "capture" | "void" | "refund";

export function orderTransactions(order: StoredRecord): Record<string, unknown>[] {
  const data = order.data;
  const totalCents = cents(data.total_price);
  const currentCents = data.current_total_price === undefined ? totalCents : cents(data.current_total_price);
  const currency = typeof data.currency === "string" ? data.currency : "USD";
  const gateways = Array.isArray(data.payment_gateway_names) ? data.payment_gateway_names : [];
  const gateway = typeof gateways[0] === "string" ? gateways[0] : "manual";
  const processedAt = typeof data.processed_at === "string" ? Date.parse(data.processed_at) || order.createdAt : order.createdAt;
  const status = String(data.financial_status ?? "paid");
  const twoStep = new Rng("shopify", "transactions", order.id).chance(0.4);

  const out: Record<string, unknown>[] = [];
  const add = (kind: Kind, amountCents: number, at: number, txStatus = "success", parent: number | null = null): number => {
    const id = TRANSACTION_ID_BASE + (order.id - ID_BASE.orders) * SLOTS + out.length + 1;
    const amount = money(amountCents);
    out.push({
      id,
      order_id: order.id,
      kind,
      gateway,
      status: txStatus,
      message: txStatus === "success" ? "Transaction approved" : "Awaiting payment",
      created_at: shopifyTime(at),
      test: false,
      authorization: kind === "authorization" || kind === "sale" ? `ch_${order.id.toString(36)}${out.length}` : null,
      location_id: null,
      user_id: null,
      parent_id: parent,
      processed_at: shopifyTime(at),
      device_id: null,
      error_code: null,
      source_name: "web",
      receipt: {},
      amount,
      currency,
      payment_id: `c${order.id}.${out.length + 1}`,
      total_unsettled_set: {
        presentment_money: { amount: kind === "authorization" && txStatus === "success" ? amount : "0.0", currency },
        shop_money: { amount: kind === "authorization" && txStatus === "success" ? amount : "0.0", currency },
      },
      manual_payment_gateway: gateway === "manual",
      admin_graphql_api_id: `gid://shopify/OrderTransaction/${id}`,
    });
    return id;
  };

  if (status === "authorized") {
    add("authorization", totalCents, processedAt);
  } else if (status === "pending") {
    add("sale", totalCents, processedAt, "pending");
  } else if (status === "voided") {
    const auth = add("authorization", totalCents, processedAt);
    add("void", totalCents, processedAt + 2 * HOUR_MS, "success", auth);
  } else {
    let captured: number;
    if (twoStep) {
      const auth = add("authorization", totalCents, processedAt);
      captured = add("capture", totalCents, processedAt + HOUR_MS, "success", auth);
    } else {
      captured = add("sale", totalCents, processedAt);
    }
    const refunded = totalCents - currentCents;
    if ((status === "refunded" || status === "partially_refunded") && refunded > 0) add("refund", refunded, processedAt + 72 * HOUR_MS, "success", captured);
  }
  return out;
}

function cents(value: unknown): number {
  const amount = typeof value === "string" || typeof value === "number" ? Number(value) : 0;
  return Number.isFinite(amount) ? Math.round(amount * 100) : 0;
}
