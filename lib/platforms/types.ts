// The connector interface (DESIGN.md section 3): what the sync engine needs from one third-party API.
// A connector is `connector.ts` in its platform's folder (lib/platforms/<key>); it knows the platform's
// auth, paging, errors and wire format, and maps its records to Tributary's unified models. What the
// platform offers (objects, windows, filters, rate limit) is its definition's (definition.ts). It never
// touches the database: the engine hands it credentials and a fetch, and stores what it returns.
import type { SandboxPlatform } from "@/lib/sandbox/platform";
import type { CostBudget, CostOutcome } from "./cost";
import { ConnectorError } from "./errors";

import type { FilterSpec, ObjectDefinition, PlatformDefinition, PlatformRateLimit } from "./definition";

export { ConnectorError, type ConnectorErrorKind, type ConnectorErrorOptions, type RateLimitKind } from "./errors";

export type { FilterSpec };

export type Credentials =
  { kind: "oauth"; accessToken: string; refreshToken: string | null; expiresAt: number | null; scopes: string[] } | { kind: "api_key"; apiKey: string };

export interface ConnectorContext {
  /** The platform API's base, e.g. https://{shop}.myshopify.com or the sandbox's /shopify/{shop}. */
  baseUrl: string;
  /**
   * The connection's account on the platform (its platformAccountId: a shop, a realm, Xero's tenant
   * id), for platforms whose API names the account in a header rather than in baseUrl (Xero's
   * xero-tenant-id). Absent where no account is chosen yet: Link's token exchange, before a platform
   * whose consent page chooses the account (oauthAccount) has named it.
   */
  accountId?: string;
  credentials: Credentials;
  fetch: typeof fetch;
  /** Per-request timeout; a request that takes longer is a transient error. */
  timeoutMs?: number;
  /**
   * The account's points bucket, for platforms whose definition declares a cost allowance
   * (rateLimit.cost): take a query's cost before sending it, settle what the platform reported after.
   * Absent where nothing meters points (contexts built by tests, Link's probe of unstored credentials);
   * use `context.cost ?? UNMETERED_COST`. See lib/platforms/cost.ts for the whole protocol.
   */
  cost?: CostBudget;
}

/** What the engine asks of one object: its definition's entry. */
export type ObjectSpec = ObjectDefinition;

export interface ListRequest {
  object: string;
  /** Where the previous page ended; null for the first page. Opaque to the engine. */
  cursor: string | null;
  /** Records created in [start, end); null ends are open. */
  window?: { start: Date | null; end: Date | null };
  updatedSince?: Date | null;
  /**
   * Narrowing filters the platform applies itself (sync jobs: a ticket's comments, an organization's
   * users); only names the object's definition declares.
   */
  filters?: Readonly<Record<string, string>>;
  /** Records per page the caller would like (sync jobs keep their webhook bodies small); a hint. */
  pageSize?: number;
  /**
   * Someone waits on this page (an API read with force_fetch): answer from the platform's paginated
   * API, never by starting a background export (Shopify's bulk operations) whose next page could take
   * minutes to come.
   */
  interactive?: boolean;
}

/** What a count asks: one object's records, created in the window where the run has one. */
export interface CountRequest {
  object: string;
  window?: { start: Date | null; end: Date | null };
}

export interface UnifiedRecord {
  externalId: string;
  /** The platform's last modification time, when it reports one. */
  updatedAt: Date | null;
  /** The record in its category's unified model (lib/unified): the contract the category's connectors meet. */
  data: Record<string, unknown>;
  /** The platform's own payload the data was made from, as the platform sent it (served as `platform_data`). */
  platformData?: Record<string, unknown>;
}

export interface ListPage {
  records: UnifiedRecord[];
  /** Null when this was the last page. */
  nextCursor: string | null;
  /** External ids the platform reports deleted in this page (platforms that report deletions). */
  deleted: string[];
  /** Requests this page cost (a page of a child object costs one per parent). */
  requests: number;
}

/**
 * The platform's own change notifications (Shopify webhooks, Intuit webhooks, Zendesk webhooks):
 * how to verify one and which unified objects it says changed. Headers are lower-cased.
 */
export interface PlatformWebhooks {
  /** The largest body the platform sends, in bytes: the route reads no more (413 past it) before verifying. */
  maxBodyBytes: number;
  verify(headers: Record<string, string>, body: string, secret: string): boolean;
  objects(headers: Record<string, string>, body: string): string[];
}

/** Where one account's API lives: on the real platform, or on the sandbox emulator when `sandboxUrl` is set. */
export interface AccountEndpoints {
  /** Base of the data API (ConnectorContext.baseUrl). */
  apiBaseUrl: string;
  /** The OAuth token endpoint (authorization-code exchange and refresh grants). */
  tokenUrl: string;
  /** The OAuth consent page. */
  authorizeUrl: string;
}

/** A completed sign-in, for a connector to tell which account the user chose on the consent page. */
export interface OAuthCallback {
  /** The callback's query string (code, state, and whatever the platform adds, such as QuickBooks' realmId). */
  query: URLSearchParams;
  /** The account Link asked for before sign-in (a Shopify store, a Zendesk subdomain), or "" when none. */
  requestedAccount: string;
  /** The exchanged credentials against the requested account's endpoints, for platforms that list the grant's accounts. */
  context: ConnectorContext;
}

