// What the sandbox server needs to know about one emulated platform. Each platform folder
// (lib/platforms/<key>/sandbox) exports one of these; the server does auth, rate limits, faults and
// webhooks the same way for all of them, in each platform's own wire format.
import type { SandboxAccount } from "./accounts";
import type { Dataset, ObjectDefinition, StoredRecord } from "./dataset";
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
  sign(secret: string): { headers: Record<string, string>; body: string };
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
  /** Splits the path after /<platform> into the account id and the API path below the account. */
  route(path: string): { accountId: string; path: string } | null;
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
  /** The webhook a change sends: topic header/payload as the platform does it, signed with `secret`. */
  webhook(change: { kind: "created" | "updated" | "deleted"; record: StoredRecord }, secret: string, accountId: string): { headers: Record<string, string>; body: string };
  /** A change's topic, for platforms whose own API subscribes webhooks by topic (SandboxAccount.webhooks topics). */
  webhookTopic?(change: { kind: "created" | "updated" | "deleted"; record: StoredRecord }): string;
}
