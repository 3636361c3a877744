// The commerce sandbox's objects, shaped like Shopify Admin REST API 2024-10 resources
// (https://shopify.dev/docs/api/admin-rest/2024-10/resources/{product,customcollection,customer,order}).
// `build` returns the resource's own fields; `id`, `created_at`, `updated_at` and
// `admin_graphql_api_id` are added when rendering (render.ts), so records changed through the control
// API render the same way. Other timestamps derive from the creation time and are stored already
// rendered: rendering nested data at serve time cost as much as building it (~0.5 ms an order).
import type { BuildInput, ObjectDefinition } from "@/lib/sandbox/dataset";
import type { Rng } from "@/lib/sandbox/random";
import { addressId, catalogProduct, collectionTitle, customerIdentity, ID_BASE, optionId, slug, type CustomerIdentity } from "./catalog";
import { shopifyTime } from "./render";

const HOUR_MS = 3600 * 1000;

const PRODUCT_TAGS = ["new", "bestseller", "eco", "gift", "sale", "limited", "bundle", "staff-pick"];
const CUSTOMER_TAGS = ["vip", "wholesale", "newsletter", "returning", "instagram", "referral"];
const ORDER_TAGS = ["gift-wrap", "priority", "wholesale", "subscription", "influencer"];
const DISCOUNTS = [
  { code: "WELCOME10", percent: 10 },
  { code: "SPRING15", percent: 15 },
  { code: "VIP20", percent: 20 },
];

/** Shopify money: a decimal string with two places. Integer formatting: toFixed was 1 µs a call. */
export function money(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  const fraction = abs % 100;
  return `${sign}${(abs - fraction) / 100}.${fraction < 10 ? "0" : ""}${fraction}`;
}

function moneySet(cents: number, currency: string) {
  const amount = { amount: money(cents), currency_code: currency };
  return { shop_money: amount, presentment_money: amount };
}

function tags(rng: Rng, vocabulary: readonly string[], max: number): string {
  const picked = new Set<string>();
  const count = rng.int(0, max);
  for (let i = 0; i < count; i++) picked.add(rng.pick(vocabulary));
  // Shopify returns tags as one comma-separated string, sorted.
  return [...picked].sort().join(", ");
}

function token(rng: Rng): string {
  let out = "";
  for (let i = 0; i < 4; i++) out += ((rng.next() * 0x1_0000_0000) >>> 0).toString(16).padStart(8, "0");
  return out;
}

function buildProduct({ id, createdAt, rng }: BuildInput): Record<string, unknown> {
  const product = catalogProduct(id);
  const created = shopifyTime(createdAt);
  const status = rng.chance(0.85) ? "active" : rng.chance(0.5) ? "draft" : "archived";
  const compareAt = rng.chance(0.2);
  return {
    title: product.title,
    body_html: `<p>The ${product.title.toLowerCase()} from ${product.vendor}, made to last.</p>`,
    vendor: product.vendor,
    product_type: product.productType,
    handle: `${slug(product.title)}-${id - ID_BASE.products}`,
    published_at: status === "active" ? created : null,
    template_suffix: null,
    published_scope: "web",
    tags: tags(rng, PRODUCT_TAGS, 3),
    status,
    variants: product.variants.map((variant) => {
      const stock = rng.chance(0.1) ? 0 : rng.int(1, 250);
      return {
        id: variant.id,
        product_id: id,
        title: variant.title,
        price: money(variant.priceCents),
        position: variant.position,
        inventory_policy: "deny",
        compare_at_price: compareAt ? money(Math.round((variant.priceCents * 1.25) / 100) * 100) : null,
        option1: variant.option1,
        option2: null,
        option3: null,
        created_at: created,
        updated_at: created,
        taxable: true,
        barcode: null,
        fulfillment_service: "manual",
        grams: variant.grams,
        inventory_management: "shopify",
        requires_shipping: true,
        sku: variant.sku,
        weight: Number((variant.grams / 1000).toFixed(3)),
        weight_unit: "kg",
        inventory_item_id: variant.inventoryItemId,
        inventory_quantity: stock,
        old_inventory_quantity: stock,
        admin_graphql_api_id: `gid://shopify/ProductVariant/${variant.id}`,
        image_id: null,
      };
    }),
    options: [{ id: optionId(id), product_id: id, name: product.optionName, position: 1, values: product.optionValues }],
    images: [],
    image: null,
  };
}

