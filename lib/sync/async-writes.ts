// Writes answered at once (`?response_mode=async`): the request is checked as a synchronous write is
// (body, record, references: 400 or 404 before anything is queued), then kept as a `writes` row and
// answered 202 with its id. The embedded worker (a pump over the one lease, lib/queue/lease.ts) or an
// Inngest function runs it with the same writeRecord/deleteRecord a synchronous write uses, and its
// outcome is kept on the row (GET /api/v1/writes/{id}) and sent as WRITE_COMPLETED or WRITE_FAILED.
//
// The platform's idempotency key is derived from the caller's Idempotency-Key, or from the write's own
// id when it sent none, so a write run again after its worker died (its lease expired) gets the
// platform's first answer rather than writing twice. A platform over its limit makes the write wait
// (rate_limited until its Retry-After); a platform that does not answer is tried again later, up to
// MAX_ATTEMPTS; a refusal fails it at once.
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { emitEvent } from "@/lib/events/emit";
import type { AsyncWrite } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { EnvironmentKind, RunStatus } from "@/lib/generated/prisma/enums";
import { ASYNC_WRITE, sqlList } from "@/lib/lifecycles";
import type { WriteOperation } from "@/lib/platforms/types";
import { claim, claimOne } from "@/lib/queue/lease";
import type { SyncEngine } from "./engine";
import { deleteRecord, writeRecord, WriteError, type WriteInput } from "./writes";

/** A platform that did not answer is tried this many times in all before the write fails. */
export const MAX_ATTEMPTS = 5;
/** The wait before attempt n+1 after a platform that did not answer: 5 s, 10 s, 20 s, 40 s. */
const retryDelayMs = (attempts: number) => 5000 * 2 ** (attempts - 1);

export interface QueueWriteInput {
  organizationId: string;
  environment: EnvironmentKind;
  connectionId: string;
  object: string;
  operation: WriteOperation;
  recordId: string | null;
  data: Record<string, unknown>;
  /** The caller's Idempotency-Key, when it sent one. */
  idempotencyKey: string | null;
}

/** How the API shows a write (GET /api/v1/writes/{id}, the 202's body). */
export interface WriteView {
  id: string;
  status: RunStatus;
  connection_id: string;
  object: string;
  operation: string;
  record_id: string | null;
  attempts: number;
  /** The record as stored, once the write succeeded. */
  record: unknown;
  error: { error_code: string; error_message: string; field: string | null } | null;
  created_at: string;
  finished_at: string | null;
}

