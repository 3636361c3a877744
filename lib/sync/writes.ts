// Writes through the unified models (ISSUE 21's first slice): a team creates or updates a record of its
// customer's platform in the category's create/update shape (lib/unified), and Tributary sends it with
// the connection's credentials, limiter and refresh (the platform session), stores the record the
// platform answered at once — the same upsert a sync page uses, so the next incremental sync finds it
// unchanged — with its <OBJECT>_CREATED/_UPDATED event, and serves it as a read would.
//
// Idempotency spans the crash window. The API's Idempotency-Key (lib/api/idempotency.ts) replays a
// finished write's answer; for a write whose process died between the platform's answer and our commit
// (the claim is taken over once abandoned), the platform's own idempotency key is derived from the
// caller's (platformKey), so the retry sends the same key and the platform answers the record it made
// instead of making a second. Where a platform has no such key for an operation (Zendesk's ticket
// updates), a retry in that window repeats the update; a comment on it may be added twice.
import { createHash, randomUUID } from "node:crypto";
import { rawPool } from "@/lib/db/client";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { changeHealth, relinkUrl, type HealthChange } from "./health";
import { classifyFailure, openPlatformSession } from "./platform-session";
import { listRecords, type RecordView } from "./reads";
import { storeDeletedRecord, storeWrittenRecord } from "./process-page";
import type { SyncEngine } from "./engine";
import type { WriteOperation } from "@/lib/platforms/types";
import { CodedError, retryAfterHeader, type PublicError } from "@/lib/errors";

export interface WriteInput {
  organizationId: string;
  environment: EnvironmentKind;
  connection: { id: string; platform: string; platformAccountId: string; environment: EnvironmentKind };
  object: string;
  operation: Exclude<WriteOperation, "delete">;
  /** For an update: the platform's id of the record, or Tributary's (rec_…). */
  id?: string;
  /** The create or update shape, validated by the caller. */
  data: Record<string, unknown>;
  /**
   * The fields of `data` that name other records, and the object each names: each must be a record
   * Tributary holds. `lines[].account_id` is the field of each element of the array `lines`.
   */
  references: Readonly<Record<string, string>>;
  /** The caller's Idempotency-Key, if it sent one. */
  idempotencyKey: string | null;
}

export type WriteErrorCode =
  "INVALID_FIELD" | "NOT_FOUND" | "PLATFORM_REFUSED_WRITE" | "PLATFORM_RATE_LIMITED" | "PLATFORM_UNAVAILABLE" | "CONNECTION_NOT_SYNCING";

export class WriteError extends CodedError {
  constructor(
    readonly code: WriteErrorCode,
    message: string,
    readonly field: string | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "WriteError";
  }
  publicError(): PublicError {
    const headers = this.retryAfterMs === null ? undefined : retryAfterHeader(this.retryAfterMs);
    const message = this.code === "INVALID_FIELD" && this.field ? `${this.field}: ${this.message}` : this.message;
    return { code: this.code, message, field: this.field, headers };
  }
}

/** The key the platform gets: the same for a retry with the same Idempotency-Key, another for anything else. */
export function platformKey(input: Pick<WriteInput, "organizationId" | "environment" | "connection" | "idempotencyKey">): string {
  if (input.idempotencyKey === null) return randomUUID();
  return createHash("sha256")
    .update(JSON.stringify([input.organizationId, input.environment, input.connection.id, input.idempotencyKey]))
    .digest("base64url")
    .slice(0, 40);
}

/**
 * What can be known before anything is sent: an update's record is one Tributary holds (404 otherwise),
 * and each reference names a record it holds (400 naming the field). Answers the platform's id of the
 * record an update names. An asynchronous write is checked here before it is queued.
 */
export async function checkWrite(engine: SyncEngine, input: WriteInput): Promise<string | undefined> {
  let externalId: string | undefined;
  if (input.operation === "update") {
    const found = await findRecord(engine, input, input.id ?? "");
    if (!found) throw new WriteError("NOT_FOUND", `No ${input.object} record ${input.id} in this connection`);
    externalId = found.id;
  }
  await checkReferences(engine, input);
  return externalId;
}

