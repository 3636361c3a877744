// Fencing for the embedded worker's leases (lib/worker): a process writes a connection's pages and
// run outcomes only while it holds the connection's unexpired lease, checked inside the same
// transaction as the write. A process that stalled past its lease (and was replaced) fails its next
// write with LeaseLostError instead of racing the new holder. Under Inngest (no leases, Inngest's
// per-connection concurrency limit instead) the engine's leaseOwner is null and nothing is checked.
import { Prisma } from "@/lib/generated/prisma/client";

export class LeaseLostError extends Error {
  constructor(readonly connectionId: string) {
    super(`This worker no longer holds the lease on connection ${connectionId}`);
    this.name = "LeaseLostError";
  }
}

/** One row when `owner` holds the connection's lease now; lock it so the lease cannot change until commit. */
export function leaseHeldSql(connectionId: string, owner: string): Prisma.Sql {
  return Prisma.sql`select 1 as held from connections where id = ${connectionId} and lease_owner = ${owner} and lease_expires_at > now() for share`;
}

/** Thrown by a run told to stop after its current page (a worker shutting down, an Inngest step ending). */
export class RunYield extends Error {
  constructor() {
    super("The run yielded after a page; it resumes from its checkpoints");
    this.name = "RunYield";
  }
}
