// A fetched page becomes durable as one unit: records upserted (one statement), change events written
// (one statement), checkpoint advanced — in one transaction, so a process killed at any instant either
// stored the whole page and its cursor or none of it, and resuming from the checkpoint repeats nothing.
// It runs on the raw pg pool under the Prisma client: the statements are built with Prisma.sql (its
// `text` has PostgreSQL's $n placeholders) but skip Prisma's per-query mapping, which cost as much as
// the database's own work on a 1,000-record page.
import type pg from "pg";
import { rawPool, type Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { eventSql, recordEventsSql } from "@/lib/events/emit";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ListPage, UnifiedRecord } from "@/lib/platforms/types";
import { LeaseLostError, leaseHeldSql } from "./lease";
import { objectEventName } from "@/lib/platforms/catalog";
import { canonicalContent } from "./hash";
import { encodePagePayloads, encodeWithKnownDictionary, payloadTexts, type EncodedPayloads, type PayloadScope } from "./payloads";
import { markDeletedSql, sweepUnseenSql, upsertRecordsSql, type UpsertScope } from "./sql/upsert-records";

export interface PageOutcome {
  seen: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

export interface ProcessPageInput {
  scope: UpsertScope;
  page: ListPage;
  /** Where the next page starts (the page's nextCursor), saved with the records. */
  checkpoint: { cursor: string | null; windowStart: Date | null; windowEnd: Date | null; completed: boolean };
  /** Whether this run emits <OBJECT>_CREATED/UPDATED/DELETED (off for initial syncs by default). */
  emitDataEvents: boolean;
  /** Whether the records' platform payloads are stored (the environment's keepPlatformData; default on). */
  keepPlatformData?: boolean;
  /**
   * Full re-sync: stamp every record of the page as seen by this run, and with the last page mark
   * deleted whatever the run did not see (sweepUnseenSql) — in the same transaction, so a crash
   * cannot leave a completed object unswept.
   */
  fullResync?: boolean;
  /** The embedded worker's lease owner: nothing is written unless it still holds the connection's lease. */
  leaseOwner?: string | null;
  /** The page's hashes and payloads, begun while the previous page was being written (run-object.ts); made here when absent. */
  prepared?: PreparedPage;
}

/** What a page's statement needs computed in this process: each record's canonical data and hash, and its payload's encoding. */
export interface PreparedPage {
  texts: (string | null)[];
  contents: { json: string; hash: string }[];
  /** The payloads' deflating, started at once when this process holds the object's dictionary. */
  payloads: Promise<EncodedPayloads> | null;
}

/**
 * Hashes a page and starts deflating its payloads. It needs nothing from the database, so a run
 * prepares the next page while PostgreSQL writes the current one: the sync's thread and PostgreSQL
 * then work at the same time instead of in turn (bench:sync's profile had the thread idle 45% of the
 * sync, waiting on the page's statement).
 */
export function preparePage(scope: PayloadScope, page: ListPage, keepPlatformData = true): PreparedPage {
  // The hash covers the unified data only: what the platform changes outside the model is no update of it.
  // The payloads' deflating starts first (on its own thread) and runs while the hashes are computed.
  // Not kept: every payload stored as null, and a payload kept before is cleared when its record is written.
  const texts = keepPlatformData ? payloadTexts(page.records.map((record) => record.platformData)) : page.records.map(() => null);
  const payloads = encodeWithKnownDictionary(scope, texts);
  return { texts, payloads, contents: page.records.map((record) => canonicalContent(record.data)) };
}

const run = <T extends pg.QueryResultRow>(client: pg.PoolClient, sql: Prisma.Sql) => client.query<T>({ text: sql.text, values: sql.values as unknown[] });

export async function processPage(db: Db, input: ProcessPageInput): Promise<PageOutcome> {
  const { scope, page, checkpoint } = input;
  const prepared = input.prepared ?? preparePage(scope, page, input.keepPlatformData !== false);
  const { texts, contents } = prepared;
  let { payloads } = prepared;
  const client = await rawPool(db).connect();
  let broken: Error | undefined;
  try {
    await client.query("begin");
    if (input.leaseOwner && (await run(client, leaseHeldSql(scope.connectionId, input.leaseOwner))).rowCount !== 1)
      throw new LeaseLostError(scope.connectionId);
    // The first page of an object this process has not stored payloads of: its dictionary, in this transaction.
    payloads ??= encodePagePayloads(client, scope, texts);
    const { stored, committed } = await payloads;
    const rows = page.records.map((record, i) => ({
      externalId: record.externalId,
      dataJson: contents[i].json,
      hash: contents[i].hash,
      platformData: stored[i],
      platformUpdatedAt: record.updatedAt,
    }));
    const changed = rows.length
      ? (await run<{ externalId: string; inserted: boolean }>(client, upsertRecordsSql(scope, rows, { markSeen: input.fullResync }))).rows
      : [];
    const deleted = page.deleted.length ? (await run<{ externalId: string }>(client, markDeletedSql(scope, page.deleted))).rows : [];
    if (input.fullResync && checkpoint.completed) deleted.push(...(await run<{ externalId: string }>(client, sweepUnseenSql(scope))).rows);
    const created = changed.filter((row) => row.inserted).length;
    if (input.emitDataEvents && (changed.length || deleted.length)) {
      const name = objectEventName(scope.object);
      await run(
        client,
        recordEventsSql(scope, [
          ...changed.map((row) => ({ type: `${name}_${row.inserted ? "CREATED" : "UPDATED"}`, externalId: row.externalId })),
          ...deleted.map((row) => ({ type: `${name}_DELETED`, externalId: row.externalId })),
        ]),
      );
    }
    // The checkpoint, and the run's progress for the stuck-run monitor and the dashboard.
    const saved = await run<{ pages: number; records: number }>(
      client,
      Prisma.sql`
      with saved as (
        insert into checkpoints (id, organization_id, environment, sync_run_id, object, cursor, window_start, window_end, pages, records, completed_at, updated_at)
        values (${newId("chk")}, ${scope.organizationId}, ${scope.environment}::"EnvironmentKind", ${scope.syncRunId}, ${scope.object}, ${checkpoint.cursor},
                ${checkpoint.windowStart}, ${checkpoint.windowEnd}, 1, ${rows.length}, ${checkpoint.completed ? new Date() : null}, now())
        on conflict (sync_run_id, object) do update
          set cursor = excluded.cursor, window_start = excluded.window_start, window_end = excluded.window_end,
              pages = checkpoints.pages + 1, records = checkpoints.records + excluded.records,
              completed_at = excluded.completed_at, updated_at = now()
        returning pages, records
      ), progress as (
        update sync_runs set last_progress_at = now() where id = ${scope.syncRunId} returning id
      )
      select pages, records from saved, progress`,
    );
    if (saved.rowCount !== 1) throw new Error(`Sync run ${scope.syncRunId} does not exist`);
    // The object's _SYNC_COMPLETED commits with its last page: a crash cannot complete it silently.
    if (checkpoint.completed) {
      const { pages, records } = saved.rows[0];
      await run(
        client,
        eventSql({
          organizationId: scope.organizationId,
          environment: scope.environment,
          connectionId: scope.connectionId,
          syncRunId: scope.syncRunId,
          type: `${objectEventName(scope.object)}_SYNC_COMPLETED`,
          object: scope.object,
          data: { connection_id: scope.connectionId, sync_run_id: scope.syncRunId, object: scope.object, records_seen: records, pages },
        }),
      );
    }
    await client.query("commit");
    committed();
    return { seen: rows.length, created, updated: changed.length - created, deleted: deleted.length, unchanged: rows.length - changed.length };
  } catch (error) {
    // A connection that cannot even roll back is dropped from the pool rather than reused.
    await client.query("rollback").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * A record the platform answered a write with (lib/sync/writes.ts), stored at once the way a page
 * stores it — the same upsert and hash, so the next incremental sync finds it unchanged — with its
 * <OBJECT>_CREATED or _UPDATED event in the same transaction (whatever the connection's stage: the
 * team asked for this change). Answers whether the record was new, and whether anything changed.
 */
export async function storeWrittenRecord(
  db: Db,
  scope: Omit<UpsertScope, "syncRunId">,
  record: UnifiedRecord,
  options: { keepPlatformData?: boolean } = {},
): Promise<{ inserted: boolean; changed: boolean }> {
  const texts = options.keepPlatformData === false ? [null] : payloadTexts([record.platformData]);
  const content = canonicalContent(record.data);
  const client = await rawPool(db).connect();
  let broken: Error | undefined;
  try {
    await client.query("begin");
    const { stored, committed } = await (encodeWithKnownDictionary(scope, texts) ?? encodePagePayloads(client, scope, texts));
    const row = { externalId: record.externalId, dataJson: content.json, hash: content.hash, platformData: stored[0], platformUpdatedAt: record.updatedAt };
    const changed = (await run<{ externalId: string; inserted: boolean }>(client, upsertRecordsSql({ ...scope, syncRunId: null }, [row]))).rows;
    if (changed.length) {
      const type = `${objectEventName(scope.object)}_${changed[0].inserted ? "CREATED" : "UPDATED"}`;
      await run(client, recordEventsSql({ ...scope, syncRunId: null }, [{ type, externalId: record.externalId }]));
    }
    await client.query("commit");
    committed();
    return { inserted: changed[0]?.inserted ?? false, changed: changed.length > 0 };
  } catch (error) {
    await client.query("rollback").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * A record deleted through the API (lib/sync/writes.ts): marked deleted with its <OBJECT>_DELETED event
 * in one transaction, once — the sync that later reads the deletion finds it deleted and emits nothing.
 */
export async function storeDeletedRecord(db: Db, scope: Omit<UpsertScope, "syncRunId">, externalId: string): Promise<boolean> {
  const client = await rawPool(db).connect();
  let broken: Error | undefined;
  try {
    await client.query("begin");
    const deleted = (await run<{ externalId: string }>(client, markDeletedSql(scope, [externalId], { written: true }))).rows;
    if (deleted.length) await run(client, recordEventsSql({ ...scope, syncRunId: null }, [{ type: `${objectEventName(scope.object)}_DELETED`, externalId }]));
    await client.query("commit");
    return deleted.length > 0;
  } catch (error) {
    await client.query("rollback").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
