// What Inngest's limits and retries ask of a long function, shared by the sync and sync job functions:
// - a step budget: Inngest allows 1,000 steps per function run, so a function that drives work of any
//   size counts its steps and, near the budget, ends by sending the event that continues the work in
//   a new run (from the work's own checkpoints: nothing is redone, nothing ends twice);
// - fencing: each step that writes a connection's pages or a job run's progress first takes the row's
//   lease (lib/queue/lease.ts) under a name of its own, and every write it makes checks that lease, as
//   the embedded worker's do. A step Inngest retries while the first attempt still runs (a host that
//   timed out) takes the lease over: the first attempt's next write finds the lease gone and stops,
//   so the two never interleave pages.
import { randomUUID } from "node:crypto";
import { stepsPerFunction } from "@/lib/config";
import { handOver, hold, release, type LeasedTable } from "@/lib/queue/lease";
import { getEngine, type SyncEngine } from "@/lib/sync/engine";

/** Counts a function run's steps; `room(n)` says whether n more fit and still leave one to continue. */
export class StepCount {
  private used = 0;
  constructor(readonly budget: number = stepsPerFunction()) {}

  take(steps = 1): void {
    this.used += steps;
  }

  room(steps: number): boolean {
    return this.used + steps + 1 <= this.budget;
  }

  get taken(): number {
    return this.used;
  }
}

/**
 * How long a step's lease lasts past the step's own budget of pages: Inngest's latency between one
 * step and the next, and a slow last page. A function that died leaves its lease to expire this long
 * after its last step; the next scheduler tick then sends a new event for the work.
 */
export const LEASE_MARGIN_MS = 5 * 60_000;

export interface FencedEngine {
  engine: SyncEngine;
  /** The lease name this step writes under. */
  owner: string;
}

/**
 * Takes `on`'s row `id` under a new name until `leaseMs` from now, whoever held it, and gives the
 * engine whose writes are fenced by it.
 */
export async function fence(on: LeasedTable, id: string, leaseMs: number): Promise<FencedEngine> {
  const engine = getEngine();
  const owner = `inngest:${randomUUID()}`;
  await hold(engine.db, on, id, owner, new Date(Date.now() + leaseMs));
  return { engine: { ...engine, leaseOwner: owner }, owner };
}

/** Keeps a step's lease until `until` if the step still holds it (a later attempt may have taken it). */
export async function keep(on: LeasedTable, id: string, owner: string, until: Date): Promise<boolean> {
  return handOver(getEngine().db, on, id, { from: owner, to: owner, until });
}

/** Gives the lease back at a function's end, if it is still this step's. */
export async function letGo(on: LeasedTable, id: string, owner: string): Promise<void> {
  await release(getEngine().db, on, id, owner);
}
