// The commerce category's unified models: what every commerce connector (Shopify's Admin REST API
// today, its GraphQL API next) emits as a record's data. Ids and references are the platform's;
// Tributary adds its own record ids when it serves them (lib/unified/references.ts).
import { z } from "zod";
import { currency, integer, money, oneOf, platformId, reference, strings, text, timestamp } from "./fields";

const variant = z
  .strictObject({
    id: platformId("The variant's id on the platform"),
    title: text.nullable("The variant's name, e.g. a size or colour"),
    sku: text.nullable("The stock keeping unit"),
    price: money.nullable("The variant's price, in the product's currency"),
    inventory_quantity: integer.nullable("Units in stock across locations; null when the platform does not track inventory"),
  })
  .meta({ description: "One purchasable variant of a product" });

export const product = z
  .strictObject({
    id: platformId("The product's id on the platform"),
    title: text("The product's name"),
    vendor: text.nullable("Who makes or supplies it"),
    product_type: text.nullable("The merchant's own category of the product"),
    status: oneOf(["active", "draft", "archived"], "active: on sale; draft: not yet published; archived: no longer sold"),
    tags: strings("The merchant's tags"),
    currency: currency.nullable(
      "The currency of the variants' prices; null when the product listing does not carry it (Shopify lists prices in the store's currency without naming it)",
    ),
    variants: z.array(variant).meta({ description: "The product's variants; a product without options has one" }),
    created_at: timestamp("When the product was created on the platform"),
    updated_at: timestamp("When the product last changed on the platform"),
  })
  .meta({ description: "A product of the store's catalogue, with its variants" });

export const collection = z
  .strictObject({
    id: platformId("The collection's id on the platform"),
    title: text("The collection's name"),
    handle: text.nullable("The collection's URL handle"),
    published_at: timestamp.nullable("When the collection was published on the storefront; null while hidden"),
    created_at: timestamp.nullable("When the collection was created; null where the platform does not say (Shopify's Admin API does not)"),
    updated_at: timestamp("When the collection last changed on the platform"),
  })
  .meta({ description: "A group of products the merchant curates" });

export const customer = z
  .strictObject({
    id: platformId("The customer's id on the platform"),
    email: text.nullable("The customer's email address"),
    first_name: text.nullable("Given name"),
    last_name: text.nullable("Family name"),
    phone: text.nullable("Phone number, E.164 where the platform normalizes it"),
    currency: currency.nullable("The currency of total_spent"),
    orders_count: integer.nullable("Orders the customer has placed"),
    total_spent: money.nullable("What the customer has spent in all orders"),
    created_at: timestamp("When the customer was created on the platform"),
    updated_at: timestamp("When the customer last changed on the platform"),
  })
  .meta({ description: "A person who bought, or may buy, from the store" });

const lineItem = z
  .strictObject({
    id: platformId("The line's id on the platform"),
    product_id: reference.nullable("products", "The product sold; null for custom lines or deleted products"),
    variant_id: platformId.nullable("The variant sold: the id of one of the product's variants"),
    title: text("What the line sold, as the order shows it"),
    sku: text.nullable("The stock keeping unit sold"),
    quantity: integer("Units sold"),
    price: money("The price of one unit, in the order's currency"),
  })
  .meta({ description: "One line of an order" });

export const order = z
  .strictObject({
    id: platformId("The order's id on the platform"),
    order_number: text.nullable("The order's number as the merchant and customer see it, e.g. #1001"),
    customer_id: reference.nullable("customers", "Who placed the order; null for a guest checkout"),
    email: text.nullable("The email the order's receipts go to"),
    currency: currency("The currency of the order's amounts"),
    subtotal_price: money("The lines' total after discounts, before shipping and taxes"),
    total_discounts: money("The discounts applied"),
    total_tax: money("The taxes charged"),
    total_price: money("What the customer was charged in total"),
    payment_status: text.nullable("Where the payment stands: pending, authorized, partially_paid, paid, partially_refunded, refunded or voided"),
    fulfillment_status: text.nullable("Where the shipping stands: null (nothing shipped), partial or fulfilled"),
    line_items: z.array(lineItem).meta({ description: "What was ordered" }),
    cancelled_at: timestamp.nullable("When the order was cancelled; null if it was not"),
    closed_at: timestamp.nullable("When the order was closed (archived); null while open"),
    created_at: timestamp("When the order was placed"),
    updated_at: timestamp("When the order last changed on the platform"),
  })
  .meta({ description: "A customer's order, with its lines" });

