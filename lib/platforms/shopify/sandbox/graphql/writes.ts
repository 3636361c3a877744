// Customer and product writes, as the GraphQL Admin API 2026-10 documents them
// (shopify.dev/docs/api/admin-graphql/2026-10/mutations/customerCreate, customerUpdate, productCreate,
// productUpdate): each answers a payload with the written node and `userErrors` ({ field, message },
// the field a path into the input, e.g. ["email"]), HTTP 200 either way; nothing is written when
// there are user errors. customerCreate/customerUpdate take `input: CustomerInput!` (customerUpdate
// names the customer by input.id); productCreate takes `product: ProductCreateInput!` and makes the
// product with its one default variant ("Default Title", price 0.00); productUpdate takes
// `product: ProductUpdateInput!` with its id. Email and phone are unique among a shop's customers.
// None of these mutations takes an idempotency key. Every write goes through the Dataset, so
// listings, bulk operations, counts, webhooks and the ground truth see it.
import type { Dataset, StoredRecord } from "@/lib/sandbox/dataset";
import { ID_BASE, inventoryItemId, optionId, slug, variantId } from "../catalog";
import { shopifyTime } from "../render";
import { customerNode, parseGid, productNode, type GraphqlObject } from "./nodes";

type UserError = { field: string[] | null; message: string };

export interface CustomerInput {
  id?: string | null;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[] | null;
}