function buildCustomCollection({ index, createdAt, rng }: BuildInput): Record<string, unknown> {
  const title = collectionTitle(rng);
  return {
    handle: `${slug(title)}-${index + 1}`,
    title,
    body_html: `<p>${title}, picked by our team.</p>`,
    published_at: rng.chance(0.9) ? shopifyTime(createdAt) : null,
    sort_order: rng.pick(["manual", "best-selling", "alpha-asc", "created-desc", "price-asc"]),
    template_suffix: null,
    published_scope: "web",
  };
}

/**
 * A customer's address (with its id), or an order's billing/shipping address (without). Written as two
 * literals: spreading optional parts made this the hottest function of an order build (18 µs a call).
 */
function address(customerId: number | null, who: CustomerIdentity, isDefault: boolean): Record<string, unknown> {
  const { place } = who;
  const name = `${who.firstName} ${who.lastName}`;
  if (customerId === null) {
    return {
      first_name: who.firstName,
      last_name: who.lastName,
      company: null,
      address1: who.address1,
      address2: null,
      city: place.city,
      province: place.province,
      country: place.country,
      zip: place.zip,
      phone: who.phone,
      name,
      province_code: place.province_code,
      country_code: place.country_code,
      country_name: place.country,
    };
  }
  return {
    id: addressId(customerId),
    customer_id: customerId,
    first_name: who.firstName,
    last_name: who.lastName,
    company: null,
    address1: who.address1,
    address2: null,
    city: place.city,
    province: place.province,
    country: place.country,
    zip: place.zip,
    phone: who.phone,
    name,
    province_code: place.province_code,
    country_code: place.country_code,
    country_name: place.country,
    default: isDefault,
  };
}

function buildCustomer({ id, createdAt, rng }: BuildInput): Record<string, unknown> {
  const who = customerIdentity(id);
  const ordersCount = rng.chance(0.25) ? 0 : rng.int(1, 12);
  const subscribed = rng.chance(0.45);
  const home = address(id, who, true);
  return {
    email: who.email,
    first_name: who.firstName,
    last_name: who.lastName,
    orders_count: ordersCount,
    state: rng.chance(0.7) ? "enabled" : rng.chance(0.85) ? "disabled" : "invited",
    total_spent: money(ordersCount * rng.int(2500, 16_000)),
    last_order_id: null,
    note: rng.chance(0.1) ? "Prefers eco packaging" : null,
    verified_email: rng.chance(0.9),
    multipass_identifier: null,
    tax_exempt: false,
    tags: tags(rng, CUSTOMER_TAGS, 2),
    last_order_name: null,
    currency: who.place.currency,
    phone: who.phone,
    addresses: [home],
    tax_exemptions: [],
    email_marketing_consent: {
      state: subscribed ? "subscribed" : "not_subscribed",
      opt_in_level: subscribed ? "single_opt_in" : null,
      consent_updated_at: subscribed ? shopifyTime(createdAt) : null,
    },
    sms_marketing_consent: null,
    default_address: home,
  };
}

type FinancialStatus = "paid" | "pending" | "authorized" | "partially_refunded" | "refunded" | "voided";

function financialStatus(rng: Rng): FinancialStatus {
  const r = rng.next();
  if (r < 0.82) return "paid";
  if (r < 0.87) return "pending";
  if (r < 0.91) return "authorized";
  if (r < 0.95) return "partially_refunded";
  if (r < 0.98) return "refunded";
  return "voided";
}