/** Writes one record and answers it as stored, with whether Tributary stored it new. */
export async function writeRecord(engine: SyncEngine, input: WriteInput): Promise<{ record: RecordView; stored: "new" | "changed" | "unchanged" }> {
  const { db } = engine;
  const externalId = await checkWrite(engine, input);

  const session = openPlatformSession(engine, { ...input.connection });
  let written;
  try {
    written = await session.write({ object: input.object, operation: input.operation, id: externalId, data: input.data, idempotencyKey: platformKey(input) });
  } catch (error) {
    await followCredentials(engine, input, error);
    throw writeFailure(error, input);
  }
  const scope = { organizationId: input.organizationId, environment: input.environment, connectionId: input.connection.id, object: input.object };
  const environment = await db.environment.findUnique({ where: { organizationId_kind: { organizationId: input.organizationId, kind: input.environment } } });
  const stored = await storeWrittenRecord(db, scope, written, { keepPlatformData: environment?.keepPlatformData ?? true });
  const record = await findRecord(engine, input, written.externalId);
  if (!record) throw new Error(`The written ${input.object} ${written.externalId} was not stored`);
  return { record, stored: stored.inserted ? "new" : stored.changed ? "changed" : "unchanged" };
}

export type DeleteInput = Pick<WriteInput, "organizationId" | "environment" | "connection" | "object" | "idempotencyKey"> & { id: string };

/**
 * Deletes one record on the platform and marks it deleted in Tributary with its <OBJECT>_DELETED event,
 * answering the record as it now reads (deleted_at set). A record the platform no longer has counts as
 * deleted, so a delete retried after a crash, or sent twice, ends the same way; one Tributary holds as
 * deleted already answers as it is, with nothing sent.
 */
export async function deleteRecord(engine: SyncEngine, input: DeleteInput): Promise<{ record: RecordView }> {
  const found = await checkDelete(engine, input);
  if (found.deleted_at !== null) return { record: found };
  try {
    await openPlatformSession(engine, { ...input.connection }).remove({ object: input.object, id: found.id, idempotencyKey: platformKey(input) });
  } catch (error) {
    if (classifyFailure(error).kind !== "not_found") {
      await followCredentials(engine, input, error);
      throw writeFailure(error, input);
    }
  }
  await storeDeletedRecord(
    engine.db,
    { organizationId: input.organizationId, environment: input.environment, connectionId: input.connection.id, object: input.object },
    found.id,
  );
  const record = await findRecord(engine, input, found.id, { includeDeleted: true });
  return { record: record! };
}

/** The record a delete names, deleted or not; 404 when Tributary holds no such record. */
export async function checkDelete(engine: SyncEngine, input: DeleteInput): Promise<RecordView> {
  const found = await findRecord(engine, input, input.id, { includeDeleted: true });
  if (!found) throw new WriteError("NOT_FOUND", `No ${input.object} record ${input.id} in this connection`);
  return found;
}

async function findRecord(
  engine: SyncEngine,
  input: Pick<WriteInput, "organizationId" | "environment" | "connection" | "object">,
  id: string,
  options: { includeDeleted?: boolean } = {},
): Promise<RecordView | null> {
  const page = await listRecords(engine, {
    organizationId: input.organizationId,
    environment: input.environment,
    connectionId: input.connection.id,
    object: input.object,
    id,
    limit: 1,
    beforeReady: true,
    includeDeleted: options.includeDeleted,
  });
  return page.records[0] ?? null;
}

