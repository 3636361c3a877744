// The `query:` argument's search syntax (https://shopify.dev/docs/api/usage/search-syntax) for the
// filters a sync needs: `created_at`, `updated_at` (and orders' `processed_at`, deletion events'
// `occurred_at`) with :, :>, :>=, :<, :<= and a date or date-time, quoted or not; products' `status`
// (comma-separated values); `id` with :, :> and :>=; terms joined by AND or by spaces. Times are
// compared at Shopify's second precision, as the REST emulator's filters are.
//
// A term the emulator cannot apply (another field, OR, NOT, free text) is not applied: Shopify answers
// an unknown field with a warning in extensions.search and results unfiltered by it, and so do we, for
// everything we do not implement.
import { parseShopifyTime, type ListFilters } from "../query";
import type { ShopifyResource } from "../render";

export interface SearchWarning {
  field: string;
  message: string;
}

export interface ParsedSearch {
  filters: ListFilters;
  warnings: SearchWarning[];
}

type TimeField = "created_at" | "updated_at";
const TIME_FIELDS: Record<ShopifyResource | "deletion_events", Record<string, TimeField>> = {
  products: { created_at: "created_at", updated_at: "updated_at" },
  custom_collections: { updated_at: "updated_at" },
  customers: { created_at: "created_at", updated_at: "updated_at" },
  // Orders are processed when they are created here.
  orders: { created_at: "created_at", updated_at: "updated_at", processed_at: "created_at" },
  // A deletion event occurs when its record is deleted, which is its last update.
  deletion_events: { occurred_at: "updated_at" },
};
const PRODUCT_STATUSES = ["active", "archived", "draft"];

// field, operator, value ('quoted', "quoted" or bare)
const TERM = /^([a-z_]+):(>=|<=|>|<)?(?:'([^']*)'|"([^"]*)"|(\S+))$/;
const TOKEN = /[a-z_]+:(?:>=|<=|>|<)?(?:'[^']*'|"[^"]*"|\S+)|\S+/gi;

export function parseSearch(resource: ShopifyResource | "deletion_events", query: string | null | undefined): ParsedSearch {
  const filters: ListFilters = {};
  const warnings: SearchWarning[] = [];
  for (const token of (query ?? "").match(TOKEN) ?? []) {
    if (token === "AND") continue;
    const match = TERM.exec(token);
    if (!match) {
      warnings.push({ field: token, message: "The sandbox does not apply this search term (only field:value terms joined by AND)." });
      continue;
    }
    const [, field, operator = "", quoted1, quoted2, bare] = match;
    const value = quoted1 ?? quoted2 ?? bare;
    const timeField = TIME_FIELDS[resource][field];
    if (timeField) {
      if (!applyTime(filters, timeField, operator, value)) warnings.push({ field, message: `Invalid value for ${field}: ${value}` });
    } else if (field === "id" && /^\d{1,16}$/.test(value) && (operator === "" || operator === ">" || operator === ">=")) {
      const id = Number(value);
      if (operator === "") filters.ids = [id];
      else filters.sinceId = Math.max(filters.sinceId ?? -Infinity, operator === ">" ? id : id - 1);
    } else if (resource === "products" && field === "status" && operator === "" && value.split(",").every((s) => PRODUCT_STATUSES.includes(s.toLowerCase()))) {
      filters.status = value.split(",").map((s) => s.toLowerCase());
    } else {
      warnings.push({ field, message: "Invalid search field for this query." });
    }
  }
  return { filters, warnings };
}

/** Narrows the filter's range; whole-second bounds cover their whole second, date-only ones their whole day. */
function applyTime(filters: ListFilters, field: TimeField, operator: string, value: string): boolean {
  const time = parseShopifyTime(value);
  if (!time) return false;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
  const span = dateOnly ? 24 * 3600 * 1000 : time.wholeSecond ? 1000 : 1;
  const minKey = field === "created_at" ? "createdMin" : "updatedMin";
  const maxKey = field === "created_at" ? "createdMax" : "updatedMax";
  const raiseMin = (ms: number) => (filters[minKey] = Math.max(filters[minKey] ?? -Infinity, ms));
  const lowerMax = (ms: number) => (filters[maxKey] = Math.min(filters[maxKey] ?? Infinity, ms));
  if (operator === ">") raiseMin(time.ms + span);
  else if (operator === ">=") raiseMin(time.ms);
  else if (operator === "<") lowerMax(time.ms - 1);
  else if (operator === "<=") lowerMax(time.ms + span - 1);
  else {
    raiseMin(time.ms);
    lowerMax(time.ms + span - 1);
  }
  return true;
}
