// The Shopify connector: the GraphQL Admin API 2026-10 (admin-graphql.ts; the sandbox's emulator speaks
// the same, so this reads a real store when pointed at https://{shop}.myshopify.com).
// Objects: products (with their variants), collections, customers, orders (with their line items), and
// transactions, which Shopify lists only inline on their orders: the transactions object reads orders
// and emits theirs. Time windows and incremental syncs are `query:` search terms on created_at and
// updated_at.
//
// Two ways to list:
// - Paginated queries, each page one query paid for in query-cost points (queries.ts): incremental
//   syncs, force_fetch reads (interactive), and any listing that fits in one page.
// - Bulk operations (bulk.ts): a listing without updatedSince (an initial or historical batch, a full
//   re-sync) whose first page says there is more starts one operation for the object and window, and
//   streams its JSONL file into the engine page by page. A bulk operation costs 10 points to start
//   and 2 a poll, whatever the store's size, where paging a million orders costs tens of millions.
//
// Deletions: incremental syncs of products and collections end with Shopify's deletionEvents since
// the same time; customers and orders are reported deleted only by webhook, so full re-syncs detect those.
//
// Counts (a run's progress): productsCount, collectionsCount, customersCount and ordersCount with the
// listing's search terms (queries.ts); transactions have no count.
import {
  declaredFilters,
  fromDefinition,
  ConnectorError,
  type Connector,
  type ConnectorContext,
  type ListPage,
  type ListRequest,
  type UnifiedRecord,
  type WriteRequest,
} from "../types";
import { hmacMatches } from "../http";
import { adminQuery, authHeaders, legacyId, reportedCost } from "./admin-graphql";
import { BULK_PAGE_RECORDS, readBulkPage, startBulk, type BulkCursor } from "./bulk";
import { shopifyDefinition } from "./definition";
import { normalize, type Json } from "./normalize";
import { COUNT_QUERIES, DELETIONS_QUERY, NESTED_QUERIES, PAGE_QUERIES, WRITE_KEY, WRITE_MUTATIONS, type PagedQuery } from "./queries";

export { SHOPIFY_API_VERSION } from "./admin-graphql";

type PagedObject = keyof typeof PAGE_QUERIES;

/** Webhook topic resource → unified object. */
const WEBHOOK_RESOURCES: Record<string, string> = { products: "products", collections: "collections", customers: "customers", orders: "orders" };

/** Objects whose deletions Shopify lists (deletionEvents' subject types). */
const DELETION_SUBJECTS: Partial<Record<PagedObject, string>> = { products: "PRODUCT", collections: "COLLECTION" };

interface Connection {
  nodes: Json[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Where a listing stands, as the engine's checkpoint keeps it: the records' connection cursor (with
 * `paged` once bulk operations were given up on for this listing), then, for incremental syncs of
 * products and collections, the deletion events' one; or a bulk operation and the offset in its file.
 */
type Cursor = { phase: "records"; after: string | null; paged?: true } | { phase: "deletions"; after: string | null } | BulkCursor;

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
  // Any version of the Admin API (/admin/api/2026-10/graphql.json, /admin/api/2026-10/products.json); not OAuth's /admin/oauth.
  proxy: { path: "/admin/api", headers: authHeaders, reportedCost },
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
    if (!(request.object in PAGE_QUERIES)) throw new ConnectorError("permanent", `Shopify has no object "${request.object}"`);
    const object = request.object as PagedObject;
    const cursor = readCursor(request.cursor);
    if (cursor.phase === "bulk") return listBulk(context, object, request, cursor);
    return cursor.phase === "deletions" ? listDeletions(context, object, request, cursor.after) : listRecords(context, object, request, cursor);
  },
  writes: { customers: ["create", "update"], products: ["create", "update"] },
  write,
  // Shopify's own count with the listing's search terms (a window's created_at ones), uncapped; a
  // count Shopify still reports AT_LEAST is a lower bound, good enough for progress.
  async count(context, request) {
    const spec = Object.hasOwn(COUNT_QUERIES, request.object) ? COUNT_QUERIES[request.object as PagedObject] : undefined;
    if (!spec) return null;
    const data = await adminQuery<Record<string, { count?: unknown } | null>>(
      context,
      spec.query,
      { query: searchQuery(request.object as PagedObject, request) },
      spec.cost,
    );
    const count = data[spec.root]?.count;
    return typeof count === "number" ? count : null;
  },
};

