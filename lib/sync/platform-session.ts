// A platform session: the one way Tributary talks to an account's platform API, used by the sync
// runner, the sync job runner, force-fetch reads and Link's API-key probe. It knows where the account's
// API is (the platform, or the sandbox's emulator for sandbox connections), opens the connection's
// credentials (refreshed under a row lock when they expire soon, credentials.ts), sends every request
// through the engine's limiter and counts it (and against the platform's daily allowance in the
// database, quota.ts, when it has one), blocks the connection for a 429's Retry-After, hands
// connectors of cost-limited platforms the account's points bucket (ConnectorContext.cost, whose
// THROTTLED answers it counts as 429s), and applies one retry policy to each page:
//   transient     retried up to engine.options.maxTransientRetries times, after transientBackoffMs
//   auth_revoked  the token may have expired early: one forced refresh, then one more try
//   rate_limited  not retried here: the caller waits out failure.retryAfterMs or pauses on it (a
//                 request over the daily allowance is refused so, with limit "daily", unsent)
//   the rest      thrown to the caller, which reads it with classifyFailure
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { getConnector } from "@/lib/platforms";
import { throttledError, UNMETERED_COST, type CostBudget } from "@/lib/platforms/cost";
import { retryAfterMs } from "@/lib/platforms/http";
import { proxyUrl } from "@/lib/platforms/proxy-url";
import {
  ConnectorError,
  type AccountEndpoints,
  type Connector,
  type ConnectorContext,
  type CountRequest,
  type ConnectorErrorKind,
  type Credentials,
  type ListPage,
  type ListRequest,
  type RateLimitKind,
  type UnifiedRecord,
  type DeleteRequest,
  type WriteRequest,
} from "@/lib/platforms/types";
import type { PlatformRequestEntry } from "@/lib/runs/request-log";
import { freshCredentials, type CredentialContext } from "./credentials";
import { dailyLimitError, takeDailyRequest } from "./quota";
import type { SyncEngine } from "./engine";

/** One account on one platform, in the environment that says whether it lives in the sandbox. */
export interface PlatformAccount {
  platform: string;
  platformAccountId: string;
  environment: EnvironmentKind;
}

/** A stored connection: its credentials are read (and refreshed) from its row, its requests share its limiter bucket. */
export interface StoredConnection extends PlatformAccount {
  id: string;
}

/**
 * Credentials not stored yet (Link checks an API key before it creates the connection): used as given
 * and never refreshed, and not rate-limited, since there is no connection whose allowance they share.
 */
export interface UnstoredAccount extends PlatformAccount {
  credentials: Credentials;
}

export type FailureKind = ConnectorErrorKind | "internal";

/** Any failure of a platform request, as the callers decide on it. */
export type PlatformFailure =
  | {
      kind: "rate_limited";
      message: string;
      status?: number;
      /** How long the platform asked to wait (1 s when it did not say), or until the daily allowance frees. */
      retryAfterMs: number;
      /** Which allowance: the per-second (or points) one, or the daily one. */
      limit: RateLimitKind;
    }
  | { kind: Exclude<FailureKind, "rate_limited">; message: string; status?: number };

/** Classifies anything a platform request threw: a connector's own kinds, anything else `internal`. */
export function classifyFailure(error: unknown): PlatformFailure {
  if (!(error instanceof ConnectorError)) return { kind: "internal", message: error instanceof Error ? error.message : String(error) };
  const { status } = error.options;
  if (error.kind === "rate_limited")
    return { kind: "rate_limited", message: error.message, status, retryAfterMs: error.options.retryAfterMs ?? 1000, limit: error.options.limit ?? "rate" };
  return { kind: error.kind, message: error.message, status };
}

/**
 * The wait before transient retry `retry` (0 for the first): base·2^retry, spread over 0.5–1.5 times
 * that so that connections which failed together (a platform's outage) do not all retry together.
 */
export function transientBackoffMs(baseMs: number, retry: number, random: () => number = Math.random): number {
  return baseMs * 2 ** retry * (0.5 + random());
}

