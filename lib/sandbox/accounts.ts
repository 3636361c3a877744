// Sandbox accounts (a store, a company, a help desk) and what the control API can do to them:
// credentials, faults, webhooks. In memory: an account is its seed and parameters plus its changes.
import { randomBytes, randomUUID } from "node:crypto";
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
  /** The app the token was issued to, when known (an OAuth exchange; Xero's JWT names it). */
  clientId?: string;
  /**
   * The consent the token belongs to. One consent may cover several accounts of a platform (Xero's
   * tenants): the same token is then valid for each, and a refresh rotates it for all of them.
   */
  grant?: Grant;
  /** How this token's successors are made; absent on tokens issued before grants existed (the defaults). */
  policy?: TokenPolicy;
  /** When the refresh token expires if it is not used; null: never. */
  refreshExpiresAt?: number | null;
  /** Set once the refresh token was used: when, and the refresh token of the pair that replaced it. */
  rotatedAt?: number;
  successor?: string;
}

/** One consent: who gave it, for which accounts of one platform. */
export interface Grant {
  id: string;
  platform: string;
  /** The accounts' ids, in the order they were granted; disconnecting one removes it here. */
  accounts: string[];
  /** The sign-in that made the grant (Xero's authentication_event_id / authEventId). */
  authEventId: string;
  /** The platform user who consented (Xero's xero_userid). */
  userId: string;
  createdAt: number;
  /** When an account joined the grant (Xero's connection createdDateUtc), by account id. */
  connectedAt: Record<string, number>;
}

/** How a platform's tokens live and rotate. */
export interface TokenPolicy {
  /** How long an access token lives (Xero: 30 minutes; the default, an hour). */
  accessTtlMs: number;
  /**
   * How long a refresh token that was just used still answers, with the same successor, so a client
   * whose answer was lost can retry (Xero: 30 minutes). 0: a refresh token works once.
   */
  refreshGraceMs: number;
  /** How long an unused refresh token lives (Xero: 60 days); null: until revoked. */
  refreshTtlMs: number | null;
}

/** Makes the access token's text, for platforms whose tokens carry claims (Xero's JWTs). */
export type AccessTokenMinter = (token: Omit<Token, "accessToken">) => string;