async function listRecords(
  context: ConnectorContext,
  object: PagedObject,
  request: ListRequest,
  cursor: { after: string | null; paged?: true },
): Promise<ListPage> {
  const spec = PAGE_QUERIES[object];
  const first = pageSize(spec, request);
  const root = object === "transactions" ? "orders" : object;
  const data = await adminQuery<Record<string, Connection>>(
    context,
    spec.query,
    { first, after: cursor.after, query: searchQuery(object, request) },
    spec.cost(first),
  );
  const page = data[root];
  if (!page || !Array.isArray(page.nodes)) throw new ConnectorError("transient", `Shopify's answer had no ${root} connection`);
  let requests = 1;
  for (const node of page.nodes) {
    if (object === "products") requests += await readRest(context, node, "variants");
    if (object === "orders") requests += await readRest(context, node, "lineItems");
  }
  const records = recordsOf(object, page.nodes);
  const more = page.pageInfo?.hasNextPage === true && page.pageInfo.endCursor;
  let next: Cursor | null = more
    ? { phase: "records", after: page.pageInfo.endCursor, ...(cursor.paged ? { paged: true } : {}) }
    : DELETION_SUBJECTS[object] && request.updatedSince
      ? { phase: "deletions", after: null }
      : null;
  // More than a page of a whole window: the rest (ids past this page's last, as pages go by id) comes
  // from a bulk operation. A shop whose bulk operations are all taken goes on paging.
  const lastId = legacyId(page.nodes.at(-1)?.id);
  if (more && lastId && cursor.after === null && !cursor.paged && !request.updatedSince && !request.interactive) {
    const bulk = await startBulk(context, object, restSearch(object, request, lastId), lastId, 0);
    requests++;
    next = bulk ?? { phase: "records", after: page.pageInfo.endCursor, paged: true };
  }
  return { records, nextCursor: next && writeCursor(next), deleted: [], requests };
}

/** A page of a bulk operation's file; an operation that is gone is run again, or given up for pages. */
async function listBulk(context: ConnectorContext, object: PagedObject, request: ListRequest, cursor: BulkCursor): Promise<ListPage> {
  const wanted = request.pageSize && request.pageSize > 0 ? Math.floor(request.pageSize) : BULK_PAGE_RECORDS;
  const read = await readBulkPage(context, object, cursor, Math.min(BULK_PAGE_RECORDS, wanted));
  if ("roots" in read) return { records: recordsOf(object, read.roots), nextCursor: read.next && writeCursor(read.next), deleted: [], requests: read.requests };
  const restarted = "restart" in read ? await startBulk(context, object, restSearch(object, request, cursor.pastId), cursor.pastId, read.attempt) : null;
  const next: Cursor = restarted ?? { phase: "records", after: null, paged: true };
  return { records: [], nextCursor: writeCursor(next), deleted: [], requests: "restart" in read ? 2 : 1 };
}

/** The records of a page of nodes: the nodes themselves, or for transactions those of each order. */
function recordsOf(object: PagedObject, nodes: Json[]): UnifiedRecord[] {
  if (object !== "transactions") return nodes.map((node) => normalize(object, node));
  const records: UnifiedRecord[] = [];
  for (const node of nodes) {
    const orderId = legacyId(node.id) ?? String(node.id);
    for (const transaction of (node.transactions as Json[] | null | undefined) ?? []) records.push(normalize("transactions", transaction, { orderId }));
  }
  return records;
}

/** Products and collections deleted since the incremental sync's time, as Shopify's deletion events list them. */
async function listDeletions(context: ConnectorContext, object: PagedObject, request: ListRequest, after: string | null): Promise<ListPage> {
  const subject = DELETION_SUBJECTS[object];
  if (!subject || !request.updatedSince) return { records: [], nextCursor: null, deleted: [], requests: 0 };
  const first = DELETIONS_QUERY.pageSize;
  const variables = { first, after, query: `occurred_at:>='${searchTime(request.updatedSince)}'`, types: [subject] };
  const data = await adminQuery<{ deletionEvents?: Connection }>(context, DELETIONS_QUERY.query, variables, DELETIONS_QUERY.cost(first));
  const page = data.deletionEvents;
  if (!page || !Array.isArray(page.nodes)) throw new ConnectorError("transient", "Shopify's answer had no deletionEvents connection");
  const deleted = page.nodes.map((event) => legacyId(event.subjectId)).filter((id): id is string => id !== null);
  const more = page.pageInfo?.hasNextPage === true && page.pageInfo.endCursor;
  return { records: [], nextCursor: more ? writeCursor({ phase: "deletions", after: page.pageInfo.endCursor }) : null, deleted, requests: 1 };
}

