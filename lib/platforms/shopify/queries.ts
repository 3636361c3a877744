// The GraphQL documents the connector sends, and what each costs as Shopify calculates it before
// running it (shopify.dev, "GraphQL Admin API rate limits"): an object costs 1, a scalar 0; a
// connection 2 plus `first` times one element's selection; a plain list without `first` one element's;
// pageInfo is free. The requested cost is what the limiter takes from the bucket before sending; the
// actual cost (what came back: 3 variants, not 25) is refunded after, so page sizes are chosen to keep
// the requested cost well under the 1,000 a single query may cost, not to match typical records.
//
// The selections are the platform payload stored with each record (platformData): the fields the
// unified model needs plus the ones a user of the Admin API most often reads.
export interface PagedQuery {
  query: string;
  /** Requested cost for a page of `first` nodes. */
  cost(first: number): number;
  /** Nodes per page: as many as keep the requested cost near 700 points. */
  pageSize: number;
}

const PAGE_INFO = "pageInfo { hasNextPage endCursor }";
/** A MoneyBag in the shop's currency: the bag and its shopMoney are two objects. */
const MONEY = "shopMoney { amount currencyCode }";
const MONEY_COST = 2;

/** Variants and line items read with their product or order; a record with more pages the rest by node(id:). */
export const VARIANTS_PER_PRODUCT = 25;
// Five: most orders have fewer lines, and every line a query may return is paid for in advance: 10
// lines a page meant 10 orders a page, and the 1,500-record test store's initial sync 112 pages in 11 s;
// 5 lines, 18 orders a page, 70 pages in 4.8 s.
export const LINE_ITEMS_PER_ORDER = 5;

const VARIANT_FIELDS = "id title sku price inventoryQuantity";
const LINE_ITEM_FIELDS = `id title quantity sku originalUnitPriceSet { ${MONEY} } product { id } variant { id }`;
const LINE_ITEM_COST = 1 + MONEY_COST + 1 + 1;
const TRANSACTION_FIELDS = `id kind status gateway amountSet { ${MONEY} } createdAt processedAt`;
/** Order.transactions is a plain list: unbounded, it costs one transaction's selection and returns all. */
const TRANSACTIONS_COST = 1 + MONEY_COST;

const ADDRESS_FIELDS = "address1 address2 city province provinceCode country countryCodeV2 zip phone";

const CUSTOMER_FIELDS = `id firstName lastName displayName email phone state tags verifiedEmail taxExempt note numberOfOrders amountSpent { amount currencyCode } defaultAddress { ${ADDRESS_FIELDS} } createdAt updatedAt`;
const COLLECTION_FIELDS = "id title handle sortOrder templateSuffix updatedAt";
const ORDER_TRANSACTIONS_FIELDS = `id transactions { ${TRANSACTION_FIELDS} }`;

const connectionCost = (first: number, perNode: number) => 2 + first * perNode;

function paged(root: string, fields: string, perNode: number, pageSize: number, extraArgs = ""): PagedQuery {
  return {
    query: `query Page($first: Int!, $after: String, $query: String) { ${root}(first: $first, after: $after, query: $query, sortKey: ID${extraArgs}) { nodes { ${fields} } ${PAGE_INFO} } }`,
    cost: (first) => connectionCost(first, perNode),
    pageSize,
  };
}

const PRODUCT_SCALARS = "id title handle vendor productType status tags createdAt updatedAt publishedAt totalInventory";
const PRODUCT_FIELDS = `${PRODUCT_SCALARS} variants(first: ${VARIANTS_PER_PRODUCT}) { nodes { ${VARIANT_FIELDS} } ${PAGE_INFO} }`;
const PRODUCT_COST = 1 + connectionCost(VARIANTS_PER_PRODUCT, 1);

const ORDER_SCALARS = [
  "id name email createdAt updatedAt processedAt cancelledAt closedAt currencyCode displayFinancialStatus displayFulfillmentStatus",
  `subtotalPriceSet { ${MONEY} } totalPriceSet { ${MONEY} } totalTaxSet { ${MONEY} } totalDiscountsSet { ${MONEY} }`,
  "customer { id }",
  `transactions { ${TRANSACTION_FIELDS} }`,
].join(" ");
const ORDER_FIELDS = `${ORDER_SCALARS} lineItems(first: ${LINE_ITEMS_PER_ORDER}) { nodes { ${LINE_ITEM_FIELDS} } ${PAGE_INFO} }`;
const ORDER_COST = 1 + 4 * MONEY_COST + 1 + connectionCost(LINE_ITEMS_PER_ORDER, LINE_ITEM_COST) + TRANSACTIONS_COST;

