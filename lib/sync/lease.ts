// Fencing for the embedded worker's leases on connections (lib/queue/lease.ts): a process writes a
// connection's pages and run outcomes only while it holds the connection's unexpired lease, checked
// inside the same transaction as the write. A process that stalled past its lease (and was replaced)
// fails its next write with LeaseLostError instead of racing the new holder. Under Inngest (no leases,
// Inngest's per-connection concurrency limit instead) the engine's leaseOwner is null and nothing is checked.
import type { Prisma } from "@/lib/generated/prisma/client";
import { leaseHeldSql as heldSql } from "@/lib/queue/lease";

export class LeaseLostError extends Error {
  constructor(readonly connectionId: string) {
    super(`This worker no longer holds the lease on connection ${connectionId}`);
    this.name = "LeaseLostError";
  }
}

/** One row when `owner` holds the connection's lease now; lock it so the lease cannot change until commit. */
export function leaseHeldSql(connectionId: string, owner: string): Prisma.Sql {
  return heldSql("connections", connectionId, owner);
}

/** Thrown by a run told to stop after its current page (a worker shutting down, an Inngest step ending). */
export class RunYield extends Error {
  constructor() {
    super("The run yielded after a page; it resumes from its checkpoints");
    this.name = "RunYield";
  }
}