export interface SessionOptions {
  /** Each request, once the limiter let it go (what runs count as `requests`). */
  onRequest?: () => void;
  /**
   * Each 429, and each THROTTLED answer of a cost-limited platform; the connection's limiter already
   * holds back for `retryAfterMs` (blocked after a 429, its points bucket at the platform's level after THROTTLED).
   */
  onRateLimited?: (retryAfterMs: number) => void;
  /** Each request sent, once answered (or failed without an answer): what a run's request log records (lib/runs/request-log.ts). */
  onResponse?: (entry: PlatformRequestEntry) => void;
  /** Each page request sent again: after a transient failure's backoff, or after a refresh that followed a 401. */
  onRetry?: (failure: PlatformFailure) => void;
  /** Per-request timeout; the engine's requestTimeoutMs by default. */
  timeoutMs?: number;
  /** Transient failures retried per page; the engine's maxTransientRetries by default. */
  transientRetries?: number;
}

export interface PlatformSession {
  readonly connector: Connector;
  readonly endpoints: AccountEndpoints;
  /**
   * The credentials requests are sent with: read once (and refreshed first if they expire soon),
   * then kept until a 401 refreshes them. Throws a ConnectorError (auth_revoked when there are none).
   */
  credentials(): Promise<Credentials>;
  /** One page of an object, under the retry policy; throws what the policy does not absorb. */
  list(request: ListRequest): Promise<ListPage>;
  /**
   * The platform's count of an object's records (Connector.count), or null where it has none. One
   * attempt, no retries: a count only feeds a progress estimate, so any failure is null, never the run's.
   */
  count(request: CountRequest): Promise<number | null>;
  /**
   * One request passed through to the platform's API (/api/v1/proxy): its path must stay under the
   * API's base (proxyUrl), it is authenticated the connector's way, waits for the connection's limiter
   * and daily allowance like a sync's page (and on a cost-limited platform reserves the largest query's
   * points, refunding what the platform says it cost), and after a 401 with refreshable credentials is
   * sent once more with fresh ones. The platform's answer comes back as it is, whatever its status;
   * what is thrown is a ConnectorError: rate_limited (the daily allowance, unsent), transient (no
   * answer), auth_revoked (a refresh the platform refused).
   */
  proxy(request: ProxyRequest): Promise<Response>;
  /** One write through the unified model (Connector.write); not retried after a transient failure, refreshed once after a 401. */
  write(request: WriteRequest): Promise<UnifiedRecord>;
  /** One delete (Connector.remove), sent as a write is. */
  remove(request: DeleteRequest): Promise<void>;
}