function buildOrder({ id, createdAt, rng, ref }: BuildInput): Record<string, unknown> {
  const customerId = rng.chance(0.93) ? ref("customers") : null; // the rest are guest checkouts
  const who = customerIdentity(customerId ?? id);
  const currency = who.place.currency;
  const lineCount = rng.int(1, 5);
  const lineItems: Record<string, unknown>[] = [];
  let itemsCents = 0;
  let grams = 0;
  const status = financialStatus(rng);
  const fulfillment =
    status === "paid"
      ? rng.chance(0.85)
        ? "fulfilled"
        : rng.chance(0.4)
          ? "partial"
          : null
      : status === "voided" || status === "pending" || status === "authorized"
        ? null
        : "fulfilled";
  for (let i = 0; i < lineCount; i++) {
    const productId = ref("products");
    const product = catalogProduct(productId);
    const variant = rng.pick(product.variants);
    const quantity = rng.chance(0.7) ? 1 : rng.chance(0.7) ? 2 : rng.int(3, 4);
    const lineId = lineItemId(id, i + 1);
    itemsCents += variant.priceCents * quantity;
    grams += variant.grams * quantity;
    const lineFulfilled = fulfillment === "fulfilled" || (fulfillment === "partial" && i === 0);
    lineItems.push({
      id: lineId,
      admin_graphql_api_id: `gid://shopify/LineItem/${lineId}`,
      fulfillable_quantity: lineFulfilled || status === "voided" ? 0 : quantity,
      fulfillment_service: "manual",
      fulfillment_status: lineFulfilled ? "fulfilled" : null,
      gift_card: false,
      grams: variant.grams,
      name: product.variants.length === 1 ? product.title : `${product.title} - ${variant.title}`,
      price: money(variant.priceCents),
      price_set: moneySet(variant.priceCents, currency),
      product_exists: true,
      product_id: productId,
      properties: [],
      quantity,
      requires_shipping: true,
      sku: variant.sku,
      taxable: true,
      title: product.title,
      total_discount: "0.00",
      total_discount_set: moneySet(0, currency),
      variant_id: variant.id,
      variant_inventory_management: "shopify",
      variant_title: product.variants.length === 1 ? null : variant.title,
      vendor: product.vendor,
      tax_lines: [],
      discount_allocations: [],
    });
  }
  const discount = rng.chance(0.15) ? rng.pick(DISCOUNTS) : null;
  const discountCents = discount ? Math.round((itemsCents * discount.percent) / 100) : 0;
  const subtotalCents = itemsCents - discountCents;
  const shippingCents = subtotalCents >= 7500 ? 0 : 795;
  const taxCents = Math.round(subtotalCents * who.place.tax.rate);
  const totalCents = subtotalCents + shippingCents + taxCents;
  const refundedCents =
    status === "refunded" ? totalCents : status === "partially_refunded" ? Math.min(totalCents, Math.round(Number(lineItems[0].price) * 100)) : 0;
  const currentCents = totalCents - refundedCents;
  const cancelled = status === "voided" || (status === "refunded" && rng.chance(0.5));
  const cancelledAt = cancelled ? createdAt + rng.int(1, 48) * HOUR_MS : null;
  const closedAt = cancelledAt ?? (fulfillment === "fulfilled" && status !== "pending" && rng.chance(0.9) ? createdAt + rng.int(1, 5 * 24) * HOUR_MS : null);
  const number = orderNumber(id);
  const gateway = rng.chance(0.8) ? "shopify_payments" : rng.pick(["paypal", "manual", "gift_card"]);
  const shipTo = address(null, who, false);
  return {
    app_id: 580_111,
    browser_ip: `203.0.113.${rng.int(1, 254)}`,
    buyer_accepts_marketing: rng.chance(0.4),
    cancel_reason: cancelled ? rng.pick(["customer", "inventory", "fraud", "declined"]) : null,
    cancelled_at: cancelledAt === null ? null : shopifyTime(cancelledAt),
    checkout_token: token(rng),
    closed_at: closedAt === null ? null : shopifyTime(closedAt),
    confirmation_number: token(rng).slice(0, 9).toUpperCase(),
    confirmed: true,
    contact_email: who.email,
    currency,
    current_subtotal_price: money(Math.max(0, subtotalCents - refundedCents)),
    current_total_discounts: money(discountCents),
    current_total_price: money(currentCents),
    current_total_tax: money(refundedCents === totalCents ? 0 : taxCents),
    customer_locale: who.place.country_code === "FR" ? "fr" : who.place.country_code === "DE" ? "de" : "en",
    discount_codes: discount ? [{ code: discount.code, amount: money(discountCents), type: "percentage" }] : [],
    email: who.email,
    estimated_taxes: false,
    financial_status: status,
    fulfillment_status: fulfillment,
    landing_site: "/",
    name: `#${number}`,
    note: rng.chance(0.05) ? "Please leave at the back door." : null,
    note_attributes: [],
    number: number - 1000,
    order_number: number,
    payment_gateway_names: [gateway],
    phone: who.phone,
    presentment_currency: currency,
    processed_at: shopifyTime(createdAt),
    source_name: rng.chance(0.85) ? "web" : "pos",
    subtotal_price: money(subtotalCents),
    subtotal_price_set: moneySet(subtotalCents, currency),
    tags: tags(rng, ORDER_TAGS, 1),
    tax_lines: taxCents > 0 ? [{ price: money(taxCents), rate: who.place.tax.rate, title: who.place.tax.title, price_set: moneySet(taxCents, currency) }] : [],
    taxes_included: false,
    test: false,
    token: token(rng),
    total_discounts: money(discountCents),
    total_discounts_set: moneySet(discountCents, currency),
    total_line_items_price: money(itemsCents),
    total_line_items_price_set: moneySet(itemsCents, currency),
    total_outstanding: status === "pending" || status === "authorized" ? money(totalCents) : "0.00",
    total_price: money(totalCents),
    total_price_set: moneySet(totalCents, currency),
    total_shipping_price_set: moneySet(shippingCents, currency),
    total_tax: money(taxCents),
    total_tax_set: moneySet(taxCents, currency),
    total_weight: grams,
    billing_address: shipTo,
    customer: customerId === null ? null : customerBlock(customerId, who),
    line_items: lineItems,
    shipping_address: shipTo,
    shipping_lines: [
      {
        code: shippingCents === 0 ? "Free Shipping" : "Standard",
        price: money(shippingCents),
        price_set: moneySet(shippingCents, currency),
        source: "shopify",
        title: shippingCents === 0 ? "Free Shipping" : "Standard Shipping",
      },
    ],
    refunds: [],
  };
}

