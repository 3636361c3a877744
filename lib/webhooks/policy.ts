// The delivery policy (DESIGN.md section 5), as pure functions of an attempt's outcome and the clock:
// 2xx within the timeout is success; 3xx is a failure (redirects are not followed); 410 Gone disables
// the endpoint; 429, 502 and 504 slow down, honoring Retry-After; the default schedule is
// immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h with ±20% jitter, then the delivery fails; an
// endpoint failing continuously for 5 days is disabled.

/** Delay before each attempt, in seconds; the first is immediate. */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];
export const JITTER = 0.2;
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3600 * 1000;
/** Longest Retry-After honored; a longer one is capped (the schedule still ends the delivery). */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

export interface AttemptOutcome {
  /** HTTP status, or null when no response arrived (timeout, refused, DNS, SSRF guard). */
  status: number | null;
  retryAfter?: string | null;
}

export type Verdict = "succeeded" | "retry" | "gone";

export function verdict(outcome: AttemptOutcome): Verdict {
  if (outcome.status === null) return "retry";
  if (outcome.status >= 200 && outcome.status < 300) return "succeeded";
  if (outcome.status === 410) return "gone";
  return "retry";
}

/** Statuses that ask the sender to slow down: their Retry-After is honored. */
export function slowsDown(status: number | null): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

export function retryAfterMs(header: string | null | undefined, now: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, date - now));
}

/**
 * When attempt `attemptsMade + 1` should run, after `attemptsMade` attempts of which the last had
 * `outcome`; null when the schedule is exhausted. `random` in [0, 1) spreads retries by ±20%.
 */
export function nextAttemptAt(input: {
  attemptsMade: number;
  now: number;
  schedule?: readonly number[];
  outcome: AttemptOutcome;
  random?: number;
}): Date | null {
  const schedule = input.schedule?.length ? input.schedule : DEFAULT_RETRY_SCHEDULE;
  if (input.attemptsMade >= schedule.length) return null;
  const base = schedule[input.attemptsMade] * 1000;
  const jittered = base * (1 - JITTER + 2 * JITTER * (input.random ?? Math.random()));
  const asked = slowsDown(input.outcome.status) ? (retryAfterMs(input.outcome.retryAfter, input.now) ?? 0) : 0;
  return new Date(input.now + Math.max(jittered, asked));
}

/** An endpoint that has failed without a single success since `failingSince` for this long is disabled. */
export function shouldDisable(failingSince: Date | null, now: number, limitMs = DISABLE_AFTER_FAILING_MS): boolean {
  return failingSince !== null && now - failingSince.getTime() >= limitMs;
}