export function writeView(row: AsyncWrite): WriteView {
  const result = row.result as { record?: unknown } | null;
  return {
    id: row.id,
    status: row.status,
    connection_id: row.connectionId,
    object: row.object,
    operation: row.operation,
    record_id: row.recordId,
    attempts: row.attempts,
    record: result?.record ?? null,
    error: row.status === "failed" ? (row.error as WriteView["error"]) : null,
    created_at: row.createdAt.toISOString(),
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}

export async function queueWrite(db: Db, input: QueueWriteInput): Promise<AsyncWrite> {
  const id = newId("wrt");
  return db.asyncWrite.create({
    data: {
      id,
      organizationId: input.organizationId,
      environment: input.environment,
      connectionId: input.connectionId,
      object: input.object,
      operation: input.operation,
      recordId: input.recordId,
      data: input.data as Prisma.InputJsonValue,
      idempotencyKey: input.idempotencyKey ?? id,
    },
  });
}

export async function findWrite(db: Db, scope: { organizationId: string; environment: EnvironmentKind }, id: string): Promise<AsyncWrite | null> {
  return db.asyncWrite.findFirst({ where: { id, organizationId: scope.organizationId, environment: scope.environment } });
}

const DUE = Prisma.sql`w.status in ${sqlList(ASYNC_WRITE.active)} and (w.resume_at is null or w.resume_at <= now())`;

/** Leases up to `limit` due writes to `owner` (the embedded worker's pump). */
export function claimDueWrites(db: Db, input: { owner: string; limit: number; leaseMs: number }): Promise<string[]> {
  return claim(db, "writes", { ...input, due: DUE, order: Prisma.sql`w.created_at` });
}

/** Leases one write to `owner` if it is due and free (an Inngest function's run of it). */
export function claimWrite(db: Db, id: string, input: { owner: string; leaseMs: number }): Promise<boolean> {
  return claimOne(db, "writes", id, { ...input, due: DUE });
}

/**
 * Writes for the Inngest scheduler to dispatch: due ones whose lease is free. The key is the event id:
 * the same while the same attempt is due (Inngest drops an id it saw in the last 24 hours), new once
 * the row moved (an attempt ended, a wait began).
 */
export async function dueWrites(db: Db, limit: number): Promise<{ id: string; dueKey: string }[]> {
  return db.$queryRaw`
    select w.id, w.id || ':' || w.attempts || ':' || to_char(w.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') as "dueKey"
    from writes w
    where ${DUE} and (w.lease_expires_at is null or w.lease_expires_at < now())
    order by w.created_at limit ${limit}`;
}

export type WriteRunOutcome = { status: RunStatus; resumeAt: Date | null };

/** Runs one due write to its outcome, or to its next wait; a write that is not due (or gone) is left alone. */
export async function runQueuedWrite(engine: SyncEngine, id: string): Promise<WriteRunOutcome | null> {
  const { db } = engine;
  const row = await db.asyncWrite.findUnique({ where: { id } });
  if (!row || !ASYNC_WRITE.isActive(row.status)) return null;
  const now = engine.clock();
  if (row.resumeAt && row.resumeAt.getTime() > now) return { status: row.status, resumeAt: row.resumeAt };
  if (row.status !== "running") ASYNC_WRITE.assertMove(row.status, "running");
  const started = await db.asyncWrite.updateMany({ where: { id, status: row.status }, data: { status: "running", attempts: { increment: 1 } } });
  if (started.count !== 1) return null;
  const attempts = row.attempts + 1;

  try {
    const connection = await db.connection.findFirst({ where: { id: row.connectionId, deletedAt: null } });
    if (!connection?.platformAccountId) throw new WriteError("CONNECTION_NOT_SYNCING", "The connection was deleted");
    if (connection.health === "DISABLED" || connection.health === "NEEDS_UPDATE") {
      throw new WriteError(
        "CONNECTION_NOT_SYNCING",
        `The connection is ${connection.health === "DISABLED" ? "disabled" : "waiting to be re-linked (CONNECTION_NEEDS_UPDATE)"}`,
      );
    }
    const target = { id: connection.id, platform: connection.platform, platformAccountId: connection.platformAccountId, environment: connection.environment };
    const common = {
      organizationId: row.organizationId,
      environment: row.environment,
      connection: target,
      object: row.object,
      idempotencyKey: row.idempotencyKey,
    };
    const { record } =
      row.operation === "delete"
        ? await deleteRecord(engine, { ...common, id: row.recordId ?? "" })
        : await writeRecord(engine, {
            ...common,
            operation: row.operation as WriteInput["operation"],
            id: row.recordId ?? undefined,
            data: row.data as Record<string, unknown>,
            references: {},
          });
    await finish(db, row, { status: "succeeded", result: { record }, now });
    return { status: "succeeded", resumeAt: null };
  } catch (error) {
    if (!(error instanceof WriteError)) {
      // Ours, not the platform's: tried again like a platform that did not answer.
      return retryOrFail(db, row, attempts, { error_code: "INTERNAL_ERROR", error_message: "The write failed on Tributary's side", field: null }, now);
    }
    const failure = { error_code: error.code, error_message: error.publicError().message, field: error.field };
    if (error.code === "PLATFORM_RATE_LIMITED") {
      const resumeAt = new Date(now + (error.retryAfterMs ?? 1000));
      ASYNC_WRITE.assertMove("running", "rate_limited");
      await db.asyncWrite.update({ where: { id }, data: { status: "rate_limited", resumeAt, error: failure } });
      return { status: "rate_limited", resumeAt };
    }
    if (error.code === "PLATFORM_UNAVAILABLE") return retryOrFail(db, row, attempts, failure, now);
    await finish(db, row, { status: "failed", error: failure, now });
    return { status: "failed", resumeAt: null };
  }
}

async function retryOrFail(db: Db, row: AsyncWrite, attempts: number, failure: WriteView["error"], now: number): Promise<WriteRunOutcome> {
  if (attempts >= MAX_ATTEMPTS) {
    await finish(db, row, { status: "failed", error: { ...failure!, error_message: `${failure!.error_message} (after ${attempts} attempts)` }, now });
    return { status: "failed", resumeAt: null };
  }
  const resumeAt = new Date(now + retryDelayMs(attempts));
  await db.asyncWrite.update({ where: { id: row.id }, data: { resumeAt, error: failure! } });
  return { status: "running", resumeAt };
}

/** The write's outcome and its event, in one transaction. */
async function finish(
  db: Db,
  row: AsyncWrite,
  outcome: { status: "succeeded"; result: { record: unknown }; now: number } | { status: "failed"; error: NonNullable<WriteView["error"]>; now: number },
): Promise<void> {
  ASYNC_WRITE.assertMove("running", outcome.status);
  await db.$transaction(async (tx) => {
    const updated = await tx.asyncWrite.update({
      where: { id: row.id },
      data: {
        status: outcome.status,
        result: outcome.status === "succeeded" ? (outcome.result as Prisma.InputJsonValue) : Prisma.DbNull,
        error: outcome.status === "failed" ? outcome.error : Prisma.DbNull,
        resumeAt: null,
        finishedAt: new Date(outcome.now),
        leaseOwner: null,
        leaseExpiresAt: null,
      },
    });
    const view = writeView(updated);
    await emitEvent(tx, {
      organizationId: row.organizationId,
      environment: row.environment,
      connectionId: row.connectionId,
      type: ASYNC_WRITE.emits[outcome.status],
      object: row.object,
      data: {
        write_id: row.id,
        connection_id: row.connectionId,
        object: row.object,
        operation: row.operation,
        record_id: row.recordId,
        record: view.record,
        error: view.error,
      },
    });
  });
}
