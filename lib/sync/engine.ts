// What the sync engine runs with: the database, where the sandbox platforms are, the HTTP client, the
// clock, the shared rate limiter and the tunables. The embedded worker, the Inngest functions, the
// tests and the benchmarks each build one; everything in lib/sync takes it as its first argument.
import { getDb, type Db } from "@/lib/db/client";
import { sharedBuckets } from "@/lib/db/shared-bucket";
import { ConfigError } from "@/lib/config";
import type { RequestRate } from "@/lib/platforms/definition";
import { RequestLimiter } from "./limiter";

export interface EngineOptions {
  /** Transient errors a platform request is retried after before it fails (platform-session.ts: exponential backoff with jitter). */
  maxTransientRetries: number;
  /** First backoff; doubles per retry (transientBackoffMs). */
  retryBaseMs: number;
  /** A Retry-After up to this long is waited out inside the run; longer ones pause the run. */
  inlineRateLimitWaitMs: number;
  /** Consecutive failed runs before a connection is disabled (`repeated_failures`). */
  maxConsecutiveFailures: number;
  /** A running run without progress for this long is stuck. */
  stuckAfterMs: number;
  /** Per-request timeout. */
  requestTimeoutMs: number;
  /** Delay before a failed batch or incremental run is tried again, by consecutive failures (capped at the last). */
  failureBackoffMs: readonly number[];
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  maxTransientRetries: 4,
  retryBaseMs: 500,
  inlineRateLimitWaitMs: 10_000,
  maxConsecutiveFailures: 5,
  stuckAfterMs: 30 * 60_000,
  requestTimeoutMs: 30_000,
  failureBackoffMs: [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000],
};

export interface SyncEngine {
  db: Db;
  /** Base URL of the sandbox platforms; connections of the sandbox environment talk to them. */
  sandboxUrl: string | null;
  fetch: typeof fetch;
  /** The engine's notion of now (windows, updated_since, schedules); tests align it with the sandbox's clock. */
  clock: () => number;
  limiter: RequestLimiter;
  options: EngineOptions;
  /** Public base URL of this Tributary, for re-link URLs in events. */
  appUrl: string;
  /**
   * The embedded worker's lease owner id: every page and run outcome is written only while this
   * owner holds the connection's lease (lib/sync/lease.ts). Null under Inngest and in direct calls.
   */
  leaseOwner: string | null;
}

export function createSyncEngine(input: { db: Db } & Partial<Omit<SyncEngine, "db" | "options">> & { options?: Partial<EngineOptions> }): SyncEngine {
  return {
    db: input.db,
    sandboxUrl: input.sandboxUrl ?? process.env.TRIBUTARY_SANDBOX_URL ?? null,
    fetch: input.fetch ?? fetch,
    clock: input.clock ?? Date.now,
    limiter: input.limiter ?? new RequestLimiter(),
    options: { ...DEFAULT_ENGINE_OPTIONS, ...input.options },
    appUrl: input.appUrl ?? process.env.NEXTAUTH_URL ?? "http://localhost:3000",
    leaseOwner: input.leaseOwner ?? null,
  };
}

// One engine per process for the app and the worker (its limiter's fair queues are shared by every
// run in the process), surviving Next.js dev reloads like the database client.
const holder = globalThis as unknown as { tributaryEngine?: SyncEngine };

/** Makes `engine` the process's engine: for a host that builds its own (the worker script, tests). */
export function provideEngine(engine: SyncEngine): void {
  holder.tributaryEngine = engine;
}

export function getEngine(): SyncEngine {
  if (!holder.tributaryEngine) {
    const db = getDb();
    holder.tributaryEngine = createSyncEngine({ db, limiter: sharedLimiter(db) });
  }
  return holder.tributaryEngine;
}

/**
 * The limiter of a process that serves the app or syncs: connections' buckets and the platform
 * budgets of TRIBUTARY_PLATFORM_BUDGETS live in `db`, spent by every process on it.
 */
export function sharedLimiter(db: Db): RequestLimiter {
  return new RequestLimiter({ platformBudgets: parsePlatformBudgets(process.env.TRIBUTARY_PLATFORM_BUDGETS), buckets: sharedBuckets(db) });
}

/**
 * TRIBUTARY_PLATFORM_BUDGETS="shopify=100,zendesk=20": requests per second one platform may receive
 * across all its connections and every process (an app-wide limit), shared fairly between them.
 */
export function parsePlatformBudgets(value: string | undefined): Record<string, RequestRate> {
  const budgets: Record<string, RequestRate> = {};
  for (const part of (value ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([a-z0-9_]+)=(\d+(?:\.\d+)?)$/.exec(part);
    if (!match || Number(match[2]) <= 0) throw new ConfigError(`TRIBUTARY_PLATFORM_BUDGETS: "${part}" is not platform=requests_per_second (e.g. shopify=100)`);
    budgets[match[1]] = { requestsPerSecond: Number(match[2]), burst: Math.max(1, Math.floor(Number(match[2]))) };
  }
  return budgets;
}
