// What a platform is, as data: one `definition.ts` in each platform's folder (lib/platforms/<key>)
// says everything the rest of Tributary derives from — the catalogue, Link's list and sign-in fields,
// the planner's dependencies, the engine's windows and rate limit, sync jobs' resources and filters,
// event names and the logo. Connectors and emulators read their platform's definition; nothing else
// in the codebase names a platform's objects. Plain data and pure functions only.

export type PlatformCategory = "commerce" | "accounting" | "ticketing";
export type PlatformAuthKind = "oauth2" | "oauth2_or_api_key";

export const CATEGORY_LABELS: Record<PlatformCategory, string> = {
  commerce: "Commerce",
  accounting: "Accounting",
  ticketing: "Ticketing",
};

export const AUTH_LABELS: Record<PlatformAuthKind, string> = {
  oauth2: "OAuth 2.0",
  oauth2_or_api_key: "OAuth 2.0 or API key",
};

/** A filter a connector accepts for one object (ListRequest.filters; sync jobs' query parameters). */
export interface FilterSpec {
  name: string;
  description: string;
}

export interface ObjectDefinition {
  /** Unified object key, e.g. "orders". Platforms of one category share keys. */
  key: string;
  /**
   * The object's part of event types (ORDER → ORDER_CREATED, ORDER_SYNC_STARTED). Written out, not
   * derived from the key: "tax_classes" is TAX_CLASS, not TAX_CLASSE.
   */
  event: string;
  /** What must be synced with this object: its records reference these (bills → vendors). */
  dependsOn?: readonly string[];
  /** Can a page be limited to records created in a time window (initial and historical batches)? */
  supportsWindow: boolean;
  /** Can a page be limited to records updated since a time (incremental syncs)? */
  supportsUpdatedSince: boolean;
  /** Narrowing filters beyond the time filters (a ticket's comments by ticket_id). */
  filters?: readonly FilterSpec[];
}

/** A field Link asks for before sign-in, or beside an API key. */
export interface LinkAccountField {
  label: string;
  placeholder: string;
  hint: string;
  /** Shown after the input, e.g. ".myshopify.com". */
  suffix?: string;
  /** Normalizes what was typed into the platform's account id, or null when it cannot be one. */
  parse(value: string): string | null;
}

export interface PlatformDefinition<Key extends string = string> {
  key: Key;
  name: string;
  category: PlatformCategory;
  description: string;
  auth: PlatformAuthKind;
  /** In the order the dashboard and Link list them. */
  objects: readonly ObjectDefinition[];
  /** The platform's documented allowance per account (for its default plan), which the engine's limiter keeps under. */
  rateLimit: PlatformRateLimit;
  link: {
    /** The field asked for before OAuth; null when the platform's consent page lets the user choose. */
    accountField: LinkAccountField | null;
    /** What the API-key form asks for (platforms whose auth includes API keys). */
    apiKeyAccountField?: LinkAccountField;
    /** The OAuth scopes asked for unless a team chooses its own. */
    scopes: readonly string[];
    scopeSeparator: " " | ",";
  };
  /** The platform's mark in its brand colour, drawn without remote images. */
  logo: { background: string; foreground: string; glyph: string };
}

/** A requests-per-second allowance with a burst: how REST platforms limit (Shopify REST, QuickBooks, Zendesk). */
export interface RequestRate {
  requestsPerSecond: number;
  burst: number;
}

/**
 * A calculated-cost allowance (Shopify's GraphQL Admin API): each query is charged a cost in points,
 * known before it is sent, from a leaky bucket of `points` that refills at `restorePerSecond`; no
 * single query may cost more than `maxQueryCost`. Connectors take a query's points through
 * ConnectorContext.cost and report what the platform said it cost (lib/platforms/cost.ts).
 */
export interface CostAllowance {
  /** The bucket's size: the most points that may be spent at once (throttleStatus.maximumAvailable). */
  points: number;
  /** Points restored per second (throttleStatus.restoreRate). */
  restorePerSecond: number;
  /** The largest cost one query may request; the platform refuses dearer queries outright. */
  maxQueryCost: number;
}

/**
 * A daily request allowance on top of the per-second one (Xero: 5,000 calls per tenant per rolling 24
 * hours, beside 60 a minute). Every request to the account counts, whichever process or kind of work
 * sends it (sync runs, sync job runs, force-fetch reads): the count lives in the database
 * (lib/sync/quota.ts). A request that would exceed it is not sent; the run pauses until the window
 * frees enough and says so (SYNC_RATE_LIMITED with `limit: "daily"`). Background work (syncs, sync
 * jobs) leaves the last 2% (DAILY_RESERVE_SHARE) to interactive requests such as force-fetch reads.
 */
export interface DailyAllowance {
  requests: number;
  /**
   * rolling_24h: a request counts for 24 hours after it was sent (counted in 5-minute buckets, so a
   * request frees at most 5 minutes late, never early); utc_day: the count restarts at 00:00 UTC.
   */
  window: "rolling_24h" | "utc_day";
}

/**
 * What the engine's limiter keeps under for one account: requests per second, query cost, or both
 * (each request then takes a request token, and each query its points too); and optionally a daily
 * request allowance counted across processes.
 */
export type PlatformRateLimit = ((RequestRate & { cost?: CostAllowance }) | { requestsPerSecond?: never; burst?: never; cost: CostAllowance }) & {
  daily?: DailyAllowance;
};

/** A Link account field for platforms whose accounts are handles under their domain ("acme.myshopify.com" → "acme"). */
export function handleField(field: Omit<LinkAccountField, "parse">, domain: RegExp): LinkAccountField {
  return {
    ...field,
    parse(value) {
      const cleaned = value
        .trim()
        .toLowerCase()
        .replace(/^https?:\/\//, "")
        .replace(/\/.*$/, "")
        .replace(domain, "");
      return /^[a-z0-9][a-z0-9-]{0,62}$/.test(cleaned) ? cleaned : null;
    },
  };
}

export const objectKeys = (platform: Pick<PlatformObjects, "objects">): string[] => platform.objects.map((object) => object.key);

export function findObject(platform: Pick<PlatformObjects, "objects">, key: string): ObjectDefinition | undefined {
  return platform.objects.find((object) => object.key === key);
}

/** object → the objects it depends on, for the objects that have any. */
export function dependencies(platform: Pick<PlatformObjects, "objects">): Record<string, string[]> {
  return Object.fromEntries(platform.objects.filter((object) => object.dependsOn?.length).map((object) => [object.key, [...object.dependsOn!]]));
}

export const acceptsApiKey = (platform: Pick<PlatformDefinition, "auth">) => platform.auth === "oauth2_or_api_key";

/** What the planner and the configuration editor need of a platform: plain data a client component can take as a prop. */
export type PlatformObjects = Pick<PlatformDefinition, "key" | "name" | "objects">;