/**
 * Reads the pages of a record's nested connection (a product's variants, an order's line items) past
 * the first, which came with the record, and appends them to the node: the record is stored whole,
 * as `{ nodes }`, the shape a bulk operation's record has too. Returns the requests it took.
 */
async function readRest(context: ConnectorContext, node: Json, field: keyof typeof NESTED_QUERIES): Promise<number> {
  const nested = node[field] as Connection | undefined;
  if (!nested) return 0;
  if (!nested.pageInfo?.hasNextPage) {
    node[field] = { nodes: nested.nodes };
    return 0;
  }
  const spec = NESTED_QUERIES[field];
  let requests = 0;
  for (let after = nested.pageInfo.endCursor; after;) {
    const data = await adminQuery<{ node?: Record<string, Connection> | null }>(
      context,
      spec.query,
      { id: node.id, first: spec.pageSize, after },
      spec.cost(spec.pageSize),
    );
    requests++;
    const page = data.node?.[field];
    // Deleted since the page was read: the next sync will no longer list it.
    if (!page) break;
    nested.nodes.push(...page.nodes);
    nested.pageInfo = page.pageInfo;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  }
  node[field] = { nodes: nested.nodes };
  return requests;
}

function pageSize(spec: PagedQuery, request: ListRequest): number {
  const wanted = request.pageSize && request.pageSize > 0 ? Math.floor(request.pageSize) : spec.pageSize;
  return Math.max(1, Math.min(spec.pageSize, wanted));
}

/**
 * The `query:` search terms of a listing: its creation window ([start, end), to the second on both
 * ends so consecutive windows share no record) and its updated_at lower bound (rounded down, which
 * may only add records). Transactions take their orders' terms.
 */
function searchQuery(object: PagedObject, request: Pick<ListRequest, "window" | "updatedSince">): string | null {
  const terms: string[] = [];
  const windowed = shopifyDefinition.objects.find((spec) => spec.key === object)?.supportsWindow === true;
  if (windowed && request.window?.start) terms.push(`created_at:>='${searchTime(request.window.start)}'`);
  if (windowed && request.window?.end) terms.push(`created_at:<'${searchTime(request.window.end)}'`);
  if (request.updatedSince) terms.push(`updated_at:>='${searchTime(request.updatedSince)}'`);
  return terms.length > 0 ? terms.join(" AND ") : null;
}

/** A listing's search terms past the record with id `pastId` (the first page's last). */
function restSearch(object: PagedObject, request: ListRequest, pastId: string): string {
  return [searchQuery(object, request), `id:>${pastId}`].filter(Boolean).join(" AND ");
}

/** A time as Shopify's search compares it: UTC to the second, rounded down. */
function searchTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function writeCursor(cursor: Cursor): string {
  return JSON.stringify(cursor);
}

/**
 * A checkpoint's cursor. One this connector cannot read (written by another version of it) starts the
 * listing again: pages are upserts, so reading some records twice changes nothing.
 */
function readCursor(value: string | null): Cursor {
  if (!value) return { phase: "records", after: null };
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    if (
      parsed.phase === "bulk" &&
      typeof parsed.operation === "string" &&
      Number.isSafeInteger(parsed.offset) &&
      Number.isSafeInteger(parsed.attempt) &&
      typeof parsed.pastId === "string" &&
      /^\d+$/.test(parsed.pastId)
    ) {
      return { phase: "bulk", operation: parsed.operation, offset: parsed.offset as number, attempt: parsed.attempt as number, pastId: parsed.pastId };
    }
    const after = parsed.after === null || typeof parsed.after === "string" ? parsed.after : undefined;
    if (parsed.phase === "deletions" && after !== undefined) return { phase: "deletions", after };
    if (parsed.phase === "records" && after !== undefined)
      return parsed.paged === true ? { phase: "records", after, paged: true } : { phase: "records", after };
  } catch {
    // falls through: not one of ours
  }
  return { phase: "records", after: null };
}

