// What the sandbox server needs to know about one emulated platform. Each platform folder
// (lib/platforms/<key>/sandbox) exports one of these; the server does auth, rate limits, faults and
// webhooks the same way for all of them, in each platform's own wire format.
import type { SandboxAccount } from "./accounts";
import type { Dataset, GroundTruthRow, ObjectDefinition, StoredRecord } from "./dataset";
import type { SandboxRequest, SandboxResponse } from "./http";
import type { OAuthServer } from "./oauth";
import type { RateLimiter } from "./rate-limit";

export interface OAuthContext {
  server: OAuthServer;
  accounts(): SandboxAccount[];
  account(id: string): SandboxAccount | undefined;
}

/** What a platform's handler may use beyond the request: its account, and a way to send webhooks. */
export interface HandlerContext {
  account: SandboxAccount;
  /** Sends an event that is not a record change (Shopify's bulk_operations/finish) to the account's webhooks for its topic. */
  notify(event: PlatformEvent): void;
}

/** A webhook the platform sends of its own accord; `sign` renders it for one subscription's secret. */
export interface PlatformEvent {
  /** Subscriptions with topics receive only events whose topic they list. */
  topic?: string;
  sign(secret: string): { headers: Record<string, string>; body: string } | null;
}

export interface SandboxPlatform {
  /** The platform's key (its definition's): the sandbox serves it under /<key>. */
  key: string;
  name: string;
  objects: ObjectDefinition[];
  /**
   * Unified object → the dataset object holding its ground truth, for every unified object read from
   * a list of its own (objects derived per parent, such as Shopify's transactions of each order, have none).
   */
  groundTruth: Readonly<Record<string, string>>;
  /** The account `npm run dev` creates on first start, so the sandbox has something to connect to. */
  demoAccount: { id: string; name: string };
  /** OAuth scopes the consent page lists. */
  scopes: string[];
  /** Whether the platform also accepts API keys (issued by the control API; Zendesk's API tokens). */
  acceptsApiKeys: boolean;
  /**
   * Splits the path after /<platform> into the account id and the API path below the account. The
   * account may also come from a header (Xero's xero-tenant-id: the tenant is not in the path).
   */
  route(path: string, headers: Record<string, string | undefined>): { accountId: string; path: string } | null;
  /** The id the control API gives a new account that names none (Xero: a tenant UUID); default `<key>-<seed>`. */
  newAccountId?(seed: number): string;
  /** Account ids the platform can route to (Xero: lower-case UUIDs), beyond the control API's slug rule; `description` explains a refusal. */
  accountIds?: { pattern: RegExp; description: string };
  /** The credential a request carries, as the platform expects it (header name and scheme). */
  credential(request: SandboxRequest): { kind: "token" | "api_key"; value: string } | null;
  /** The platform's own 401, 403 (account closed), 404, 429 and 5xx answers. */
  errors: {
    unauthorized(reason: "missing" | "invalid" | "expired" | "revoked"): SandboxResponse;
    closed(): SandboxResponse;
    /** `limit`: the endpoint limit that refused (LimitDecision.limit), absent for the account's own. */
    rateLimited(retryAfterSeconds: number, limit?: string): SandboxResponse;
    serverError(): SandboxResponse;
  };
  /** The platform's rate limiter; `scale` multiplies its allowance (burst and rate, endpoint limits too). */
  limiter(scale: number): RateLimiter;
  /**
   * The platform's OAuth endpoints at their real paths (request.path is the path after /<platform>,
   * request.baseUrl the platform's base URL); null for any other path.
   */
  oauth?(request: SandboxRequest, context: OAuthContext): SandboxResponse | null;
  /**
   * Endpoints served without the platform's credentials (Shopify's signed bulk operation result URLs),
   * at their paths after /<platform>; null for any other path.
   */
  unauthenticated?(request: SandboxRequest, context: OAuthContext): SandboxResponse | null;
  /** `context` is absent when a test calls the handler without a server. */
  handle(request: SandboxRequest, dataset: Dataset, context?: HandlerContext): SandboxResponse;
  /**
   * The webhook a change sends: topic header/payload as the platform does it, signed with `secret`;
   * null when the platform sends none for this change (Xero notifies contacts and invoices only).
   */
  webhook(
    change: { kind: "created" | "updated" | "deleted"; record: StoredRecord },
    secret: string,
    accountId: string,
  ): { headers: Record<string, string>; body: string } | null;
  /**
   * Platforms that check a webhook URL before sending to it (Xero's intent to receive): the same empty
   * notification signed correctly and signed wrongly; the receiver must answer 200 and 401.
   */
  intentToReceive?(secret: string): { valid: { headers: Record<string, string>; body: string }; invalid: { headers: Record<string, string>; body: string } };
  /** Extra columns of a ground-truth row in the platform's terms (Xero: the record's GUID and Status). */
  groundTruthColumns?(row: GroundTruthRow): Record<string, unknown>;
  /** A change's topic, for platforms whose own API subscribes webhooks by topic (SandboxAccount.webhooks topics). */
  webhookTopic?(change: { kind: "created" | "updated" | "deleted"; record: StoredRecord }): string;
}