/** One page of each object, filtered by `query` (created_at / updated_at search terms) and paged by `after`. */
export const PAGE_QUERIES: Record<"products" | "collections" | "customers" | "orders" | "transactions", PagedQuery> = {
  // 2 + 25 × 28 = 702
  products: paged("products", PRODUCT_FIELDS, PRODUCT_COST, 25),
  // 2 + 250 × 1 = 252
  collections: paged("collections", COLLECTION_FIELDS, 1, 250),
  // With their default address, which most integrations read from the payload. 2 + 250 × 3 = 752
  customers: paged("customers", CUSTOMER_FIELDS, 3, 250),
  // 2 + 18 × 40 = 722
  orders: paged("orders", ORDER_FIELDS, ORDER_COST, 18),
  // Transactions come inline on their orders: a page of orders carrying only them. 2 + 150 × 4 = 602
  transactions: paged("orders", ORDER_TRANSACTIONS_FIELDS, 1 + TRANSACTIONS_COST, 150),
};

/**
 * How many records of an object a listing with the same `query` search terms would return: Shopify's
 * count queries (https://shopify.dev/docs/api/admin-graphql/2026-10/queries/ordersCount, and
 * productsCount, customersCount, collectionsCount alike). `limit: null` lifts the default cap of
 * 10,000, which would otherwise answer precision AT_LEAST. A Count is one object: 1 point.
 * Transactions have none: Shopify counts them only per order (Order.transactionsCount).
 */
export interface CountQuery {
  query: string;
  /** The query root's field, which holds the answer's Count. */
  root: string;
  cost: number;
}

function counted(root: string): CountQuery {
  return { query: `query Count($query: String) { ${root}(query: $query, limit: null) { count precision } }`, root, cost: 1 };
}

export const COUNT_QUERIES: Partial<Record<keyof typeof PAGE_QUERIES, CountQuery>> = {
  products: counted("productsCount"),
  collections: counted("collectionsCount"),
  customers: counted("customersCount"),
  orders: counted("ordersCount"),
};

/** Products and collections Shopify reports deleted since a time (deletionEvents); 2 + 250 × 1 = 252. */
export const DELETIONS_QUERY: PagedQuery = {
  query: `query Deletions($first: Int!, $after: String, $query: String, $types: [DeletionEventSubjectType!]) { deletionEvents(first: $first, after: $after, query: $query, subjectTypes: $types, sortKey: ID) { nodes { subjectId occurredAt } ${PAGE_INFO} } }`,
  cost: (first) => connectionCost(first, 1),
  pageSize: 250,
};

/** The rest of a record's nested connection, past the first page read with the record. */
export const NESTED_QUERIES: Record<"variants" | "lineItems", PagedQuery> = {
  // node 1 + 2 + 250 × 1 = 253
  variants: {
    query: `query Rest($id: ID!, $first: Int!, $after: String) { node(id: $id) { ... on Product { variants(first: $first, after: $after) { nodes { ${VARIANT_FIELDS} } ${PAGE_INFO} } } } }`,
    cost: (first) => 1 + connectionCost(first, 1),
    pageSize: 250,
  },
  // node 1 + 2 + 50 × 5 = 253
  lineItems: {
    query: `query Rest($id: ID!, $first: Int!, $after: String) { node(id: $id) { ... on Order { lineItems(first: $first, after: $after) { nodes { ${LINE_ITEM_FIELDS} } ${PAGE_INFO} } } } }`,
    cost: (first) => 1 + connectionCost(first, LINE_ITEM_COST),
    pageSize: 50,
  },
};

/**
 * A bulk operation's query for one object (https://shopify.dev/docs/api/usage/bulk-operations/queries):
 * the same selections as a page, read whole: nested connections without `first`, each element its own
 * JSONL line carrying `__parentId`, which `nested` maps back to the field it came from (by the
 * element's gid type). Objects with nested connections ask for grouped output (groupObjects: true),
 * so a record's elements come right after it and the file can be read record by record.
 */
