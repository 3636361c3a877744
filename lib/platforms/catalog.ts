// The platforms Tributary supports, as the dashboard and Link describe them. Each connector's code
// lives in its own folder (lib/platforms/<key>); this catalogue is the one place that names them,
// their category, how customers authenticate and which objects they offer.

export type PlatformCategory = "commerce" | "accounting" | "ticketing";
export type PlatformAuthKind = "oauth2" | "oauth2_or_api_key";

export interface PlatformDefinition {
  key: string;
  name: string;
  category: PlatformCategory;
  description: string;
  auth: PlatformAuthKind;
  /** Object keys in the unified model, in the order they are listed. */
  objects: readonly string[];
  /** What each object needs synced with it: its records reference these (bills → vendors). */
  dependencies: Readonly<Record<string, readonly string[]>>;
}

export const PLATFORM_CATALOG = [
  {
    key: "shopify",
    name: "Shopify",
    category: "commerce",
    description: "Stores on Shopify: their catalogue, customers, orders and payment transactions, through the Admin API.",
    auth: "oauth2",
    objects: ["products", "collections", "customers", "orders", "transactions"],
    dependencies: { orders: ["customers", "products"], transactions: ["orders"] },
  },
  {
    key: "quickbooks",
    name: "QuickBooks Online",
    category: "accounting",
    description: "Companies on QuickBooks Online: chart of accounts, vendors, customers, bills, invoices, expenses and payments.",
    // Issue 3: the accounting platform also accepts API keys (the sandbox emulator issues them).
    auth: "oauth2_or_api_key",
    objects: ["accounts", "vendors", "customers", "bills", "invoices", "expenses", "payments"],
    dependencies: { bills: ["vendors", "accounts"], invoices: ["customers"], expenses: ["vendors", "accounts"], payments: ["customers", "invoices"] },
  },
  {
    key: "zendesk",
    name: "Zendesk",
    category: "ticketing",
    description: "Help desks on Zendesk Support: organizations, users, tickets and their comments.",
    auth: "oauth2",
    objects: ["organizations", "users", "tickets", "comments"],
    dependencies: { users: ["organizations"], tickets: ["users", "organizations"], comments: ["tickets", "users"] },
  },
] as const satisfies readonly PlatformDefinition[];

export type PlatformKey = (typeof PLATFORM_CATALOG)[number]["key"];

export const PLATFORM_KEYS: readonly PlatformKey[] = PLATFORM_CATALOG.map((platform) => platform.key);

export const CATEGORY_LABELS: Record<PlatformCategory, string> = {
  commerce: "Commerce",
  accounting: "Accounting",
  ticketing: "Ticketing",
};

export const AUTH_LABELS: Record<PlatformAuthKind, string> = {
  oauth2: "OAuth 2.0",
  oauth2_or_api_key: "OAuth 2.0 or API key",
};

export function isPlatformKey(value: string): value is PlatformKey {
  return (PLATFORM_KEYS as readonly string[]).includes(value);
}

export function getPlatform(key: string): PlatformDefinition | undefined {
  return PLATFORM_CATALOG.find((platform) => platform.key === key);
}

/** The platform's display name, or its raw key for a connector this build does not know. */
export function platformName(key: string): string {
  return getPlatform(key)?.name ?? key;
}