/** Each reference names a live record Tributary holds of this connection: otherwise 400 naming the field. */
async function checkReferences(engine: SyncEngine, input: WriteInput): Promise<void> {
  const named = Object.entries(input.references).flatMap(([path, object]) => namedAt(input.data, path).map((n) => ({ ...n, object })));
  if (!named.length) return;
  // One statement for all of them: the pairs Tributary holds live.
  const { rows } = await rawPool(engine.db).query<{ object: string; external_id: string }>(
    `select object, external_id from records
     where connection_id = $1 and deleted_at is null and (object, external_id) in (select * from unnest($2::text[], $3::text[]))`,
    [input.connection.id, named.map((n) => n.object), named.map((n) => n.value)],
  );
  const held = new Set(rows.map((row) => `${row.object}\u0000${row.external_id}`));
  const missing = named.find((n) => !held.has(`${n.object}\u0000${n.value}`));
  if (missing) throw new WriteError("INVALID_FIELD", `no ${missing.object} record ${missing.value} in this connection`, missing.field);
}

/** The ids a reference path names in a body, each with the field it sits in (`lines[2].account_id`). */
function namedAt(data: Record<string, unknown>, path: string): { field: string; value: string }[] {
  const [head, ...rest] = path.split("[].");
  const value = data[head];
  if (!rest.length) return typeof value === "string" ? [{ field: head, value }] : [];
  if (!Array.isArray(value)) return [];
  return value.flatMap((element, index) =>
    typeof element === "object" && element !== null
      ? namedAt(element as Record<string, unknown>, rest.join("[].")).map((n) => ({ ...n, field: `${head}[${index}].${n.field}` }))
      : [],
  );
}

/**
 * Credentials the platform refused even after a refresh, or an account it closed, move the connection
 * as a sync's would (lib/sync/health.ts): NEEDS_UPDATE with its re-link URL, or DISABLED, each with its
 * event. Syncs stop for it, and the team learns from the webhook rather than from failing writes.
 */
async function followCredentials(engine: SyncEngine, input: Pick<WriteInput, "connection">, error: unknown): Promise<void> {
  const kind = classifyFailure(error).kind;
  if (kind !== "auth_revoked" && kind !== "account_closed") return;
  const message = error instanceof Error ? error.message : String(error);
  await engine.db.$transaction(async (tx) => {
    const connection = await tx.connection.findUnique({ where: { id: input.connection.id } });
    if (!connection || connection.health === "DISABLED") return;
    const change: HealthChange =
      kind === "auth_revoked"
        ? { to: "NEEDS_UPDATE", detail: `A write was refused: ${message}`, linkUrl: relinkUrl(engine.appUrl, connection, engine.clock()) }
        : { to: "DISABLED", reason: "account_closed", detail: `A write was refused: ${message}` };
    await changeHealth(tx, connection, change);
  });
}

function writeFailure(error: unknown, input: Pick<WriteInput, "object" | "id">): unknown {
  const failure = classifyFailure(error);
  switch (failure.kind) {
    case "invalid":
      return new WriteError("PLATFORM_REFUSED_WRITE", failure.message, (error as { options?: { field?: string | null } }).options?.field ?? null);
    case "not_found":
      return new WriteError("NOT_FOUND", `No ${input.object} record ${input.id} on the platform`);
    case "rate_limited":
      return new WriteError("PLATFORM_RATE_LIMITED", `The platform cannot take the write now: ${failure.message}`, null, failure.retryAfterMs);
    case "auth_revoked":
      return new WriteError(
        "CONNECTION_NOT_SYNCING",
        `The platform refused the connection's credentials: ${failure.message}. The connection needs an update (CONNECTION_NEEDS_UPDATE): the customer must re-link it`,
      );
    case "account_closed":
      return new WriteError("CONNECTION_NOT_SYNCING", `The platform closed the account: ${failure.message}. The connection is disabled`);
    case "transient":
      return new WriteError("PLATFORM_UNAVAILABLE", `The platform did not answer: ${failure.message}. Retry with the same Idempotency-Key`);
    case "permanent":
      return new WriteError("PLATFORM_UNAVAILABLE", `The platform answered in a way Tributary cannot use: ${failure.message}`);
    default:
      return error;
  }
}
