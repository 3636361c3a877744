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
//
// Custom IDs (shopify.dev › Apps › Custom data › Working with custom IDs; 2025-04 and later): a
// metafield definition of type `id` (metafieldDefinitionCreate, ownerType PRODUCT) makes that
// metafield's values unique among the shop's products, so productCreate refuses a value another
// product holds, and productByIdentifier(identifier: { customId }) finds the product holding one.
// Without such a definition a custom-id lookup is an error, as Shopify answers it.
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

export interface MetafieldInput {
  namespace?: string | null;
  key?: string | null;
  value?: string | null;
  type?: string | null;
}

export interface ProductInput {
  id?: string | null;
  metafields?: MetafieldInput[] | null;
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
  const metafields: StoredMetafield[] = [];
  for (const [index, metafield] of (input.metafields ?? []).entries()) {
    const at = (field: string) => ["metafields", String(index), field];
    const namespace = metafield.namespace?.trim() || "$app";
    if (blank(metafield.key)) return { product: null, userErrors: [{ field: at("key"), message: "Key can't be blank" }] };
    if (metafield.value === null || metafield.value === undefined)
      return { product: null, userErrors: [{ field: at("value"), message: "Value can't be blank" }] };
    const definition = definitionsOf(dataset).get(definitionKey(namespace, metafield.key!));
    const type = metafield.type ?? definition?.type;
    if (!type) return { product: null, userErrors: [{ field: at("type"), message: "Type can't be blank" }] };
    if (definition && definition.type !== type) {
      return { product: null, userErrors: [{ field: at("type"), message: `Type must be the definition's type, ${definition.type}` }] };
    }
    if (definition?.type === "id" && findByMetafield(dataset, namespace, metafield.key!, metafield.value)) {
      return { product: null, userErrors: [{ field: at("value"), message: "Value is already assigned to another product: custom IDs are unique" }] };
    }
    metafields.push({ namespace, key: metafield.key!, type, value: metafield.value });
  }
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
    ...(metafields.length ? { metafields } : {}),
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

interface StoredMetafield {
  namespace: string;
  key: string;
  type: string;
  value: string;
}

interface Definition {
  id: number;
  name: string;
  namespace: string;
  key: string;
  type: string;
}

/** The types the emulator's definitions take: `id` (custom IDs) and plain text. */
const DEFINITION_TYPES = ["id", "single_line_text_field"];
const definitions = new WeakMap<Dataset, Map<string, Definition>>();
const definitionKey = (namespace: string, key: string) => `${namespace}\u0000${key}`;

function definitionsOf(dataset: Dataset): Map<string, Definition> {
  let found = definitions.get(dataset);
  if (!found) definitions.set(dataset, (found = new Map()));
  return found;
}

export interface DefinitionInput {
  name: string;
  namespace?: string | null;
  key: string;
  type: string;
  ownerType: "PRODUCT";
}

type DefinitionError = { field: string[]; message: string; code: "TAKEN" | "INVALID" | "INCLUSION" | "PRESENT" | "BLANK" };

/** metafieldDefinitionCreate: one definition per owner type, namespace and key (TAKEN otherwise). */
export function metafieldDefinitionCreate(
  dataset: Dataset,
  input: DefinitionInput,
): { createdDefinition: GraphqlObject | null; userErrors: DefinitionError[] } {
  const namespace = input.namespace?.trim() || "$app";
  const fail = (field: string, message: string, code: DefinitionError["code"]) => ({
    createdDefinition: null,
    userErrors: [{ field: ["definition", field], message, code }],
  });
  if (blank(input.key)) return fail("key", "Key can't be blank", "BLANK");
  if (!/^[A-Za-z0-9_-]{2,64}$/.test(input.key)) return fail("key", "Key is invalid: 2 to 64 letters, digits, - and _", "INVALID");
  if (!DEFINITION_TYPES.includes(input.type)) return fail("type", `Type ${input.type} is not one of ${DEFINITION_TYPES.join(", ")}`, "INCLUSION");
  const all = definitionsOf(dataset);
  if (all.has(definitionKey(namespace, input.key))) {
    return fail("key", `Key is in use for Product metafields on the '${namespace}' namespace.`, "TAKEN");
  }
  const definition = { id: all.size + 1, name: input.name, namespace, key: input.key, type: input.type };
  all.set(definitionKey(namespace, input.key), definition);
  return {
    createdDefinition: {
      __typename: "MetafieldDefinition",
      id: `gid://shopify/MetafieldDefinition/${definition.id}`,
      name: definition.name,
      namespace,
      key: definition.key,
      ownerType: "PRODUCT",
      type: { name: definition.type },
    },
    userErrors: [],
  };
}

/** The live product holding a metafield's value. The emulator keeps no index: it scans, fine at the sizes writes are tested at. */
function findByMetafield(dataset: Dataset, namespace: string, key: string, value: string): StoredRecord | undefined {
  let afterId: number | undefined;
  for (;;) {
    const page = dataset.list("products", { limit: 1000, afterId });
    const found = page.find((record) =>
      ((record.data.metafields as StoredMetafield[] | undefined) ?? []).some((m) => m.namespace === namespace && m.key === key && m.value === value),
    );
    if (found) return found;
    if (page.length < 1000) return undefined;
    afterId = page[page.length - 1].id;
  }
}

export interface ProductIdentifier {
  id?: string | null;
  handle?: string | null;
  customId?: { namespace?: string | null; key: string; value: string } | null;
}

/** productByIdentifier: by id, handle or custom ID (which needs an `id` definition); null when none matches. */
export function productByIdentifier(dataset: Dataset, identifier: ProductIdentifier): GraphqlObject | null {
  if (identifier.id) {
    const record = named(dataset, "products", "Product", identifier.id);
    return record ? productNode(record) : null;
  }
  if (identifier.customId) {
    const namespace = identifier.customId.namespace?.trim() || "$app";
    if (definitionsOf(dataset).get(definitionKey(namespace, identifier.customId.key))?.type !== "id") {
      throw new Error(`Metafield definition of type 'id' is required when using custom ids (${namespace}.${identifier.customId.key}).`);
    }
    const record = findByMetafield(dataset, namespace, identifier.customId.key, identifier.customId.value);
    return record ? productNode(record) : null;
  }
  if (identifier.handle) {
    let afterId: number | undefined;
    for (;;) {
      const page = dataset.list("products", { limit: 1000, afterId });
      const found = page.find((record) => record.data.handle === identifier.handle);
      if (found) return productNode(found);
      if (page.length < 1000) return null;
      afterId = page[page.length - 1].id;
    }
  }
  throw new Error("An identifier must name an id, a handle or a customId.");
}