export interface BulkQuery {
  query(search: string | null): string;
  /** The element type of each nested connection (ProductVariant) → its field on the record (variants). */
  nested: Record<string, string>;
}

function bulk(root: string, scalars: string, nested: Record<string, { field: string; fields: string }> = {}): BulkQuery {
  const connections = Object.values(nested).map(({ field, fields }) => `${field} { edges { node { ${fields} } } }`);
  return {
    query: (search) =>
      `{ ${root}(${search === null ? "" : `query: ${JSON.stringify(search)}, `}sortKey: ID) { edges { node { ${[scalars, ...connections].join(" ")} } } } }`,
    nested: Object.fromEntries(Object.entries(nested).map(([type, { field }]) => [type, field])),
  };
}

export const BULK_QUERIES: Record<keyof typeof PAGE_QUERIES, BulkQuery> = {
  products: bulk("products", PRODUCT_SCALARS, { ProductVariant: { field: "variants", fields: VARIANT_FIELDS } }),
  collections: bulk("collections", COLLECTION_FIELDS),
  customers: bulk("customers", CUSTOMER_FIELDS),
  orders: bulk("orders", ORDER_SCALARS, { LineItem: { field: "lineItems", fields: LINE_ITEM_FIELDS } }),
  transactions: bulk("orders", ORDER_TRANSACTIONS_FIELDS),
};

/** bulkOperationRunQuery: 10 points whatever the inner query. */
export const RUN_BULK_QUERY = {
  query: `mutation RunBulk($query: String!, $group: Boolean!) { bulkOperationRunQuery(query: $query, groupObjects: $group) { bulkOperation { id status } userErrors { field message code } } }`,
  cost: 10,
};

/** A bulk operation's state, polled by id: node 1 + the object 1. */
export const BULK_OPERATION_QUERY = {
  query: `query Bulk($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount url } } }`,
  cost: 2,
};

/**
 * Writes (GraphQL Admin API 2026-10: customerCreate/customerUpdate take `input: CustomerInput!`,
 * productCreate/productUpdate `product: Product{Create,Update}Input!`). Each answers the written node
 * with the fields a page reads, so the record stored from it is the record a sync stores. A mutation
 * costs 10 points, plus what it selects.
 */
/**
 * Custom IDs close a product create's crash window (productCreate takes no idempotency key): each
 * product Tributary creates carries its write key in an `id` metafield, unique per shop once its
 * definition exists (shopify.dev › Custom data › Working with custom IDs, 2025-04 and later), so a
 * retried create first looks the key up and answers the product the first attempt made.
 */
export const WRITE_KEY = {
  namespace: "tributary",
  key: "write_key",
  define: {
    query: `mutation DefineWriteKey($definition: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $definition) { createdDefinition { id } userErrors { field message code } } }`,
    definition: { name: "Tributary write key", namespace: "tributary", key: "write_key", type: "id", ownerType: "PRODUCT" },
    cost: 10,
  },
  lookup: {
    query: `query ProductByWriteKey($identifier: ProductIdentifierInput!) { node: productByIdentifier(identifier: $identifier) { ${PRODUCT_FIELDS} } }`,
    cost: PRODUCT_COST,
  },
} as const;

export const WRITE_MUTATIONS = {
  customers: {
    create: `mutation CustomerCreate($input: CustomerInput!) { write: customerCreate(input: $input) { node: customer { ${CUSTOMER_FIELDS} } userErrors { field message } } }`,
    update: `mutation CustomerUpdate($input: CustomerInput!) { write: customerUpdate(input: $input) { node: customer { ${CUSTOMER_FIELDS} } userErrors { field message } } }`,
    variable: "input",
    type: "Customer",
    cost: 10 + 3,
  },
  products: {
    create: `mutation ProductCreate($product: ProductCreateInput!) { write: productCreate(product: $product) { node: product { ${PRODUCT_FIELDS} } userErrors { field message } } }`,
    update: `mutation ProductUpdate($product: ProductUpdateInput!) { write: productUpdate(product: $product) { node: product { ${PRODUCT_FIELDS} } userErrors { field message } } }`,
    variable: "product",
    type: "Product",
    cost: 10 + PRODUCT_COST,
  },
} as const;