/**
 * Creates or updates a customer or a product (WRITE_MUTATIONS) and answers the node as a page reads
 * it. Shopify's userErrors come back as `invalid` naming our field ("Email has already been taken",
 * field email); an id Shopify does not know as `not_found`. These mutations take no idempotency key.
 * A product create carries the write's key as a custom ID (WRITE_KEY) and first looks it up, so a
 * create retried after a crash between Shopify's answer and Tributary's commit answers the product
 * the first attempt made; a second customer is refused by Shopify itself (emails and phones are unique).
 */
async function write(context: ConnectorContext, request: WriteRequest): Promise<UnifiedRecord> {
  if (request.object !== "customers" && request.object !== "products")
    throw new ConnectorError("permanent", `Shopify does not write ${request.object} through Tributary`);
  const spec = WRITE_MUTATIONS[request.object];
  const input = request.object === "customers" ? customerInput(request.data) : productInput(request.data);
  if (request.operation === "update") input.id = `gid://shopify/${spec.type}/${request.id}`;
  if (request.object === "products" && request.operation === "create") {
    const made = await productByWriteKey(context, request.idempotencyKey);
    if (made) return made;
    input.metafields = [{ namespace: WRITE_KEY.namespace, key: WRITE_KEY.key, type: "id", value: request.idempotencyKey }];
  }
  type Payload = { write: { node: Json | null; userErrors: { field: string[] | null; message: string }[] } | null };
  const data = await adminQuery<Payload>(context, spec[request.operation], { [spec.variable]: input }, spec.cost);
  const errors = data.write?.userErrors ?? [];
  if (errors.length) {
    const [first] = errors;
    const field = first.field?.at(-1) ?? null;
    if (field === "id") throw new ConnectorError("not_found", `Shopify has no ${spec.type.toLowerCase()} ${request.id}: ${first.message}`);
    throw new ConnectorError("invalid", errors.map((e) => e.message).join("; "), { field: field === null ? null : (WRITTEN_FIELDS[field] ?? field) });
  }
  const node = data.write?.node;
  if (!node) throw new ConnectorError("permanent", `Shopify's ${request.operation} answered no ${spec.type.toLowerCase()}`);
  if (request.object === "products") await readRest(context, node, "variants");
  return normalize(request.object, node);
}

/** Shops whose write-key definition this process has made sure of (it is made once per shop, then TAKEN). */
const definedShops = new Set<string>();

/**
 * The product a create with this key already made, or null: the write-key definition is made first if
 * this process has not yet (an answer of TAKEN means it exists), then the product is looked up by it.
 */
async function productByWriteKey(context: ConnectorContext, key: string): Promise<UnifiedRecord | null> {
  if (!definedShops.has(context.baseUrl)) {
    type Defined = { metafieldDefinitionCreate: { userErrors: { message: string; code: string | null }[] } | null };
    const defined = await adminQuery<Defined>(context, WRITE_KEY.define.query, { definition: WRITE_KEY.define.definition }, WRITE_KEY.define.cost);
    const refused = (defined.metafieldDefinitionCreate?.userErrors ?? []).filter((error) => error.code !== "TAKEN");
    if (refused.length) throw new ConnectorError("permanent", `Shopify refused the write-key definition: ${refused.map((e) => e.message).join("; ")}`);
    definedShops.add(context.baseUrl);
  }
  const identifier = { customId: { namespace: WRITE_KEY.namespace, key: WRITE_KEY.key, value: key } };
  const found = await adminQuery<{ node: Json | null }>(context, WRITE_KEY.lookup.query, { identifier }, WRITE_KEY.lookup.cost);
  if (!found.node) return null;
  await readRest(context, found.node, "variants");
  return normalize("products", found.node);
}

/** Shopify's input field names, as the unified shapes name them. */
const WRITTEN_FIELDS: Record<string, string> = { firstName: "first_name", lastName: "last_name", productType: "product_type" };

function customerInput(data: Json): Json {
  const input: Json = {};
  if (data.email !== undefined) input.email = data.email;
  if (data.first_name !== undefined) input.firstName = data.first_name;
  if (data.last_name !== undefined) input.lastName = data.last_name;
  if (data.phone !== undefined) input.phone = data.phone;
  return input;
}

function productInput(data: Json): Json {
  const input: Json = {};
  if (data.title !== undefined) input.title = data.title;
  if (data.vendor !== undefined) input.vendor = data.vendor;
  if (data.product_type !== undefined) input.productType = data.product_type;
  if (data.status !== undefined) input.status = String(data.status).toUpperCase();
  if (data.tags !== undefined) input.tags = data.tags;
  return input;
}
