// Every lifecycle of the product, declared once as data: its statuses, which are active (work is
// owed) and which final (nothing more happens), the moves allowed between them, and the event a move
// into a status emits (the code that writes the move emits `emits[to]`). Code that asks
// "is this run still going?", SQL that filters active runs, and a write that moves a status all read
// these tables; a move that is not in its table is refused (IllegalTransitionError).
//
// The names are the database's enums (prisma/schema.prisma). Runs speak one vocabulary: a sync run
// and a sync job run are both queued, running, rate_limited, then succeeded, failed or cancelled
// (Truto's job runs say created/completed/stopped; the README maps them for users who move over).
import { Prisma } from "@/lib/generated/prisma/client";
import type { ConnectionHealth, ConnectionStage, DeliveryStatus, RunStatus } from "@/lib/generated/prisma/enums";

export class IllegalTransitionError extends Error {
  constructor(
    readonly lifecycle: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${lifecycle} cannot move from ${from} to ${to}`);
    this.name = "IllegalTransitionError";
  }
}

export interface Lifecycle<S extends string> {
  name: string;
  statuses: readonly S[];
  /** Statuses that still owe work (a worker claims them, a page shows them as running). */
  active: readonly S[];
  /** Statuses nothing moves out of. */
  final: readonly S[];
  isActive(status: string): boolean;
  isFinal(status: string): boolean;
  /** Whether `from` may move to `to` (staying put is not a move). */
  canMove(from: S, to: S): boolean;
  /** Throws IllegalTransitionError unless `from` may move to `to`. */
  assertMove(from: S, to: S): void;
  /**
   * The statuses that may move to `to`: a write's guard (`where status in …`), so a row that moved
   * meanwhile (a delivery cancelled while its attempt was in flight, a run stopped) is left as it is.
   */
  into(to: S): S[];
}

/** `lifecycle<Status>()(name, spec)`: the statuses are the database enum's, the events are inferred as written. */
const lifecycle =
  <S extends string>() =>
  <const E extends Partial<Record<S, string>> = Record<never, never>>(
    name: string,
    spec: { active: readonly S[]; final: readonly S[]; moves: Readonly<Record<S, readonly S[]>>; emits?: E },
  ): Lifecycle<S> & { emits: E } => {
    const statuses = Object.keys(spec.moves) as S[];
    for (const status of spec.final) {
      if (spec.moves[status].length > 0) throw new Error(`${name}: final status ${status} has moves`);
    }
    const active = new Set<string>(spec.active);
    const final = new Set<string>(spec.final);
    const canMove = (from: S, to: S) => spec.moves[from]?.includes(to) ?? false;
    return {
      name,
      emits: spec.emits ?? ({} as E),
      statuses,
      active: spec.active,
      final: spec.final,
      isActive: (status) => active.has(status),
      isFinal: (status) => final.has(status),
      canMove,
      assertMove(from, to) {
        if (!canMove(from, to)) throw new IllegalTransitionError(name, from, to);
      },
      into: (to) => statuses.filter((from) => canMove(from, to)),
    };
  };

/** A run's statuses and moves, one vocabulary for both kinds of run. A rate-limited run resumes; a cancelled one never ran to its end. */
const RUN = {
  active: ["queued", "running", "rate_limited"],
  final: ["succeeded", "failed", "cancelled"],
  moves: {
    queued: ["running", "cancelled", "failed"],
    running: ["rate_limited", "succeeded", "failed", "cancelled"],
    rate_limited: ["running", "cancelled", "failed"],
    succeeded: [],
    failed: [],
    cancelled: [],
  },
} as const satisfies { active: readonly RunStatus[]; final: readonly RunStatus[]; moves: Record<RunStatus, readonly RunStatus[]> };

/** A sync of one connection (lib/sync/runner.ts). */
export const SYNC_RUN = lifecycle<RunStatus>()("A sync run", RUN);

/** A run of a sync job (lib/jobs/run-stream.ts): cancelled by a member, by the receiver (400) or by its own limits. */
export const SYNC_JOB_RUN = lifecycle<RunStatus>()("A sync job run", {
  ...RUN,
  // Each sent to the run's endpoint in its stream (lib/jobs/run-stream.ts); a run cancelled while still queued sends nothing.
  // The names are Truto's (sync_job_run:completed …), as SYNC_COMPLETED ends a sync run that succeeded.
  emits: { running: "SYNC_JOB_RUN_STARTED", succeeded: "SYNC_JOB_RUN_COMPLETED", failed: "SYNC_JOB_RUN_FAILED", cancelled: "SYNC_JOB_RUN_STOPPED" },
});

/**
 * A write queued with response_mode=async (lib/sync/async-writes.ts). One that waits to be tried again
 * (the platform did not answer) stays running, with resume_at set; a rate-limited one resumes.
 */
export const ASYNC_WRITE = lifecycle<RunStatus>()("An asynchronous write", {
  ...RUN,
  emits: { succeeded: "WRITE_COMPLETED", failed: "WRITE_FAILED" },
});

/** A webhook delivery (lib/webhooks/deliver.ts): a failed or cancelled one is pending again when resent or replayed. */
export const DELIVERY = lifecycle<DeliveryStatus>()("A webhook delivery", {
  active: ["pending"],
  final: [],
  moves: {
    pending: ["succeeded", "failed", "cancelled"],
    succeeded: ["pending"],
    failed: ["pending"],
    cancelled: ["pending"],
  },
});

/**
 * A connection's health (lib/sync/health.ts, DESIGN.md section 2). A sync runs only while HEALTHY or
 * UNHEALTHY, so only those move on a run's outcome; re-linking mends any state and re-enabling mends
 * DISABLED; a member may disable a connection whatever its health.
 */
export const CONNECTION_HEALTH = lifecycle<ConnectionHealth>()("A connection's health", {
  active: ["HEALTHY", "UNHEALTHY"],
  final: [],
  moves: {
    HEALTHY: ["UNHEALTHY", "NEEDS_UPDATE", "DISABLED"],
    UNHEALTHY: ["HEALTHY", "NEEDS_UPDATE", "DISABLED"],
    NEEDS_UPDATE: ["HEALTHY", "DISABLED"],
    DISABLED: ["HEALTHY"],
  },
  emits: { HEALTHY: "CONNECTION_UPDATED", UNHEALTHY: "CONNECTION_ERROR", NEEDS_UPDATE: "CONNECTION_NEEDS_UPDATE", DISABLED: "CONNECTION_DISABLED" },
});

/** A connection's stage (lib/sync/runner.ts): the first batch, the rest of the history, then incremental syncs. */
export const CONNECTION_STAGE = lifecycle<ConnectionStage>()("A connection's stage", {
  active: ["INITIAL_SYNC", "HISTORICAL_SYNC"],
  final: [],
  moves: {
    INITIAL_SYNC: ["HISTORICAL_SYNC", "ONGOING"],
    // Also when the configuration drops the batches still to fetch (lib/sync/planner.ts).
    HISTORICAL_SYNC: ["ONGOING"],
    ONGOING: [],
  },
});

/** Statuses as an SQL list of literals, `('queued', 'running')`: a partial index's predicate matches it, as it would not a parameter. */
export function sqlList(statuses: readonly string[]): Prisma.Sql {
  for (const status of statuses) if (!/^[A-Za-z_]+$/.test(status)) throw new Error(`Not a status: ${status}`);
  return Prisma.raw(`(${statuses.map((status) => `'${status}'`).join(", ")})`);
}