/** The customer block an order embeds (Shopify repeats the customer's main fields). */
function customerBlock(customerId: number, who: CustomerIdentity): Record<string, unknown> {
  return {
    id: customerId,
    email: who.email,
    first_name: who.firstName,
    last_name: who.lastName,
    phone: who.phone,
    currency: who.place.currency,
    admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
    default_address: address(customerId, who, true),
  };
}

const LINE_ITEM_ID_BASE = 13_000_000_000_000;
const LINE_ITEM_SLOTS = 8;

export function lineItemId(orderId: number, position: number): number {
  return LINE_ITEM_ID_BASE + (orderId - ID_BASE.orders) * LINE_ITEM_SLOTS + position;
}

/** Order numbers start at 1001 (the name "#1001"), in creation order. */
export function orderNumber(orderId: number): number {
  return 1000 + (orderId - ID_BASE.orders);
}

/** Weights make orders dominate, as in real stores: 10% products, 1% collections, 25% customers. */
export const SHOPIFY_OBJECTS: ObjectDefinition[] = [
  { name: "products", weight: 10, idBase: ID_BASE.products, build: buildProduct },
  { name: "custom_collections", weight: 1, idBase: ID_BASE.custom_collections, build: buildCustomCollection },
  { name: "customers", weight: 25, idBase: ID_BASE.customers, build: buildCustomer },
  { name: "orders", weight: 64, idBase: ID_BASE.orders, build: buildOrder },
];
