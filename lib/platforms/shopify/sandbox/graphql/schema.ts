// A faithful subset of Shopify's GraphQL Admin API schema, version 2026-10
// (https://shopify.dev/docs/api/admin-graphql/2026-10): the types, fields, arguments and enum values
// the emulator serves, with Shopify's names and nullability, so that graphql-js validates a query as
// Shopify would for these fields (a field Shopify has but this subset lacks is a validation error here).
// Enums list only the values the emulator implements (sort keys: ID, CREATED_AT, UPDATED_AT).
import { buildSchema, type GraphQLSchema } from "graphql";

const CONNECTION_ARGS = "first: Int, after: String, last: Int, before: String, reverse: Boolean = false";
/** The count queries' arguments: the list's search terms, and the cap (10,000 unless null: uncapped). */
const COUNT_ARGS = "query: String, limit: Int = 10000";

export const SCHEMA_SDL = /* GraphQL */ `
scalar DateTime
scalar Decimal
scalar Money
scalar HTML
scalar URL
scalar UnsignedInt64

interface Node { id: ID! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

enum CurrencyCode { AUD CAD EUR GBP USD }
enum CountryCode { AU CA DE FR GB NL US }
type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }
enum CountPrecision { AT_LEAST EXACT }
type Count { count: Int! precision: CountPrecision! }

type MailingAddress implements Node {
  id: ID! address1: String address2: String city: String company: String country: String countryCodeV2: CountryCode
  firstName: String lastName: String name: String phone: String province: String provinceCode: String zip: String
}

enum ProductStatus { ACTIVE ARCHIVED DRAFT }
enum ProductSortKeys { ID CREATED_AT UPDATED_AT }
enum ProductVariantSortKeys { ID POSITION }
type Product implements Node {
  id: ID! legacyResourceId: UnsignedInt64! title: String! handle: String! descriptionHtml: HTML! vendor: String! productType: String!
  status: ProductStatus! tags: [String!]! createdAt: DateTime! updatedAt: DateTime! publishedAt: DateTime templateSuffix: String
  totalInventory: Int!
  variants(${CONNECTION_ARGS}, sortKey: ProductVariantSortKeys = POSITION): ProductVariantConnection!
}
type ProductVariant implements Node {
  id: ID! legacyResourceId: UnsignedInt64! title: String! displayName: String! sku: String barcode: String position: Int!
  price: Money! compareAtPrice: Money inventoryQuantity: Int taxable: Boolean! createdAt: DateTime! updatedAt: DateTime!
  product: Product!
}
type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }
type ProductEdge { cursor: String! node: Product! }
type ProductVariantConnection { edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo! }
type ProductVariantEdge { cursor: String! node: ProductVariant! }

enum CollectionSortOrder { ALPHA_ASC ALPHA_DESC BEST_SELLING CREATED CREATED_DESC MANUAL PRICE_ASC PRICE_DESC }
enum CollectionSortKeys { ID UPDATED_AT }
type Collection implements Node {
  id: ID! legacyResourceId: UnsignedInt64! title: String! handle: String! descriptionHtml: HTML! sortOrder: CollectionSortOrder!
  templateSuffix: String updatedAt: DateTime!
}
type CollectionConnection { edges: [CollectionEdge!]! nodes: [Collection!]! pageInfo: PageInfo! }
type CollectionEdge { cursor: String! node: Collection! }

enum CustomerState { DECLINED DISABLED ENABLED INVITED }
enum CustomerSortKeys { ID CREATED_AT UPDATED_AT }
type Customer implements Node {
  id: ID! legacyResourceId: UnsignedInt64! firstName: String lastName: String displayName: String! email: String phone: String
  state: CustomerState! note: String tags: [String!]! verifiedEmail: Boolean! taxExempt: Boolean! numberOfOrders: UnsignedInt64!
  amountSpent: MoneyV2! createdAt: DateTime! updatedAt: DateTime! defaultAddress: MailingAddress addresses(first: Int): [MailingAddress!]!
}
type CustomerConnection { edges: [CustomerEdge!]! nodes: [Customer!]! pageInfo: PageInfo! }
type CustomerEdge { cursor: String! node: Customer! }

enum OrderSortKeys { ID CREATED_AT PROCESSED_AT UPDATED_AT }
enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }
enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
enum OrderDisplayFulfillmentStatus { FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT RESTOCKED SCHEDULED UNFULFILLED }
type Order implements Node {
  id: ID! legacyResourceId: UnsignedInt64! name: String! email: String phone: String note: String tags: [String!]! test: Boolean!
  createdAt: DateTime! updatedAt: DateTime! processedAt: DateTime! cancelledAt: DateTime closedAt: DateTime closed: Boolean!
  cancelReason: OrderCancelReason currencyCode: CurrencyCode! presentmentCurrencyCode: CurrencyCode!
  displayFinancialStatus: OrderDisplayFinancialStatus displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  subtotalPriceSet: MoneyBag totalPriceSet: MoneyBag! totalTaxSet: MoneyBag totalDiscountsSet: MoneyBag totalShippingPriceSet: MoneyBag!
  currentTotalPriceSet: MoneyBag! totalRefundedSet: MoneyBag! totalOutstandingSet: MoneyBag!
  customer: Customer billingAddress: MailingAddress shippingAddress: MailingAddress
  lineItems(${CONNECTION_ARGS}): LineItemConnection!
  transactions(first: Int): [OrderTransaction!]!
}
type LineItem implements Node {
  id: ID! name: String! title: String! quantity: Int! currentQuantity: Int! sku: String variantTitle: String vendor: String
  requiresShipping: Boolean! taxable: Boolean! originalUnitPriceSet: MoneyBag! originalTotalSet: MoneyBag! discountedTotalSet: MoneyBag!
  product: Product variant: ProductVariant
}
type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }
type LineItemEdge { cursor: String! node: LineItem! }
enum OrderTransactionKind { AUTHORIZATION CAPTURE CHANGE EMV_AUTHORIZATION REFUND SALE SUGGESTED_REFUND VOID }
enum OrderTransactionStatus { AWAITING_RESPONSE ERROR FAILURE PENDING SUCCESS UNKNOWN }
type OrderTransaction implements Node {
  id: ID! kind: OrderTransactionKind! status: OrderTransactionStatus! gateway: String amountSet: MoneyBag! createdAt: DateTime!
  processedAt: DateTime authorizationCode: String errorCode: String paymentId: String test: Boolean! parentTransaction: OrderTransaction
}
type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }
type OrderEdge { cursor: String! node: Order! }

enum DeletionEventSubjectType { COLLECTION PRODUCT }
enum DeletionEventSortKeys { CREATED_AT ID }
type DeletionEvent { occurredAt: DateTime! subjectId: ID! subjectType: DeletionEventSubjectType! }
type DeletionEventConnection { edges: [DeletionEventEdge!]! nodes: [DeletionEvent!]! pageInfo: PageInfo! }
type DeletionEventEdge { cursor: String! node: DeletionEvent! }

enum BulkOperationStatus { CANCELED CANCELING COMPLETED CREATED EXPIRED FAILED RUNNING }
enum BulkOperationType { MUTATION QUERY }
enum BulkOperationErrorCode { ACCESS_DENIED INTERNAL_SERVER_ERROR TIMEOUT }
type BulkOperation implements Node {
  id: ID! status: BulkOperationStatus! type: BulkOperationType! errorCode: BulkOperationErrorCode createdAt: DateTime! completedAt: DateTime
  objectCount: UnsignedInt64! rootObjectCount: UnsignedInt64! fileSize: UnsignedInt64 url: URL partialDataUrl: URL query: String!
}
enum BulkOperationUserErrorCode { INVALID LIMIT_REACHED OPERATION_IN_PROGRESS }
type BulkOperationUserError { code: BulkOperationUserErrorCode field: [String!] message: String! }
type BulkOperationRunQueryPayload { bulkOperation: BulkOperation userErrors: [BulkOperationUserError!]! }
type UserError { field: [String!] message: String! }
type BulkOperationCancelPayload { bulkOperation: BulkOperation userErrors: [UserError!]! }

enum WebhookSubscriptionTopic {
  BULK_OPERATIONS_FINISH COLLECTIONS_CREATE COLLECTIONS_DELETE COLLECTIONS_UPDATE CUSTOMERS_CREATE CUSTOMERS_DELETE CUSTOMERS_UPDATE
  ORDERS_CREATE ORDERS_DELETE ORDERS_UPDATED PRODUCTS_CREATE PRODUCTS_DELETE PRODUCTS_UPDATE
}
enum WebhookSubscriptionFormat { JSON }
input WebhookSubscriptionInput { uri: String callbackUrl: URL format: WebhookSubscriptionFormat }
type WebhookSubscription implements Node { id: ID! topic: WebhookSubscriptionTopic! uri: String! format: WebhookSubscriptionFormat! createdAt: DateTime! updatedAt: DateTime! }
type WebhookSubscriptionConnection { edges: [WebhookSubscriptionEdge!]! nodes: [WebhookSubscription!]! pageInfo: PageInfo! }
type WebhookSubscriptionEdge { cursor: String! node: WebhookSubscription! }
type WebhookSubscriptionCreatePayload { webhookSubscription: WebhookSubscription userErrors: [UserError!]! }
type WebhookSubscriptionDeletePayload { deletedWebhookSubscriptionId: ID userErrors: [UserError!]! }

type Shop implements Node { id: ID! name: String! myshopifyDomain: String! currencyCode: CurrencyCode! ianaTimezone: String! }

type QueryRoot {
  shop: Shop!
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  product(id: ID!): Product
  productByIdentifier(identifier: ProductIdentifierInput!): Product
  products(${CONNECTION_ARGS}, sortKey: ProductSortKeys = ID, query: String): ProductConnection!
  productsCount(${COUNT_ARGS}): Count
  collection(id: ID!): Collection
  collections(${CONNECTION_ARGS}, sortKey: CollectionSortKeys = ID, query: String): CollectionConnection!
  collectionsCount(${COUNT_ARGS}): Count
  customer(id: ID!): Customer
  customers(${CONNECTION_ARGS}, sortKey: CustomerSortKeys = ID, query: String): CustomerConnection!
  customersCount(${COUNT_ARGS}): Count
  order(id: ID!): Order
  orders(${CONNECTION_ARGS}, sortKey: OrderSortKeys = ID, query: String): OrderConnection!
  ordersCount(${COUNT_ARGS}): Count
  deletionEvents(${CONNECTION_ARGS}, sortKey: DeletionEventSortKeys = ID, query: String, subjectTypes: [DeletionEventSubjectType!]): DeletionEventConnection!
  currentBulkOperation(type: BulkOperationType = QUERY): BulkOperation
  webhookSubscriptions(${CONNECTION_ARGS}, topics: [WebhookSubscriptionTopic!]): WebhookSubscriptionConnection!
}

input CustomerInput { id: ID email: String firstName: String lastName: String phone: String note: String tags: [String!] }
type CustomerCreatePayload { customer: Customer userErrors: [UserError!]! }
type CustomerUpdatePayload { customer: Customer userErrors: [UserError!]! }
input ProductCreateInput {
  title: String descriptionHtml: String vendor: String productType: String status: ProductStatus tags: [String!] metafields: [MetafieldInput!]
}
input MetafieldInput { namespace: String key: String value: String type: String }
input UniqueMetafieldValueInput { namespace: String key: String! value: String! }
input ProductIdentifierInput { id: ID customId: UniqueMetafieldValueInput handle: String }
enum MetafieldOwnerType { PRODUCT }
input MetafieldDefinitionInput { name: String! namespace: String key: String! type: String! ownerType: MetafieldOwnerType! description: String }
type MetafieldDefinitionType { name: String! }
type MetafieldDefinition implements Node { id: ID! name: String! namespace: String! key: String! ownerType: MetafieldOwnerType! type: MetafieldDefinitionType! }
enum MetafieldDefinitionCreateUserErrorCode { TAKEN INVALID INCLUSION PRESENT BLANK }
type MetafieldDefinitionCreateUserError { field: [String!] message: String! code: MetafieldDefinitionCreateUserErrorCode }
type MetafieldDefinitionCreatePayload { createdDefinition: MetafieldDefinition userErrors: [MetafieldDefinitionCreateUserError!]! }
input ProductUpdateInput { id: ID! title: String descriptionHtml: String vendor: String productType: String status: ProductStatus tags: [String!] }
type ProductCreatePayload { product: Product userErrors: [UserError!]! }
type ProductUpdatePayload { product: Product userErrors: [UserError!]! }

type Mutation {
  bulkOperationRunQuery(query: String!, groupObjects: Boolean! = false): BulkOperationRunQueryPayload
  bulkOperationCancel(id: ID!): BulkOperationCancelPayload
  webhookSubscriptionCreate(topic: WebhookSubscriptionTopic!, webhookSubscription: WebhookSubscriptionInput!): WebhookSubscriptionCreatePayload
  webhookSubscriptionDelete(id: ID!): WebhookSubscriptionDeletePayload
  customerCreate(input: CustomerInput!): CustomerCreatePayload
  customerUpdate(input: CustomerInput!): CustomerUpdatePayload
  productCreate(product: ProductCreateInput!): ProductCreatePayload
  metafieldDefinitionCreate(definition: MetafieldDefinitionInput!): MetafieldDefinitionCreatePayload
  productUpdate(product: ProductUpdateInput!): ProductUpdatePayload
}

schema { query: QueryRoot mutation: Mutation }
`;

export const ADMIN_SCHEMA: GraphQLSchema = buildSchema(SCHEMA_SDL);

/** Types whose fields are connections (sized by first/last in the cost, expanded into their own JSONL lines in bulk). */
export function isConnectionTypeName(name: string): boolean {
  return name.endsWith("Connection");
}
