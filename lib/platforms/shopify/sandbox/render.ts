// Records as Shopify's Admin REST API 2024-10 returns them. Shared by the list/get handlers and by
// webhook payloads (which carry the same resource JSON).
import type { StoredRecord } from "@/lib/sandbox/dataset";

export const SHOPIFY_API_VERSION = "2024-10";

/** The resources the commerce sandbox serves: list key = object name, single key, GraphQL type. */
export const RESOURCES = {
  products: { singular: "product", gid: "Product" },
  custom_collections: { singular: "custom_collection", gid: "Collection" },
  customers: { singular: "customer", gid: "Customer" },
  orders: { singular: "order", gid: "Order" },
} as const;

export type ShopifyResource = keyof typeof RESOURCES;

export function isShopifyResource(name: string): name is ShopifyResource {
  return Object.hasOwn(RESOURCES, name);
}

/**
 * Shopify renders times at second precision with the shop's UTC offset. The emulated shop's time zone
 * is UTC, written "-00:00" (RFC 3339: UTC, local offset unspecified) so that clients which split on
 * "Z" or assume a non-Z offset both get exercised.
 */
export function shopifyTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}-00:00`;
}

/**
 * The resource JSON: data plus id, timestamps and gid. Builders store nested times already rendered;
 * a top-level `*_at` number (from a change made through the control API) is rendered here.
 */
export function shopifyRecordJson(record: StoredRecord): Record<string, unknown> {
  const gid = isShopifyResource(record.object) ? RESOURCES[record.object].gid : record.object;
  const json: Record<string, unknown> = { id: record.id, ...record.data };
  // A product's metafields (custom IDs, graphql/writes.ts) are not part of its REST JSON.
  delete json.metafields;
  for (const key in json) {
    const value = json[key];
    if (typeof value === "number" && key.endsWith("_at")) json[key] = shopifyTime(value);
  }
  json.created_at = shopifyTime(record.createdAt);
  json.updated_at = shopifyTime(record.updatedAt);
  json.admin_graphql_api_id = `gid://shopify/${gid}/${record.id}`;
  return json;
}

/** The `fields` parameter: only the named top-level fields, in the resource's own order. */
export function pickFields(json: Record<string, unknown>, fields: readonly string[] | undefined): Record<string, unknown> {
  if (!fields) return json;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) if (fields.includes(key)) out[key] = value;
  return out;
}
