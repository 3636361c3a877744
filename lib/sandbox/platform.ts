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
  handle(request: SandboxRequest, dataset: Dataset): SandboxResponse;
  /** The webhook a change sends: topic header/payload as the platform does it, signed with `secret`. */
  webhook(change: { kind: "created" | "updated" | "deleted"; record: StoredRecord }, secret: string, accountId: string): { headers: Record<string, string>; body: string };
}