export const transaction = z
  .strictObject({
    id: platformId("The transaction's id on the platform"),
    order_id: reference("orders", "The order the money moved for"),
    kind: text("What the transaction did: authorization, capture, sale, void or refund"),
    status: text.nullable("Its outcome: pending, success, failure or error"),
    gateway: text.nullable("The payment gateway that processed it"),
    amount: money("The amount that moved"),
    currency: currency("The currency of amount"),
    processed_at: timestamp.nullable("When the payment provider processed it"),
    created_at: timestamp("When the transaction was created on the platform"),
  })
  .meta({ description: "Money moving for an order: an authorization, capture, sale, void or refund" });

export const COMMERCE = { products: product, collections: collection, customers: customer, orders: order, transactions: transaction };

// What a write sends: the fields a team sets, in the read model's names (Shopify's own input names are
// its connector's business).
const optionalText = (max: number, description: string) => z.string().trim().max(max).nullable().optional().meta({ description });
const customerFields = {
  email: z
    .string()
    .trim()
    .max(255)
    .email("must be an email address")
    .nullable()
    .optional()
    .meta({ description: "The customer's email address, unique in the store" }),
  first_name: optionalText(255, "Given name"),
  last_name: optionalText(255, "Family name"),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{7,14}$/, "must be an E.164 phone number such as +64215550101")
    .nullable()
    .optional()
    .meta({ description: "Phone number in E.164 form, unique in the store" }),
};
const named = (customer: { email?: string | null; first_name?: string | null; last_name?: string | null; phone?: string | null }) =>
  [customer.email, customer.first_name, customer.last_name, customer.phone].some((value) => value !== undefined && value !== null && value !== "");

export const customerCreate = z
  .strictObject(customerFields)
  .refine(named, { message: "a customer needs an email, a phone number or a name", path: ["email"] })
  .meta({ description: "A customer to create" });

export const customerUpdate = z
  .strictObject(customerFields)
  .refine((update) => Object.keys(update).length > 0, { message: "must change at least one field" })
  .meta({ description: "What changes on a customer; fields left out stay as they are" });

const productStatus = z.enum(["active", "draft", "archived"], { message: "must be one of active, draft, archived" });
const productFields = {
  vendor: optionalText(255, "Who makes or supplies it"),
  product_type: optionalText(255, "The merchant's own category of the product"),
  status: productStatus.optional().meta({ description: "active (the default: on sale), draft or archived" }),
  tags: z.array(z.string().trim().min(1).max(255)).max(250).optional().meta({ description: "The merchant's tags (replaced as a whole)" }),
};

export const productCreate = z
  .strictObject({ title: z.string().trim().min(1, "must not be empty").max(255).meta({ description: "The product's name" }), ...productFields })
  .meta({ description: "A product to create, with one default variant the platform makes" });

export const productUpdate = z
  .strictObject({ title: z.string().trim().min(1, "must not be empty").max(255).optional().meta({ description: "The product's name" }), ...productFields })
  .refine((update) => Object.keys(update).length > 0, { message: "must change at least one field" })
  .meta({ description: "What changes on a product; fields left out stay as they are" });

/** The commerce objects a team writes through the unified API, and their create and update shapes. */
export const COMMERCE_WRITES = {
  customers: { create: customerCreate, update: customerUpdate, references: {} },
  products: { create: productCreate, update: productUpdate, references: {} },
};
