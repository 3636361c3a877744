// Sandbox accounts (a store, a company, a help desk) and what the control API can do to them:
// credentials, faults, webhooks. In memory: an account is its seed and parameters plus its changes.
import { randomBytes } from "node:crypto";
import { Dataset, type DatasetSnapshot } from "./dataset";
import type { SandboxPlatform } from "./platform";
import { Unlimited, type RateLimiter } from "./rate-limit";

export interface FaultSettings {
  /** Fraction of requests answered with a 5xx. */
  errorRate: number;
  /** Added to every answer. */
  latencyMs: number;
  /** Fraction of requests that never get an answer (the client's timeout fires). */
  timeoutRate: number;
  /** Fraction of pages whose body is cut off mid-JSON. */
  malformedRate: number;
  /** The next N requests get 429 whatever the limiter says. */
  burst429: number;
}

export const NO_FAULTS: FaultSettings = { errorRate: 0, latencyMs: 0, timeoutRate: 0, malformedRate: 0, burst429: 0 };

export interface Token {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  scopes: string[];
  revoked: boolean;
  /** The secret of the app the token was issued to: platforms that sign webhooks with it (Shopify) use it. */
  clientSecret?: string;
}

/**
 * Where the account's webhooks go. Without topics (the control API's), every change; with topics (a
 * subscription made through the platform's own API), only those topics, signed with the app's secret.
 */
export interface WebhookTarget {
  url: string;
  secret: string;
  topics?: string[];
  /** The platform's id of the subscription, when it was made through the platform's API. */
  id?: string;
  createdAt?: number;
}

export interface SandboxAccount {
  platform: SandboxPlatform;
  id: string;
  name: string;
  dataset: Dataset;
  limiter: RateLimiter;
  rateLimited: boolean;
  rateLimitScale: number;
  faults: FaultSettings;
  /** Closed accounts answer 403/404 forever, as a closed store or cancelled subscription does. */
  closed: boolean;
  tokens: Map<string, Token>;
  refreshTokens: Map<string, Token>;
  apiKeys: Set<string>;
  webhooks: WebhookTarget[];
}

export interface NewAccount {
  platform: string;
  id: string;
  name: string;
  seed: number;
  size: number;
  historyMonths: number;
  rateLimited: boolean;
  /** Multiplies the platform's rate limit (0.1: a tenth of the real allowance). Default 1. */
  rateLimitScale?: number;
  /** End of the account's history; defaults to now. Kept across restarts so timestamps do not move. */
  anchor?: number;
}

/** Everything needed to bring an account back after a restart, as JSON. */
export interface AccountSnapshot extends Required<NewAccount> {
  closed: boolean;
  faults: FaultSettings;
  tokens: Token[];
  apiKeys: string[];
  webhooks: WebhookTarget[];
  dataset: DatasetSnapshot;
}

/** How long access tokens live; refresh tokens do not expire until revoked. */
export const ACCESS_TOKEN_TTL_MS = 3600 * 1000;

export class AccountRegistry {
  private readonly accounts = new Map<string, SandboxAccount>();

  constructor(
    private readonly platforms: Map<string, SandboxPlatform>,
    readonly clock: () => number = Date.now,
  ) {}

  platform(key: string): SandboxPlatform | undefined {
    return this.platforms.get(key);
  }

  platformKeys(): string[] {
    return [...this.platforms.keys()];
  }

  create(input: NewAccount): SandboxAccount {
    const platform = this.platforms.get(input.platform);
    if (!platform) throw new Error(`Unknown platform ${input.platform}`);
    const dataset = new Dataset(
      { seed: input.seed, size: input.size, historyMonths: input.historyMonths, anchor: input.anchor ?? this.clock() },
      platform.objects,
      this.clock,
    );
    const account: SandboxAccount = {
      platform,
      id: input.id,
      name: input.name,
      dataset,
      limiter: input.rateLimited ? platform.limiter(input.rateLimitScale ?? 1) : new Unlimited(),
      rateLimited: input.rateLimited,
      rateLimitScale: input.rateLimitScale ?? 1,
      faults: { ...NO_FAULTS },
      closed: false,
      tokens: new Map(),
      refreshTokens: new Map(),
      apiKeys: new Set(),
      webhooks: [],
    };
    this.accounts.set(key(input.platform, input.id), account);
    return account;
  }