/** An account a sign-in may connect: the platform's id for it and the name its users know it by. */
export interface OAuthAccountChoice {
  id: string;
  name: string;
}

/**
 * What oauthAccount found: the account's id; or the accounts the grant covers, named (Xero's tenants:
 * one is connected at once under its name, several are offered to the end user to pick from); or
 * null when the platform named none.
 */
export type OAuthAccountResult = string | { choices: OAuthAccountChoice[] } | null;

export interface Connector {
  definition: PlatformDefinition;
  /** The definition's key, objects and rate limit, for the engine's convenience. */
  key: string;
  objects: readonly ObjectSpec[];
  /** The platform's documented allowance, which the engine's limiter keeps under. */
  rateLimit: PlatformRateLimit;
  /**
   * How far before the last successful run's start an incremental sync asks for changes: covers
   * clock skew, and platforms that hold back the newest changes (Zendesk's exports omit the last minute).
   */
  incrementalOverlapMs: number;
  /** How the OAuth client authenticates at the token endpoint: HTTP Basic (Intuit) or form fields. */
  oauthClientAuth: "basic" | "body";
  endpoints(accountId: string, sandboxUrl: string | null): AccountEndpoints;
  webhooks?: PlatformWebhooks;
  /**
   * The account a sign-in connected, for platforms whose consent page chooses it (QuickBooks names
   * the company in the callback's realmId; Xero lists the grant's tenants after the token exchange).
   * Without this hook the account is the one Link asked for before sign-in. See OAuthAccountResult.
   */
  oauthAccount?(callback: OAuthCallback): Promise<OAuthAccountResult>;
  list(context: ConnectorContext, request: ListRequest): Promise<ListPage>;
  /**
   * The proxy (lib/sync/platform-session.ts, /api/v1/proxy): `path` is where the platform's API sits
   * under apiBaseUrl ("" where apiBaseUrl is the API itself), and a proxied path must stay under it;
   * `headers` authenticate a request the platform's way — the connector's own requests send the same.
   */
  proxy: {
    path: string;
    headers(context: ConnectorContext): Record<string, string>;
    /**
     * A cost-limited platform (rateLimit.cost): what a proxied answer says the request cost, to settle
     * the points the proxy reserved for it (the largest query's); null where it says nothing.
     */
    reportedCost?(body: unknown): CostOutcome | null;
  };
  /**
   * How many records a list of the object (in the window) would return, from the platform's own count
   * endpoint, for a long run's progress and estimated time left; may be approximate. Null where the
   * platform cannot count that object or window. Without this hook progress shows counts and rates only.
   */
  count?(context: ConnectorContext, request: CountRequest): Promise<number | null>;
  /**
   * Writes one record through its category's unified create or update shape (lib/unified, already
   * validated) and answers the record as the platform then holds it, in the unified model, as `list`
   * would read it. The platform's own rules (Zendesk's comment body, QuickBooks' SyncToken) are the
   * connector's. A refusal of the content is an `invalid` ConnectorError naming the unified field;
   * a record that is not there, `not_found`. `writes` says which objects and operations it takes.
   */
  write?(context: ConnectorContext, request: WriteRequest): Promise<UnifiedRecord>;
  /**
   * Deletes one record on the platform (where `writes` lists "delete" for its object). A record the
   * platform no longer has is `not_found`, which the engine takes as deleted: a retried delete is done.
   */
  remove?(context: ConnectorContext, request: DeleteRequest): Promise<void>;
  writes?: Readonly<Record<string, readonly WriteOperation[]>>;
}

export type WriteOperation = "create" | "update" | "delete";

/** One delete through the unified API (lib/sync/writes.ts). */
export interface DeleteRequest {
  object: string;
  /** The platform's id of the record. */
  id: string;
  /** As WriteRequest's: the same for a retry of the same delete. */
  idempotencyKey: string;
}

/** One write through the unified model (lib/sync/writes.ts). */
export interface WriteRequest {
  object: string;
  operation: Exclude<WriteOperation, "delete">;
  /** The platform's id of the record, for an update. */
  id?: string;
  /** The category's create or update shape, validated. */
  data: Record<string, unknown>;
  /**
   * Sent as the platform's own idempotency key where it has one (Zendesk's Idempotency-Key on a
   * ticket's creation): the same key for a retry of the same write, so a retry after a crash between
   * the platform's answer and Tributary's commit does not write twice.
   */
  idempotencyKey: string;
}

/** The parts of a connector its definition decides. */
export function fromDefinition(definition: PlatformDefinition): Pick<Connector, "definition" | "key" | "objects" | "rateLimit"> {
  return { definition, key: definition.key, objects: definition.objects, rateLimit: definition.rateLimit };
}

/** One platform, whole: the three parts of its folder. */
export interface Platform {
  definition: PlatformDefinition;
  connector: Connector;
  sandbox: SandboxPlatform;
}

/**
 * The request's filters, once each is one its object declares (a connector answering an undeclared
 * filter with every record would hand a sync job far more than it asked for).
 */
export function declaredFilters(definition: PlatformDefinition, request: ListRequest): Readonly<Record<string, string>> {
  const filters = request.filters ?? {};
  const declared = definition.objects.find((object) => object.key === request.object)?.filters ?? [];
  for (const name of Object.keys(filters)) {
    if (!declared.some((filter) => filter.name === name))
      throw new ConnectorError("permanent", `${definition.name} cannot filter ${request.object} by "${name}"`);
  }
  return filters;
}