export interface ProductInput {
  id?: string | null;
  title?: string | null;
  descriptionHtml?: string | null;
  vendor?: string | null;
  productType?: string | null;
  status?: "ACTIVE" | "ARCHIVED" | "DRAFT" | null;
  tags?: string[] | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** E.164, as Shopify stores phones: + and 8 to 15 digits. */
const PHONE = /^\+[1-9]\d{7,14}$/;
const blank = (value: string | null | undefined) => value === null || value === undefined || value.trim() === "";

export function customerCreate(dataset: Dataset, input: CustomerInput): { customer: GraphqlObject | null; userErrors: UserError[] } {
  const errors = customerErrors(dataset, input, undefined);
  if (errors.length) return { customer: null, userErrors: errors };
  const record = dataset.create("customers", {
    email: input.email?.trim().toLowerCase() || null,
    first_name: input.firstName ?? null,
    last_name: input.lastName ?? null,
    orders_count: 0,
    state: "disabled",
    total_spent: "0.00",
    last_order_id: null,
    note: input.note ?? null,
    verified_email: false,
    multipass_identifier: null,
    tax_exempt: false,
    tags: (input.tags ?? []).join(", "),
    last_order_name: null,
    currency: "USD",
    phone: input.phone ?? null,
    addresses: [],
    tax_exemptions: [],
    email_marketing_consent: null,
    sms_marketing_consent: null,
    default_address: null,
  });
  return { customer: customerNode(record), userErrors: [] };
}

export function customerUpdate(dataset: Dataset, input: CustomerInput): { customer: GraphqlObject | null; userErrors: UserError[] } {
  const current = named(dataset, "customers", "Customer", input.id);
  if (!current) return { customer: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
  const errors = customerErrors(dataset, input, current);
  if (errors.length) return { customer: null, userErrors: errors };
  const patch: Record<string, unknown> = {};
  if (input.email !== undefined) patch.email = input.email?.trim().toLowerCase() || null;
  if (input.firstName !== undefined) patch.first_name = input.firstName;
  if (input.lastName !== undefined) patch.last_name = input.lastName;
  if (input.phone !== undefined) patch.phone = input.phone;
  if (input.note !== undefined) patch.note = input.note;
  if (input.tags !== undefined) patch.tags = (input.tags ?? []).join(", ");
  return { customer: customerNode(dataset.update("customers", current.id, patch)!), userErrors: [] };
}

function customerErrors(dataset: Dataset, input: CustomerInput, current: StoredRecord | undefined): UserError[] {
  const errors: UserError[] = [];
  const email = input.email === undefined ? (current?.data.email as string | null | undefined) : input.email;
  const phone = input.phone === undefined ? (current?.data.phone as string | null | undefined) : input.phone;
  const first = input.firstName === undefined ? (current?.data.first_name as string | null | undefined) : input.firstName;
  const last = input.lastName === undefined ? (current?.data.last_name as string | null | undefined) : input.lastName;
  if (blank(email) && blank(phone) && blank(first) && blank(last))
    errors.push({ field: null, message: "Customer must have a name, phone number or email address" });
  if (input.email && !EMAIL.test(input.email.trim())) errors.push({ field: ["email"], message: "Email is invalid" });
  else if (input.email && taken(dataset, "email", input.email.trim().toLowerCase(), current))
    errors.push({ field: ["email"], message: "Email has already been taken" });
  if (input.phone && !PHONE.test(input.phone)) errors.push({ field: ["phone"], message: "Phone is invalid" });
  else if (input.phone && taken(dataset, "phone", input.phone, current)) errors.push({ field: ["phone"], message: "Phone has already been taken" });
  return errors;
}

/** Whether another live customer has this email or phone (the shop's customers, page by page). */
function taken(dataset: Dataset, field: "email" | "phone", value: string, current: StoredRecord | undefined): boolean {
  let afterId: number | undefined;
  for (;;) {
    const page = dataset.list("customers", { limit: 1000, afterId });
    if (page.some((record) => record.id !== current?.id && String(record.data[field] ?? "").toLowerCase() === value.toLowerCase())) return true;
    if (page.length < 1000) return false;
    afterId = page[page.length - 1].id;
  }
}

export function productCreate(dataset: Dataset, input: ProductInput): { product: GraphqlObject | null; userErrors: UserError[] } {
  if (blank(input.title)) return { product: null, userErrors: [{ field: ["title"], message: "Title can't be blank" }] };
  if (input.title!.length > 255) return { product: null, userErrors: [{ field: ["title"], message: "Title is too long (maximum is 255 characters)" }] };
  const id = dataset.snapshot().nextIds.products;
  const now = shopifyTime(dataset.now());
  const status = (input.status ?? "ACTIVE").toLowerCase();
  const record = dataset.create("products", {
    title: input.title!.trim(),
    body_html: input.descriptionHtml ?? "",
    vendor: input.vendor ?? "",
    product_type: input.productType ?? "",
    handle: `${slug(input.title!)}-${id - ID_BASE.products}`,
    published_at: status === "active" ? now : null,
    template_suffix: null,
    published_scope: "web",
    tags: (input.tags ?? []).join(", "),
    status,
    variants: [
      {
        id: variantId(id, 1),
        product_id: id,
        title: "Default Title",
        price: "0.00",
        position: 1,
        inventory_policy: "deny",
        compare_at_price: null,
        option1: "Default Title",
        option2: null,
        option3: null,
        created_at: now,
        updated_at: now,
        taxable: true,
        barcode: null,
        fulfillment_service: "manual",
        grams: 0,
        inventory_management: null,
        requires_shipping: true,
        sku: "",
        weight: 0,
        weight_unit: "kg",
        inventory_item_id: inventoryItemId(id, 1),
        inventory_quantity: 0,
        old_inventory_quantity: 0,
        admin_graphql_api_id: `gid://shopify/ProductVariant/${variantId(id, 1)}`,
        image_id: null,
      },
    ],
    options: [{ id: optionId(id), product_id: id, name: "Title", position: 1, values: ["Default Title"] }],
    images: [],
    image: null,
  });
  return { product: productNode(record), userErrors: [] };
}

export function productUpdate(dataset: Dataset, input: ProductInput): { product: GraphqlObject | null; userErrors: UserError[] } {
  const current = named(dataset, "products", "Product", input.id);
  if (!current) return { product: null, userErrors: [{ field: ["id"], message: "Product does not exist" }] };
  if (input.title !== undefined && blank(input.title)) return { product: null, userErrors: [{ field: ["title"], message: "Title can't be blank" }] };
  const patch: Record<string, unknown> = {};
  if (input.title !== undefined) patch.title = input.title!.trim();
  if (input.descriptionHtml !== undefined) patch.body_html = input.descriptionHtml ?? "";
  if (input.vendor !== undefined) patch.vendor = input.vendor ?? "";
  if (input.productType !== undefined) patch.product_type = input.productType ?? "";
  if (input.tags !== undefined) patch.tags = (input.tags ?? []).join(", ");
  if (input.status !== undefined && input.status !== null) {
    patch.status = input.status.toLowerCase();
    if (patch.status === "active" && !current.data.published_at) patch.published_at = shopifyTime(dataset.now());
  }
  return { product: productNode(dataset.update("products", current.id, patch)!), userErrors: [] };
}

function named(dataset: Dataset, object: "customers" | "products", type: string, id: string | null | undefined): StoredRecord | undefined {
  const parsed = id ? parseGid(id) : null;
  if (!parsed || parsed.type !== type) return undefined;
  const record = dataset.get(object, parsed.id);
  return record && record.deletedAt === null ? record : undefined;
}
