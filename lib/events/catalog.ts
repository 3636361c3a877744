// The event catalogue (DESIGN.md section 5): every `type` Tributary emits, one convention (UPPER_SNAKE).
// Webhook endpoints subscribe to types or wildcard patterns over this list.
import { objectEventNames } from "@/lib/platforms/catalog";

export { objectEventNames };

export const CONNECTION_EVENTS = [
  "CONNECTION_CREATED",
  "INITIAL_UPDATE",
  "HISTORICAL_UPDATE",
  "CONNECTION_UPDATED",
  "CONNECTION_ERROR",
  "CONNECTION_NEEDS_UPDATE",
  "CONNECTION_DISABLED",
  "CONNECTION_LINK_ERROR",
  "CONNECTION_DELETED",
] as const;

export const RUN_EVENTS = ["SYNC_COMPLETED", "SYNC_RATE_LIMITED", "BACKFILL_STARTED", "BACKFILL_COMPLETED"] as const;

export const OPERATIONAL_EVENTS = ["ENDPOINT_DISABLED", "ENDPOINT_TEST"] as const;

/** The outcome of a write answered at once (`response_mode=async`, lib/sync/async-writes.ts). */
export const WRITE_EVENTS = ["WRITE_COMPLETED", "WRITE_FAILED"] as const;

/**
 * Sync job run events (DESIGN.md section 4). They go to the one endpoint a run names, whatever its
 * subscriptions, and never through fan-out; they are listed so that patterns such as SYNC_JOB_RUN_*
 * are understood.
 */
export const JOB_EVENTS = [
  "SYNC_JOB_RUN_STARTED",
  "SYNC_JOB_RUN_RECORD",
  "SYNC_JOB_RUN_RECORD_ERROR",
  "SYNC_JOB_RUN_RATE_LIMITED",
  "SYNC_JOB_RUN_COMPLETED",
  "SYNC_JOB_RUN_FAILED",
  "SYNC_JOB_RUN_STOPPED",
] as const;

/** Events written for one endpoint (a test event, a sync job run's stream): never fanned out or replayed to others. */
export function isAddressedEvent(type: string): boolean {
  return type === "ENDPOINT_TEST" || (JOB_EVENTS as readonly string[]).includes(type);
}

/** Every event type, sorted. */
export function eventCatalogue(): string[] {
  const perObject = objectEventNames().flatMap((name) =>
    ["SYNC_STARTED", "SYNC_COMPLETED", "SYNC_FAILED", "CREATED", "UPDATED", "DELETED"].map((suffix) => `${name}_${suffix}`),
  );
  return [...CONNECTION_EVENTS, ...RUN_EVENTS, ...OPERATIONAL_EVENTS, ...WRITE_EVENTS, ...JOB_EVENTS, ...perObject].sort();
}

/** Event types are at most 27 characters long; a pattern this long is a mistake or an attack. */
export const MAX_EVENT_PATTERN_LENGTH = 100;

/**
 * A pattern with `*` wildcards (each matching any run of characters) as a matcher. Not a regular
 * expression: `**********Q` compiled to `^.*.*.*.*.*.*.*.*.*.*Q$` backtracked for 5 s against one
 * 27-character type (the catalogue's longest) on V8. This greedy match returns to the last `*` only,
 * so it takes at most pattern × type steps.
 */
export function eventPattern(pattern: string): (type: string) => boolean {
  if (!pattern.includes("*")) return (type) => type === pattern;
  return (type) => {
    let p = 0;
    let t = 0;
    let star = -1;
    let resume = 0;
    while (t < type.length) {
      if (p < pattern.length && pattern[p] === "*") {
        star = p++;
        resume = t;
      } else if (p < pattern.length && pattern[p] === type[t]) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++resume;
      } else return false;
    }
    while (pattern[p] === "*") p++;
    return p === pattern.length;
  };
}

/** Why a subscription pattern is not acceptable, or null: it must name, or match, at least one catalogue type. */
export function eventPatternProblem(pattern: string): string | null {
  if (pattern.length > MAX_EVENT_PATTERN_LENGTH)
    return `is ${pattern.length} characters long; an event type or pattern may have at most ${MAX_EVENT_PATTERN_LENGTH}`;
  if (!/^[A-Z0-9_*]+$/.test(pattern)) return `"${pattern}" is not an event type: use UPPER_SNAKE names such as ORDER_CREATED, with * as a wildcard`;
  const matches = eventPattern(pattern);
  if (!eventCatalogue().some(matches)) return pattern.includes("*") ? `"${pattern}" matches no event type` : `unknown event type "${pattern}"`;
  return null;
}