export interface TokenOptions {
  policy?: TokenPolicy;
  mint?: AccessTokenMinter;
  clientId?: string;
  /** The consent's sign-in and user; fresh ones when absent. */
  authEventId?: string;
  userId?: string;
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

/** How long access tokens live unless the platform says otherwise; refresh tokens do not expire until revoked. */
export const ACCESS_TOKEN_TTL_MS = 3600 * 1000;

export const DEFAULT_TOKEN_POLICY: TokenPolicy = { accessTtlMs: ACCESS_TOKEN_TTL_MS, refreshGraceMs: 0, refreshTtlMs: null };

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
    // A grant's token is saved with each of its accounts: brought back as one object, so a refresh
    // or a revocation through any account reaches all of them.
    const restored = new Map<string, Token>();
    const grants = new Map<string, Grant>();
    for (const saved of snapshots) {
      if (!this.platforms.has(saved.platform)) continue;
      const account = this.create(saved);
      account.closed = saved.closed;
      account.faults = { ...NO_FAULTS, ...saved.faults };
      for (const saved_ of saved.tokens) {
        const token = restored.get(saved_.accessToken) ?? saved_;
        restored.set(token.accessToken, token);
        if (token.grant) token.grant = grants.get(token.grant.id) ?? grants.set(token.grant.id, token.grant).get(token.grant.id);
        account.tokens.set(token.accessToken, token);
        if (!token.revoked || token.rotatedAt !== undefined) account.refreshTokens.set(token.refreshToken, token);
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

  /**
   * Issues an access + refresh token pair, as an OAuth token exchange does. Several accounts (of one
   * platform): one grant, the same token valid for each of them.
   */
  issueToken(accounts: SandboxAccount | SandboxAccount[], scopes: string[], clientSecret?: string, options: TokenOptions = {}): Token {
    const list = Array.isArray(accounts) ? accounts : [accounts];
    if (list.length === 0) throw new Error("A token needs at least one account");
    const platform = list[0].platform.key;
    if (list.some((a) => a.platform.key !== platform)) throw new Error("A grant's accounts are of one platform");
    const now = this.clock();
    const grant: Grant = {
      id: randomUUID(),
      platform,
      accounts: list.map((a) => a.id),
      authEventId: options.authEventId ?? randomUUID(),
      userId: options.userId ?? randomUUID(),
      createdAt: now,
      connectedAt: Object.fromEntries(list.map((a) => [a.id, now])),
    };
    return this.mint(grant, scopes, { clientSecret, clientId: options.clientId, policy: options.policy ?? DEFAULT_TOKEN_POLICY, mint: options.mint });
  }

  /** A token pair for a grant, stored with each of its accounts. */
  private mint(grant: Grant, scopes: string[], input: { clientSecret?: string; clientId?: string; policy: TokenPolicy; mint?: AccessTokenMinter }): Token {
    const now = this.clock();
    const base: Omit<Token, "accessToken"> = {
      clientSecret: input.clientSecret,
      clientId: input.clientId,
      refreshToken: `${grant.platform}_rt_${randomBytes(18).toString("base64url")}`,
      expiresAt: now + input.policy.accessTtlMs,
      refreshExpiresAt: input.policy.refreshTtlMs === null ? null : now + input.policy.refreshTtlMs,
      scopes,
      revoked: false,
      grant,
      policy: input.policy,
    };
    const token: Token = { ...base, accessToken: input.mint ? input.mint(base) : `${grant.platform}_at_${randomBytes(18).toString("base64url")}` };
    for (const account of this.grantAccounts(grant)) {
      account.tokens.set(token.accessToken, token);
      account.refreshTokens.set(token.refreshToken, token);
    }
    return token;
  }

  /** The grant's accounts that still exist. */
  grantAccounts(grant: Grant): SandboxAccount[] {
    return grant.accounts.map((id) => this.get(grant.platform, id)).filter((a): a is SandboxAccount => a !== undefined);
  }

  /**
   * A new pair for a refresh token, for every account of its grant; the old access token stops
   * working. Within the policy's grace period the used refresh token answers again with the same
   * successor (a client whose answer was lost retries); after it, or once revoked, null.
   */
  refresh(account: SandboxAccount, refreshToken: string, mint?: AccessTokenMinter): Token | null {
    const old = account.refreshTokens.get(refreshToken);
    if (!old) return null;
    const now = this.clock();
    const policy = old.policy ?? DEFAULT_TOKEN_POLICY;
    if (old.rotatedAt !== undefined) {
      const successor = old.successor ? account.refreshTokens.get(old.successor) : undefined;
      if (now < old.rotatedAt + policy.refreshGraceMs && successor && !successor.revoked) return successor;
      this.forgetRefresh(old);
      return null;
    }
    if (old.revoked) return null;
    if (old.refreshExpiresAt != null && old.refreshExpiresAt <= now) {
      this.forgetRefresh(old);
      return null;
    }
    const grant = old.grant ?? this.legacyGrant(account, old);
    const token = this.mint(grant, old.scopes, { clientSecret: old.clientSecret, clientId: old.clientId, policy, mint });
    old.revoked = true;
    old.rotatedAt = now;
    old.successor = token.refreshToken;
    if (policy.refreshGraceMs <= 0) this.forgetRefresh(old);
    return token;
  }

  /** A token issued before grants existed (a snapshot): a grant of its one account. */
  private legacyGrant(account: SandboxAccount, token: Token): Grant {
    const now = this.clock();
    token.grant = {
      id: randomUUID(),
      platform: account.platform.key,
      accounts: [account.id],
      authEventId: randomUUID(),
      userId: randomUUID(),
      createdAt: now,
      connectedAt: { [account.id]: now },
    };
    return token.grant;
  }

  private forgetRefresh(token: Token): void {
    for (const account of token.grant ? this.grantAccounts(token.grant) : this.list()) account.refreshTokens.delete(token.refreshToken);
  }

  /**
   * Takes one account out of a grant (Xero's DELETE /connections/{id}): the grant's tokens, past and
   * future, no longer work for it; the other accounts keep them.
   */
  disconnect(account: SandboxAccount, grant: Grant): void {
    grant.accounts = grant.accounts.filter((id) => id !== account.id);
    delete grant.connectedAt[account.id];
    for (const [value, token] of account.tokens) if (token.grant?.id === grant.id) account.tokens.delete(value);
    for (const [value, token] of account.refreshTokens) if (token.grant?.id === grant.id) account.refreshTokens.delete(value);
  }

  /** The token behind an access token, whichever account of the platform holds it. */
  findAccessToken(platform: string, value: string): Token | undefined {
    for (const account of this.list()) {
      if (account.platform.key !== platform) continue;
      const token = account.tokens.get(value);
      if (token) return token;
    }
    return undefined;
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
  checkCredential(
    account: SandboxAccount,
    credential: { kind: "token" | "api_key"; value: string } | null,
  ): "missing" | "invalid" | "expired" | "revoked" | null {
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
