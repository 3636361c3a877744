// How a connector reports a failure (types.ts names the rest of the connector interface). Its own
// file so the pieces a connector is made of (cost.ts, the connectors) and the interface that names
// them can all import it without importing each other.
/** `invalid`: the platform refused a write's content (its validation); `not_found`: the record written to does not exist there. */
export type ConnectorErrorKind = "transient" | "rate_limited" | "auth_revoked" | "account_closed" | "permanent" | "invalid" | "not_found";

/** Which allowance a rate limit is about: the per-second/points one (a 429), or the daily request allowance. */
export type RateLimitKind = "rate" | "daily";

export interface ConnectorErrorOptions {
  /** rate_limited: how long to wait (the platform's Retry-After; the end of the window for a daily limit). */
  retryAfterMs?: number;
  status?: number;
  /**
   * rate_limited: "daily" when the account's daily allowance is spent, whether the engine's count says
   * so (lib/sync/quota.ts) or the platform did (a connector that reads a daily-remaining header);
   * "rate" (the default) for a 429 or a throttled query.
   */
  limit?: RateLimitKind;
  /** invalid: the unified field the platform named, where it named one. */
  field?: string | null;
  /** The platform's own error code, where it gives one (QuickBooks' 5010 Stale Object Error). */
  code?: string;
}

/** Every failure a connector reports is classified: the engine's retries and health follow the kind. */
export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly options: ConnectorErrorOptions = {},
  ) {
    super(message);
    this.name = "ConnectorError";
  }
}