  snapshot(): AccountSnapshot[] {
    return this.list().map((account) => ({
      platform: account.platform.key,
      id: account.id,
      name: account.name,
      seed: account.dataset.shape.seed,
      size: account.dataset.shape.size,
      historyMonths: account.dataset.shape.historyMonths,
      anchor: account.dataset.shape.anchor,
      rateLimited: account.rateLimited,
      rateLimitScale: account.rateLimitScale,
      closed: account.closed,
      faults: account.faults,
      tokens: [...new Set([...account.tokens.values(), ...account.refreshTokens.values()])],
      apiKeys: [...account.apiKeys],
      webhooks: account.webhooks,
      dataset: account.dataset.snapshot(),
    }));
  }

  restore(snapshots: AccountSnapshot[]): void {
    for (const saved of snapshots) {
      if (!this.platforms.has(saved.platform)) continue;
      const account = this.create(saved);
      account.closed = saved.closed;
      account.faults = { ...NO_FAULTS, ...saved.faults };
      for (const token of saved.tokens) {
        account.tokens.set(token.accessToken, token);
        if (!token.revoked) account.refreshTokens.set(token.refreshToken, token);
      }
      for (const key of saved.apiKeys) account.apiKeys.add(key);
      account.webhooks.push(...saved.webhooks);
      account.dataset.restore(saved.dataset);
    }
  }

  get(platform: string, id: string): SandboxAccount | undefined {
    return this.accounts.get(key(platform, id));
  }

  delete(platform: string, id: string): boolean {
    return this.accounts.delete(key(platform, id));
  }

  list(): SandboxAccount[] {
    return [...this.accounts.values()];
  }

  /** Issues an access + refresh token pair, as an OAuth token exchange does. */
  issueToken(account: SandboxAccount, scopes: string[], clientSecret?: string): Token {
    const token: Token = {
      clientSecret,
      accessToken: `${account.platform.key}_at_${randomBytes(18).toString("base64url")}`,
      refreshToken: `${account.platform.key}_rt_${randomBytes(18).toString("base64url")}`,
      expiresAt: this.clock() + ACCESS_TOKEN_TTL_MS,
      scopes,
      revoked: false,
    };
    account.tokens.set(token.accessToken, token);
    account.refreshTokens.set(token.refreshToken, token);
    return token;
  }

  /** A new access token for a refresh token; the old access token stops working. */
  refresh(account: SandboxAccount, refreshToken: string): Token | null {
    const old = account.refreshTokens.get(refreshToken);
    if (!old || old.revoked) return null;
    old.revoked = true;
    account.refreshTokens.delete(refreshToken);
    return this.issueToken(account, old.scopes, old.clientSecret);
  }

  /** The app was uninstalled or the grant revoked: every token of the account stops working. */
  revokeAll(account: SandboxAccount): void {
    for (const token of account.tokens.values()) token.revoked = true;
  }

  issueApiKey(account: SandboxAccount): string {
    const apiKey = `${account.platform.key}_key_${randomBytes(18).toString("base64url")}`;
    account.apiKeys.add(apiKey);
    return apiKey;
  }

  /** Why a credential is refused, or null when it is good. */
  checkCredential(account: SandboxAccount, credential: { kind: "token" | "api_key"; value: string } | null): "missing" | "invalid" | "expired" | "revoked" | null {
    if (!credential) return "missing";
    if (credential.kind === "api_key") return account.platform.acceptsApiKeys && account.apiKeys.has(credential.value) ? null : "invalid";
    const token = account.tokens.get(credential.value);
    if (!token) return "invalid";
    if (token.revoked) return "revoked";
    if (token.expiresAt <= this.clock()) return "expired";
    return null;
  }
}

function key(platform: string, id: string): string {
  return `${platform}/${id}`;
}