export interface ProxyRequest {
  method: string;
  /** Where under the platform's API, as the caller wrote it after /api/v1/proxy: "/tickets.json". */
  path: string;
  /** The query string to send, "" or "?…". */
  search: string;
  headers: Record<string, string>;
  body: string | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Opens a session for a connection (or for credentials not stored yet). Nothing is sent until it is used. */
export function openPlatformSession(engine: SyncEngine, target: StoredConnection | UnstoredAccount, options: SessionOptions = {}): PlatformSession {
  const connector = getConnector(target.platform);
  const endpoints = connector.endpoints(target.platformAccountId, target.environment === "sandbox" ? engine.sandboxUrl : null);
  const connectionId = "credentials" in target ? null : target.id;
  const credentialContext: CredentialContext = { db: engine.db, connector, tokenUrl: endpoints.tokenUrl, fetch: engine.fetch, now: engine.clock };
  const timeoutMs = options.timeoutMs ?? engine.options.requestTimeoutMs;
  const transientRetries = options.transientRetries ?? engine.options.maxTransientRetries;

  // The credentials in use, shared by pages in flight together (one is fetched ahead): read once, and
  // refreshed once when several meet the same 401. A failed read or refresh is dropped, to be tried again.
  const read: (force: boolean) => Promise<Credentials> =
    "credentials" in target ? async () => target.credentials : (force) => freshCredentials(credentialContext, target.id, { force });
  let held: { credentials: Promise<Credentials> } | null = null;
  const hold = (loading: Promise<Credentials>) => {
    const entry = { credentials: loading };
    held = entry;
    loading.catch(() => {
      if (held === entry) held = null;
    });
    return entry;
  };
  const current = () => held ?? hold(read(false));
  const canRefresh = (used: Credentials) => connectionId !== null && used.kind === "oauth" && used.refreshToken !== null;

  // The daily allowance is counted in the database, shared by every process and kind of work
  // (quota.ts). A request over it is not sent: its refusal is kept so that it reaches the caller as
  // itself, whatever the connector makes of an error thrown by its fetch.
  const daily = connector.rateLimit.daily;
  // What a request log needs to know of a request besides the request itself.
  type Attempt = { object: string | null; attempt: number; credentials: Credentials };
  const limitedFetch =
    (interactive: boolean, refused: { error: ConnectorError | null }, sent: Attempt): typeof fetch =>
    async (input, init) => {
      if (connectionId !== null) await engine.limiter.acquire(connector.key, connector.rateLimit, connectionId);
      if (connectionId !== null && daily) {
        const now = engine.clock();
        const take = await takeDailyRequest(engine.db, connectionId, daily, { now, interactive });
        if (!take.granted) throw (refused.error = dailyLimitError(daily, take.resumeAt, now));
      }
      options.onRequest?.();
      const started = performance.now();
      const sentAt = new Date(engine.clock());
      const log = (status: number | null, bytes: string | null, error: string | null) =>
        options.onResponse?.({
          object: sent.object,
          method: init?.method ?? (input instanceof Request ? input.method : "GET"),
          url: input instanceof Request ? input.url : String(input),
          status,
          latencyMs: performance.now() - started,
          attempt: sent.attempt,
          rateLimited: status === 429,
          bytes: bytes === null ? null : Number(bytes) || null,
          error,
          sentAt,
          secrets: sent.credentials.kind === "oauth" ? [sent.credentials.accessToken] : [sent.credentials.apiKey],
        });
      let response: Response;
      try {
        response = await engine.fetch(input, init);
      } catch (error) {
        log(null, null, error instanceof Error ? error.message : String(error));
        throw error;
      }
      log(response.status, response.headers.get("content-length"), null);
      if (response.status === 429) {
        const wait = retryAfterMs(response.headers.get("retry-after"));
        if (connectionId !== null) await engine.limiter.block(connectionId, wait);
        options.onRateLimited?.(wait);
      }
      return response;
    };

  // The account's points bucket, for platforms that limit by query cost. Keyed by the account, not the
  // connection: the platform keeps one bucket per account (Shopify: per app and store), whoever spends it.
  const costAllowance = connector.rateLimit.cost;
  const cost: CostBudget | undefined = !costAllowance
    ? undefined
    : connectionId === null
      ? UNMETERED_COST
      : {
          async take(points) {
            const account = `${target.environment}:${target.platformAccountId}`;
            const charge = await engine.limiter.takeCost(connector.key, costAllowance, account, connectionId, points);
            return {
              points,
              settle: (outcome) => charge.settle(outcome),
              throttled(status) {
                charge.settle({ actual: null, throttleStatus: status });
                const error = throttledError(points, status);
                options.onRateLimited?.(error.options.retryAfterMs!);
                return error;
              },
            };
          },
        };

  async function count(request: CountRequest): Promise<number | null> {
    if (!connector.count) return null;
    try {
      const used = await current().credentials;
      const context: ConnectorContext = {
        baseUrl: endpoints.apiBaseUrl,
        accountId: target.platformAccountId,
        credentials: used,
        fetch: limitedFetch(false, { error: null }, { object: request.object, attempt: 0, credentials: used }),
        timeoutMs,
        cost,
      };
      const total = await connector.count(context, request);
      return total !== null && Number.isSafeInteger(total) && total >= 0 ? total : null;
    } catch {
      return null;
    }
  }

  /**
   * One call of the connector under the retry policy: transient failures retried `transientRetries`
   * times after their backoff, a 401 with refreshable credentials refreshed once and sent again.
   */
  async function attempt<T>(object: string, interactive: boolean, transientRetries: number, call: (context: ConnectorContext) => Promise<T>): Promise<T> {
    let retries = 0;
    let refreshed = false;
    for (;;) {
      const holding = current();
      let used: Credentials | null = null;
      const refused: { error: ConnectorError | null } = { error: null };
      try {
        used = await holding.credentials;
        const context: ConnectorContext = {
          baseUrl: endpoints.apiBaseUrl,
          accountId: target.platformAccountId,
          credentials: used,
          fetch: limitedFetch(interactive, refused, { object, attempt: retries + (refreshed ? 1 : 0), credentials: used }),
          timeoutMs,
          cost,
        };
        return await call(context);
      } catch (thrown) {
        // A connector wraps what its fetch throws (requestJson: a network error, transient).
        const error = refused.error ?? thrown;
        const failure = classifyFailure(error);
        if (failure.kind === "transient" && retries < transientRetries) {
          await sleep(transientBackoffMs(engine.options.retryBaseMs, retries++));
          options.onRetry?.(failure);
          continue;
        }
        if (failure.kind === "auth_revoked" && !refreshed && used && canRefresh(used)) {
          refreshed = true;
          // Unless another page refreshed them already; a failed refresh is thrown as its own failure.
          if (held === holding) await hold(read(true)).credentials;
          options.onRetry?.(failure);
          continue;
        }
        throw error;
      }
    }
  }

  const list = (request: ListRequest) => attempt(request.object, request.interactive === true, transientRetries, (context) => connector.list(context, request));

  // A write is not sent again after a transient failure (it may have been applied): the caller's retry,
  // with the same idempotency key, is. A 401 refused it, so after a refresh it is sent once more.
  function write(request: WriteRequest): Promise<UnifiedRecord> {
    const writer = connector.write;
    if (!writer || !connector.writes?.[request.object]?.includes(request.operation))
      return Promise.reject(new ConnectorError("permanent", `${connector.definition.name} does not ${request.operation} ${request.object} through Tributary`));
    return attempt(request.object, true, 0, (context) => writer(context, request));
  }

  function remove(request: DeleteRequest): Promise<void> {
    const remover = connector.remove;
    if (!remover || !connector.writes?.[request.object]?.includes("delete"))
      return Promise.reject(new ConnectorError("permanent", `${connector.definition.name} does not delete ${request.object} through Tributary`));
    return attempt(request.object, true, 0, (context) => remover(context, request));
  }

  async function proxy(request: ProxyRequest): Promise<Response> {
    const url = proxyUrl(endpoints.apiBaseUrl + connector.proxy.path, request.path, request.search);
    const reportedCost = connector.proxy.reportedCost;
    let refreshed = false;
    for (;;) {
      const holding = current();
      const used = await holding.credentials;
      const refused: { error: ConnectorError | null } = { error: null };
      const context: ConnectorContext = {
        baseUrl: endpoints.apiBaseUrl,
        accountId: target.platformAccountId,
        credentials: used,
        fetch: engine.fetch,
        timeoutMs,
        cost,
      };
      const charge = cost && costAllowance && reportedCost ? await cost.take(costAllowance.maxQueryCost) : null;
      let response: Response;
      try {
        response = await limitedFetch(true, refused, { object: null, attempt: refreshed ? 1 : 0, credentials: used })(url, {
          method: request.method,
          headers: { ...request.headers, ...connector.proxy.headers(context) },
          body: request.body,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: "manual",
        });
      } catch (thrown) {
        if (refused.error) {
          charge?.settle({ actual: null, throttleStatus: null });
          throw refused.error;
        }
        const reason = thrown instanceof Error && thrown.name === "TimeoutError" ? "timed out" : thrown instanceof Error ? thrown.message : String(thrown);
        throw new ConnectorError("transient", `The platform did not answer: ${reason}`);
      }
      if (response.status === 401 && !refreshed && canRefresh(used)) {
        charge?.settle({ actual: null, throttleStatus: null });
        await response.body?.cancel().catch(() => undefined);
        refreshed = true;
        if (held === holding) await hold(read(true)).credentials;
        continue;
      }
      if (!charge || !reportedCost) return response;
      // What the query cost is in the answer: read it (a GraphQL answer, bounded by the platform), settle, pass it on.
      const text = await response.text();
      let reported: ReturnType<typeof reportedCost> = null;
      try {
        reported = reportedCost(JSON.parse(text));
      } catch {
        reported = null;
      }
      charge.settle(reported ?? { actual: null, throttleStatus: null });
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
  }

  return { connector, endpoints, credentials: () => current().credentials, list, count, write, remove, proxy };
}
