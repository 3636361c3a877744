// The connector interface (DESIGN.md section 3): what the sync engine needs from one third-party API.
// A connector is one folder under lib/platforms/<key>; it knows the platform's auth, objects, paging,
// errors and rate limits, and maps its records to Tributary's unified models. It never touches the
// database: the engine hands it credentials and a fetch, and stores what it returns.

export type Credentials =
  | { kind: "oauth"; accessToken: string; refreshToken: string | null; expiresAt: number | null; scopes: string[] }
  | { kind: "api_key"; apiKey: string };

export interface ConnectorContext {
  /** The platform API's base, e.g. https://{shop}.myshopify.com or the sandbox's /shopify/{shop}. */
  baseUrl: string;
  credentials: Credentials;
  fetch: typeof fetch;
  /** Per-request timeout; a request that takes longer is a transient error. */
  timeoutMs?: number;
}

export interface ObjectSpec {
  /** Unified object key, e.g. "orders". */
  key: string;
  /** Can a page be limited to records created in a time window (initial and historical batches)? */
  supportsWindow: boolean;
  /** Can a page be limited to records updated since a time (incremental syncs)? */
  supportsUpdatedSince: boolean;
}

export interface ListRequest {
  object: string;
  /** Where the previous page ended; null for the first page. Opaque to the engine. */
  cursor: string | null;
  /** Records created in [start, end); null ends are open. */
  window?: { start: Date | null; end: Date | null };
  updatedSince?: Date | null;
  /**
   * Narrowing filters the platform applies itself (sync jobs: a ticket's comments, an organization's
   * users); only names the connector declares in `Connector.filters` for the object.
   */
  filters?: Readonly<Record<string, string>>;
  /** Records per page the caller would like (sync jobs keep their webhook bodies small); a hint. */
  pageSize?: number;
}

/** A filter a connector accepts for one object (ListRequest.filters). */
export interface FilterSpec {
  name: string;
  description: string;
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

export type ConnectorErrorKind = "transient" | "rate_limited" | "auth_revoked" | "account_closed" | "permanent";

/** Every failure a connector reports is classified: the engine's retries and health follow the kind. */
export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly options: { retryAfterMs?: number; status?: number } = {},
  ) {
    super(message);
    this.name = "ConnectorError";
  }
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

export interface Connector {
  key: string;
  objects: ObjectSpec[];
  /** The platform's documented allowance, which the engine's limiter keeps under. */
  rateLimit: { requestsPerSecond: number; burst: number };
  /**
   * How far before the last successful run's start an incremental sync asks for changes: covers
   * clock skew, and platforms that hold back the newest changes (Zendesk's exports omit the last minute).
   */
  incrementalOverlapMs: number;
  /** How the OAuth client authenticates at the token endpoint: HTTP Basic (Intuit) or form fields. */
  oauthClientAuth: "basic" | "body";
  endpoints(accountId: string, sandboxUrl: string | null): AccountEndpoints;
  webhooks?: PlatformWebhooks;
  /** Filters each object accepts beyond the time filters every object has (sync jobs' queries). */
  filters?: Readonly<Record<string, readonly FilterSpec[]>>;
  list(context: ConnectorContext, request: ListRequest): Promise<ListPage>;
}
