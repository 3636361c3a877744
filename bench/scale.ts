// npm run bench:scale — the sizing model: what records, events and deliveries weigh on disk, and which
// queries stay fast, as a database grows. One fresh database on PostgreSQL (BENCH_DATABASE_URL, default
// the local one; created, migrated with the project's migrations and dropped) is grown through the
// sizes of BENCH_SCALE_SIZES (total records, default 2,000,000 then 10,000,000), all loaded with
// set-based INSERT … SELECT generate_series, one statement per chunk of up to CHUNK rows, by the loader in
// bench/scale-seed.ts, which also holds the model described here:
//   - 10,000 connections in three tenants (organization × environment: 70 / 10 / 20 %), Shopify
//     orders, QuickBooks invoices and Zendesk tickets; probes of fixed size — a 1,000,000-record
//     connection, a 10,000 and a 100 — and the rest shared with a Zipf skew (most a few hundred, a few
//     hundreds of thousands). Rows as the engine writes them: unified data of about 495 bytes and a
//     187-byte deflated platform payload (bench:sync's stored bytes per record), a 43-character hash.
//   - events at 30 days of retention of a 2 %-a-day change rate (0.6 per record), each delivered to
//     its tenant's endpoint, with one attempt (5 % two), shaped as lib/events and lib/webhooks write them;
//     a day of hourly sync runs per connection and the Overview's rollups.
// At each size, each figure beside a baseline from the same run: bytes per record / event / delivery
// (table, TOAST, each index) beside the columns' own bytes; a 1,000-record page upsert through
// upsertRecordsSql (new records, changed records) into the 1M connection beside COPY of the same rows
// into an empty unindexed table; listRecords' first and a deep keyset page beside `select 1`; the
// Overview and the Connections page (lib/presenters, as the pages call them); then a simulated day of
// churn (2 % of records changed, 0.2 % deleted, through the engine's page SQL with their events and
// deliveries): dead tuples, growth, VACUUM time. Then, for the partitioning decision: index depth,
// deleting the 1M connection in batches of 5,000 ids and the oldest day of one tenant's events in
// batches of 5,000, each beside dropping a table holding the same rows (what a partition drop costs);
// the next size loads the 1M connection again.
// Writes bench/results/scale.json. BENCH_SCALE_KEEP=1 keeps the database (its name is printed);
// BENCH_SCALE_LARGE sets the large probe's size (a quick try: BENCH_SCALE_LARGE=20000 BENCH_SCALE_SIZES=60000,120000).
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { createDb, rawPool, type Db } from "@/lib/db/client";
import { tenantDb, type TenantScope } from "@/lib/db/tenant";
import { recordEventsSql } from "@/lib/events/emit";
import { getOverview } from "@/lib/presenters/overview";
import { getConnectionPage, parseConnectionQuery } from "@/lib/presenters/connections";
import { createSyncEngine, type SyncEngine } from "@/lib/sync/engine";
import { listRecords } from "@/lib/sync/reads";
import { markDeletedSql, upsertRecordsSql, type RecordRow } from "@/lib/sync/sql/upsert-records";
import {
  CHANGE_RATE,
  CONNECTIONS,
  EVENTS_PER_RECORD,
  EXTERNAL_BASE,
  KINDS,
  PROBES,
  RETENTION_DAYS,
  TABLES,
  grow,
  ms,
  recordRow,
  round,
  seedFixed,
  timed,
  type PlanRow,
  type Query,
  type Tenant,
} from "./scale-seed";
import { createBenchDatabase, percentile, writeResults } from "./support";

const SIZES = (process.env.BENCH_SCALE_SIZES ?? "2000000,10000000").split(",").map(Number);
/** A day's deletes, as a share of the records (the changes' rate is the loader's, in bench/scale-seed.ts). */
const DELETE_RATE = 0.002;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 50);
const UPSERT_PAGES = 20;
const PAGE = 1_000;
const DELETE_BATCH = 5_000;

function stats(samples: number[]) {
  if (!samples.length) return { n: 0, p50_ms: 0, p95_ms: 0, max_ms: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50_ms: round(percentile(sorted, 50), 2), p95_ms: round(percentile(sorted, 95), 2), max_ms: round(sorted.at(-1) ?? 0, 2) };
}

async function sample(work: () => Promise<unknown>, count = SAMPLES) {
  for (let i = 0; i < 3; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await work();
    samples.push(ms(started));
  }
  return stats(samples);
}

interface RelationSize {
  rows: number;
  table_bytes: number;
  toast_bytes: number;
  indexes: Record<string, number>;
  total_bytes: number;
  bytes_per_row: { table: number; toast: number; indexes: number; total: number };
}

/** Each table's bytes; rows counted, or (exact false) as the last ANALYZE or VACUUM estimated them. */
async function sizes(q: Query, exact = true): Promise<Record<string, RelationSize>> {
  const out: Record<string, RelationSize> = {};
  for (const table of TABLES) {
    const rows = exact
      ? Number((await q(`select count(*) from ${table}`)).rows[0].count)
      : Number((await q(`select reltuples from pg_class where oid = $1::regclass`, [table])).rows[0].reltuples);
    const { rows: rel } = await q(
      `select pg_relation_size(c.oid) as heap, coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0) as toast, pg_total_relation_size(c.oid) as total
       from pg_class c where c.oid = $1::regclass`,
      [table],
    );
    const { rows: idx } = await q(
      `select indexrelid::regclass::text as name, pg_relation_size(indexrelid) as bytes from pg_index where indrelid = $1::regclass order by 1`,
      [table],
    );
    const indexes = Object.fromEntries(idx.map((r) => [r.name as string, Number(r.bytes)]));
    const indexBytes = Object.values(indexes).reduce((a, b) => a + b, 0);
    const per = (bytes: number) => (rows ? round(bytes / rows, 1) : 0);
    out[table] = {
      rows,
      table_bytes: Number(rel[0].heap),
      toast_bytes: Number(rel[0].toast),
      indexes,
      total_bytes: Number(rel[0].total),
      bytes_per_row: { table: per(Number(rel[0].heap)), toast: per(Number(rel[0].toast)), indexes: per(indexBytes), total: per(Number(rel[0].total)) },
    };
  }
  return out;
}

/** The baseline for bytes: what the columns of a sample of rows hold themselves, with no page, tuple header or index. */
async function columnBytes(q: Query) {
  const avg = async (sql: string) => round(Number((await q(sql)).rows[0].avg), 1);
  return {
    record_row: await avg(`select avg(pg_column_size(r.*)) from (select * from records tablesample system (0.2)) r`),
    record_data: await avg(`select avg(pg_column_size(data)) from records tablesample system (0.2)`),
    record_platform_data: await avg(`select avg(pg_column_size(platform_data)) from records tablesample system (0.2)`),
    event_row: await avg(`select avg(pg_column_size(e.*)) from (select * from events tablesample system (0.2)) e`),
    delivery_row: await avg(`select avg(pg_column_size(d.*)) from (select * from deliveries tablesample system (0.5)) d`),
    attempt_row: await avg(`select avg(pg_column_size(a.*)) from (select * from delivery_attempts tablesample system (0.5)) a`),
  };
}

/** A 1,000-record page upsert into the 1M connection (new, then changed records), beside COPY of the same rows into an empty unindexed table. */
async function upsertCost(pool: pg.Pool, large: PlanRow, offset: number) {
  const scope = {
    organizationId: large.organizationId,
    environment: large.environment,
    connectionId: large.connectionId,
    object: large.object,
    syncRunId: null,
  };
  const pages = (base: number, version: number) =>
    Array.from({ length: UPSERT_PAGES }, (_, p) => Array.from({ length: PAGE }, (_, i) => recordRow(base + p * PAGE + i, version)));
  const timePages = async (all: RecordRow[][]) => {
    const samples: number[] = [];
    for (const rows of all) {
      const sql = upsertRecordsSql(scope, rows);
      const started = performance.now();
      const { rowCount } = await pool.query({ text: sql.text, values: sql.values as unknown[] });
      samples.push(ms(started));
      if (rowCount !== rows.length) throw new Error(`upsert wrote ${rowCount} of ${rows.length}`);
    }
    return stats(samples);
  };
  const fresh = pages(offset, 0);
  const inserted = await timePages(fresh);
  // Changed: records spread over the connection (every 50th page of it), each with new content.
  const changed = await timePages(
    Array.from({ length: UPSERT_PAGES }, (_, p) => Array.from({ length: PAGE }, (_, i) => recordRow(1 + ((p * 49_999 + i * 47) % large.target), offset))),
  );
  const client = await pool.connect();
  const copySamples: number[] = [];
  try {
    await client.query(
      `create temp table copy_baseline (organization_id text, environment text, connection_id text, object text, external_id text, data jsonb,
         platform_data bytea, hash text, platform_updated_at timestamptz)`,
    );
    const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
    for (const rows of fresh) {
      const text = rows
        .map((r) =>
          [
            scope.organizationId,
            scope.environment,
            scope.connectionId,
            scope.object,
            r.externalId,
            esc(r.dataJson),
            `\\\\x${r.platformData!.toString("hex")}`,
            r.hash,
            r.platformUpdatedAt!.toISOString(),
          ].join("\t"),
        )
        .join("\n");
      await client.query("truncate copy_baseline");
      const started = performance.now();
      await pipeline(Readable.from([Buffer.from(text + "\n")]), client.query(copyFrom("copy copy_baseline from stdin")));
      copySamples.push(ms(started));
    }
    await client.query("drop table copy_baseline");
  } finally {
    client.release();
  }
  const copy = stats(copySamples);
  return {
    new_records: { ...inserted, microseconds_per_record: round((inserted.p50_ms * 1000) / PAGE) },
    changed_records: { ...changed, microseconds_per_record: round((changed.p50_ms * 1000) / PAGE) },
    baseline_copy_unindexed: { ...copy, microseconds_per_record: round((copy.p50_ms * 1000) / PAGE) },
    ratio_new_to_copy_p50: round(inserted.p50_ms / copy.p50_ms, 2),
  };
}

/** listRecords as the API calls it: the first page and a deep keyset page (at 90 %) of each probe, limit 100. */
async function apiPages(engine: SyncEngine, pool: pg.Pool, plan: PlanRow[]) {
  const out: Record<string, unknown> = { baseline_select_1: await sample(() => pool.query("select 1")) };
  for (const probe of PROBES) {
    const c = plan.find((row) => row.k === probe.k)!;
    const query = { organizationId: c.organizationId, environment: c.environment, connectionId: c.connectionId, object: c.object, limit: 100 };
    const first = await sample(() => listRecords(engine, query));
    const { rows } = await pool.query(
      `select to_char(last_modified_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, id::text from records
       where connection_id = $1 and object = $2 and deleted_at is null order by last_modified_at, id offset $3 limit 1`,
      [c.connectionId, c.object, Math.floor(probe.records * 0.9)],
    );
    const cursor = Buffer.from(JSON.stringify(["r", rows[0].at, rows[0].id])).toString("base64url");
    const deep = await sample(() => listRecords(engine, { ...query, cursor }));
    out[`${probe.records}_records`] = { first_page: first, deep_page_at_90_percent: deep };
  }
  return out;
}

async function dashboard(db: Db, tenant: Tenant) {
  const scope: TenantScope = { organizationId: tenant.organizationId, environment: tenant.environment };
  const tdb = tenantDb(db, scope);
  return {
    overview: await sample(() => getOverview(tdb, scope), 20),
    connections_page: await sample(() => getConnectionPage(tdb, scope, parseConnectionQuery({})), 20),
    connections_page_unhealthy: await sample(() => getConnectionPage(tdb, scope, parseConnectionQuery({ health: "UNHEALTHY" })), 20),
  };
}

/** A day of incremental syncs: each connection's changed and deleted records through the engine's page SQL, with their events, then their deliveries. */
async function churn(pool: pg.Pool, q: Query, plan: PlanRow[], day: number) {
  const deadTuples = async () => {
    // Each pooled session sends its counts within a second of going idle.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const { rows } = await q(`select relname, n_live_tup, n_dead_tup from pg_stat_user_tables where relname = any($1)`, [TABLES]);
    return Object.fromEntries(rows.map((r) => [r.relname, { live: Number(r.n_live_tup), dead: Number(r.n_dead_tup) }]));
  };
  // The page-upsert figures' changed records are dead tuples already: counted apart.
  const deadBefore = await deadTuples();
  const before = await sizes(q, false);
  const started = new Date(Date.now() - 1000);
  let changedRows = 0;
  let deletedRows = 0;
  let statements = 0;
  const run = async <T extends pg.QueryResultRow>(client: pg.PoolClient, sql: { text: string; values: readonly unknown[] }) => {
    statements++;
    return client.query<T>({ text: sql.text, values: [...sql.values] });
  };
  const seconds = (
    await timed(`a day of churn (${CHANGE_RATE * 100} % changed, ${DELETE_RATE * 100} % deleted)`, async () => {
      for (const c of plan) {
        const pick = (rate: number) => {
          const count = Math.floor(c.target * rate) + (Math.random() < (c.target * rate) % 1 ? 1 : 0);
          const ids = new Set<number>();
          while (ids.size < Math.min(count, c.target)) ids.add(1 + Math.floor(Math.random() * c.target));
          return [...ids];
        };
        const scope = { organizationId: c.organizationId, environment: c.environment, connectionId: c.connectionId, object: c.object, syncRunId: null };
        const changed = pick(CHANGE_RATE);
        const deleted = pick(DELETE_RATE).map((n) => String(EXTERNAL_BASE + n));
        for (let i = 0; i < changed.length || (i === 0 && deleted.length); i += PAGE) {
          const client = await pool.connect();
          try {
            await client.query("begin");
            const rows = changed.slice(i, i + PAGE).map((n) => recordRow(n, day));
            const written = rows.length ? (await run<{ externalId: string; inserted: boolean }>(client, upsertRecordsSql(scope, rows))).rows : [];
            const gone = i === 0 && deleted.length ? (await run<{ externalId: string }>(client, markDeletedSql(scope, deleted))).rows : [];
            const name = KINDS.find((kind) => kind.object === c.object)!.event;
            const events = [
              ...written.map((r) => ({ type: `${name}_${r.inserted ? "CREATED" : "UPDATED"}`, externalId: r.externalId })),
              ...gone.map((r) => ({ type: `${name}_DELETED`, externalId: r.externalId })),
            ];
            if (events.length) await run(client, recordEventsSql(scope, events));
            await client.query("commit");
            changedRows += written.length;
            deletedRows += gone.length;
          } finally {
            client.release();
          }
        }
      }
      await q(
        `insert into deliveries (id, organization_id, environment, endpoint_id, event_id, status, attempt_count, next_attempt_at, last_attempt_at, stream, sequence, created_at, updated_at)
         select 'dlv_' || substr(e.id, 5), e.organization_id, e.environment, p.endpoint_id, e.id, 'succeeded', 1, null, now(), 'connection:' || e.connection_id, e.seq, e.created_at, now()
         from events e join bench_scale_plan p on p.connection_id = e.connection_id where e.created_at >= $1 and e.id not like 'evt_00%'`,
        [started],
      );
      await q(
        `insert into delivery_attempts (id, organization_id, environment, delivery_id, number, started_at, status_code, latency_ms, response_excerpt, request_headers)
         select 'att_' || substr(d.id, 5) || '1', d.organization_id, d.environment, d.id, 1, d.created_at, 200, 40, '{"received":true}',
                jsonb_build_object('content-type', 'application/json', 'webhook-id', d.event_id, 'webhook-timestamp', extract(epoch from d.created_at)::bigint::text,
                  'webhook-signature', 'v1,' || encode(sha256(convert_to(d.id, 'UTF8')), 'base64'), 'tributary-stream', d.stream,
                  'tributary-sequence', d.sequence::text, 'user-agent', 'Tributary-Webhooks/0.1.0')
         from deliveries d where d.created_at >= $1 and d.id not like 'dlv_00%'`,
        [started],
      );
    })
  ).seconds;
  const dead = await deadTuples();
  const approx = (await q(`select * from pgstattuple_approx('records')`).catch(() => null))?.rows[0];
  const after = await sizes(q, false);
  const vacuum: Record<string, number> = {};
  for (const table of ["records", "events", "deliveries", "delivery_attempts"])
    vacuum[table] = (await timed(`vacuum ${table}`, () => q(`vacuum (analyze) ${table}`))).seconds;
  const vacuumed = await sizes(q, false);
  const growth = (a: Record<string, RelationSize>, b: Record<string, RelationSize>) =>
    Object.fromEntries(
      TABLES.slice(0, 4).map((t) => [t, { table_bytes: b[t].table_bytes - a[t].table_bytes, total_bytes: b[t].total_bytes - a[t].total_bytes }]),
    );
  return {
    seconds,
    records_changed: changedRows,
    records_deleted: deletedRows,
    statements,
    dead_tuples_before_churn: deadBefore,
    dead_tuples: dead,
    records_pgstattuple_approx: approx
      ? { dead_tuple_percent: round(Number(approx.dead_tuple_percent), 2), approx_free_percent: round(Number(approx.approx_free_percent), 2) }
      : "pgstattuple not available",
    growth_bytes: growth(before, after),
    vacuum_seconds: vacuum,
    growth_after_vacuum_bytes: growth(before, vacuumed),
  };
}

/** The levels of each B-tree of records and events (root to leaf), from its metapage. */
async function indexLevels(q: Query): Promise<Record<string, number | string>> {
  const depth: Record<string, number | string> = {};
  for (const table of ["records", "events", "deliveries"]) {
    for (const { name } of (await q(`select indexrelid::regclass::text as name from pg_index where indrelid = $1::regclass order by 1`, [table])).rows) {
      const meta = (await q(`select level from bt_metap($1)`, [name]).catch(() => null))?.rows[0];
      depth[name] = meta ? Number(meta.level) + 1 : "pageinspect not available";
    }
  }
  return depth;
}

/** The numbers behind partitioning: a connection's and a day's deletes in batches, each beside dropping a table of the same rows. */
async function partitionEvidence(pool: pg.Pool, plan: PlanRow[], tenant: Tenant) {
  // One session, so the statement timeout holds for every statement here.
  const client = await pool.connect();
  const q: Query = (text, values) => client.query(text, values);
  try {
    return await deletes(q, plan, tenant);
  } finally {
    await client.query(`reset statement_timeout`);
    client.release();
  }
}

async function deletes(q: Query, plan: PlanRow[], tenant: Tenant) {
  const large = plan.find((row) => row.k === 1)!;
  // What dropping a partition would cost: the same rows in a table of their own, with the records' indexes.
  await timed("a table holding the 1M connection's rows (for the drop)", async () => {
    await q(`create table bench_scale_drop (like records including defaults including indexes)`);
    await q(`insert into bench_scale_drop select * from records where connection_id = $1`, [large.connectionId]);
  });
  const dropConnection = await timed("drop it", () => q(`drop table bench_scale_drop`));
  const batches = async (label: string, statement: () => Promise<pg.QueryResult>) => {
    const samples: number[] = [];
    let rows = 0;
    const started = performance.now();
    for (;;) {
      const t0 = performance.now();
      const { rowCount } = await statement();
      if (!rowCount) break;
      samples.push(ms(t0));
      rows += rowCount;
    }
    const seconds = round(ms(started) / 1000, 2);
    console.log(`  ${label}: ${rows.toLocaleString()} rows in ${samples.length} batches, ${seconds} s`);
    return { rows, batches: samples.length, seconds, batch: stats(samples) };
  };
  await q(`set statement_timeout = '120s'`);
  const deleteConnection = await batches("delete the 1M connection's records in batches of 5,000", () =>
    q(`delete from records where id in (select id from records where connection_id = $1 limit ${DELETE_BATCH})`, [large.connectionId]),
  );
  // The oldest day of one tenant's events, with their deliveries and attempts (cascades).
  const cut = new Date(Date.now() - (RETENTION_DAYS - 1) * 86_400_000);
  const dayCounts = (
    await q(
      `select count(*) as events, (select count(*) from deliveries d where d.event_id in (select id from events where organization_id = $1 and environment = $2 and created_at < $3)) as deliveries
       from events where organization_id = $1 and environment = $2 and created_at < $3`,
      [tenant.organizationId, tenant.environment, cut],
    )
  ).rows[0];
  const eventIndexOnDeliveries =
    Number(
      (
        await q(
          `select count(*) from pg_index where indrelid = 'deliveries'::regclass and indkey[0] = (select attnum from pg_attribute where attrelid = 'deliveries'::regclass and attname = 'event_id')`,
        )
      ).rows[0].count,
    ) > 0;
  await timed("a table holding that day's events (for the drop)", async () => {
    await q(`create table bench_scale_drop (like events including defaults including indexes)`);
    await q(`insert into bench_scale_drop select * from events where organization_id = $1 and environment = $2 and created_at < $3`, [
      tenant.organizationId,
      tenant.environment,
      cut,
    ]);
  });
  const dropDay = await timed("drop it", () => q(`drop table bench_scale_drop`));
  let deleteDay: unknown;
  try {
    deleteDay = await batches("delete that day's events in batches of 5,000 (deliveries and attempts cascade)", () =>
      q(
        `delete from events where id in (select id from events where organization_id = $1 and environment = $2 and created_at < $3 order by created_at limit ${DELETE_BATCH})`,
        [tenant.organizationId, tenant.environment, cut],
      ),
    );
  } catch (error) {
    deleteDay = { error: String(error) };
    console.log(`  deleting a day of events failed: ${String(error)}`);
  }
  await q(`update bench_scale_plan set loaded = 0 where k = $1`, [large.k]);
  return {
    delete_connection_1m: { ...deleteConnection, baseline_drop_table_of_same_rows_seconds: dropConnection.seconds },
    delete_day_of_events: {
      tenant: `${tenant.environment} of the largest organization`,
      events: Number(dayCounts.events),
      deliveries: Number(dayCounts.deliveries),
      deliveries_have_event_id_index: eventIndexOnDeliveries,
      result: deleteDay,
      baseline_drop_table_of_same_events_seconds: dropDay.seconds,
    },
  };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function printSize(result: SizeResult) {
  console.log(`\n── ${result.records_total.toLocaleString()} records ──`);
  console.log(
    `${"table".padEnd(20)}${"rows".padStart(12)}${"heap".padStart(11)}${"toast".padStart(9)}${"indexes".padStart(11)}${"B/row heap".padStart(12)}${"B/row idx".padStart(11)}${"B/row all".padStart(11)}`,
  );
  for (const [table, s] of Object.entries(result.sizes)) {
    const indexBytes = Object.values(s.indexes).reduce((a, b) => a + b, 0);
    console.log(
      `${table.padEnd(20)}${s.rows.toLocaleString().padStart(12)}${mb(s.table_bytes).padStart(11)}${mb(s.toast_bytes).padStart(9)}${mb(indexBytes).padStart(11)}${String(s.bytes_per_row.table).padStart(12)}${String(s.bytes_per_row.indexes).padStart(11)}${String(s.bytes_per_row.total).padStart(11)}`,
    );
  }
  console.log(`  baseline, the columns alone (bytes): ${JSON.stringify(result.column_bytes)}`);
  const u = result.page_upsert;
  console.log(
    `  page upsert of 1,000 into the 1M connection: new p50 ${u.new_records.p50_ms} / p95 ${u.new_records.p95_ms} ms, changed p50 ${u.changed_records.p50_ms} / p95 ${u.changed_records.p95_ms} ms; baseline COPY into an unindexed table p50 ${u.baseline_copy_unindexed.p50_ms} ms`,
  );
  for (const [name, value] of Object.entries(result.api_page)) {
    if (name === "baseline_select_1") console.log(`  API page (listRecords, limit 100), baseline select 1: p95 ${(value as { p95_ms: number }).p95_ms} ms`);
    else {
      const v = value as { first_page: { p95_ms: number }; deep_page_at_90_percent: { p95_ms: number } };
      console.log(
        `    connection of ${name.replace("_", " ")}: first page p95 ${v.first_page.p95_ms} ms, deep keyset page p95 ${v.deep_page_at_90_percent.p95_ms} ms`,
      );
    }
  }
  console.log(
    `  dashboard p95: Overview ${result.dashboard.overview.p95_ms} ms, Connections ${result.dashboard.connections_page.p95_ms} ms, Connections?health=UNHEALTHY ${result.dashboard.connections_page_unhealthy.p95_ms} ms`,
  );
  const c = result.churn;
  console.log(
    `  a day of churn: ${c.records_changed.toLocaleString()} changed, ${c.records_deleted.toLocaleString()} deleted in ${c.seconds} s; dead tuples ${JSON.stringify(c.dead_tuples)}; vacuum s ${JSON.stringify(c.vacuum_seconds)}`,
  );
}

function printEvidence(e: Awaited<ReturnType<typeof partitionEvidence>>) {
  const c = e.delete_connection_1m;
  console.log(
    `  delete the 1M connection, ${c.rows.toLocaleString()} records in ${c.batches} batches of ${DELETE_BATCH}: ${c.seconds} s, a batch p50 ${c.batch.p50_ms} / max ${c.batch.max_ms} ms; drop of a table of the same rows ${c.baseline_drop_table_of_same_rows_seconds} s`,
  );
  const d = e.delete_day_of_events;
  const r = d.result as { rows?: number; batches?: number; seconds?: number; batch?: { p50_ms: number; max_ms: number }; error?: string };
  console.log(
    r.error
      ? `  delete a day of events: ${r.error}`
      : `  delete the oldest day of a tenant's events (${d.events.toLocaleString()} events, ${d.deliveries.toLocaleString()} deliveries): ${r.seconds} s in ${r.batches} batches, a batch p50 ${r.batch!.p50_ms} / max ${r.batch!.max_ms} ms; drop of a table of the same events ${d.baseline_drop_table_of_same_events_seconds} s`,
  );
}

interface SizeResult {
  records_total: number;
  load: Record<string, number>;
  load_seconds: number;
  sizes: Record<string, RelationSize>;
  index_levels: Record<string, number | string>;
  column_bytes: Awaited<ReturnType<typeof columnBytes>>;
  page_upsert: Awaited<ReturnType<typeof upsertCost>>;
  api_page: Record<string, unknown>;
  dashboard: Awaited<ReturnType<typeof dashboard>>;
  churn: Awaited<ReturnType<typeof churn>>;
  partitioning: Awaited<ReturnType<typeof partitionEvidence>> | null;
  seconds: number;
}

async function main() {
  console.log(`bench:scale — sizes ${SIZES.map((s) => s.toLocaleString()).join(", ")} records`);
  const started = performance.now();
  const database = await createBenchDatabase();
  console.log(`  database ${new URL(database.url).pathname.slice(1)}`);
  const db = createDb(database.url, { max: 4 });
  const pool = rawPool(db);
  const q: Query = (text, values) => pool.query(text, values);
  const engine = createSyncEngine({ db });
  try {
    const migrations = (await q(`select migration_name from _prisma_migrations where finished_at is not null order by 1`)).rows.map(
      (r) => r.migration_name as string,
    );
    const server = (await q(`select version() as v, current_setting('shared_buffers') as sb`)).rows[0];
    const tenants = await seedFixed(db, q);
    const results: SizeResult[] = [];
    for (const [i, total] of SIZES.entries()) {
      const sizeStarted = performance.now();
      console.log(`\n${total.toLocaleString()} records`);
      const load = await grow(q, total);
      const loadSeconds = round(ms(sizeStarted) / 1000);
      const plan = (
        await q(`select k, connection_id, organization_id, environment::text as environment, object, target::int from bench_scale_plan order by k`)
      ).rows.map((r) => ({
        k: r.k,
        connectionId: r.connection_id,
        organizationId: r.organization_id,
        environment: r.environment,
        object: r.object,
        target: r.target,
      })) as PlanRow[];
      const result: SizeResult = {
        records_total: Number((await q(`select count(*) from records`)).rows[0].count),
        load,
        load_seconds: loadSeconds,
        sizes: await sizes(q),
        index_levels: await indexLevels(q),
        column_bytes: await columnBytes(q),
        page_upsert: (await timed("page upserts", async () => upsertCost(pool, plan[0], 2_000_000 + i * 100_000))).value,
        api_page: (await timed("API pages", () => apiPages(engine, pool, plan))).value,
        dashboard: (await timed("dashboard", () => dashboard(db, tenants[0]))).value,
        churn: await churn(pool, q, plan, i + 1),
        partitioning: null,
        seconds: 0,
      };
      printSize(result);
      result.partitioning = await partitionEvidence(pool, plan, tenants[0]);
      printEvidence(result.partitioning);
      result.seconds = round(ms(sizeStarted) / 1000);
      console.log(`  this size: ${result.seconds} s`);
      results.push(result);
      writeResults("scale", {
        partial: i < SIZES.length - 1,
        database: "PostgreSQL (local)",
        server: server.v,
        shared_buffers: server.sb,
        migrations,
        sizes: results,
      });
    }
    const out = writeResults("scale", {
      database: "PostgreSQL (local)",
      server: server.v,
      shared_buffers: server.sb,
      migrations,
      model: {
        connections: CONNECTIONS,
        probes: PROBES,
        change_rate_per_day: CHANGE_RATE,
        delete_rate_per_day: DELETE_RATE,
        retention_days: RETENTION_DAYS,
        events_per_record: EVENTS_PER_RECORD,
      },
      not_measured: "100,000,000 records: loading, churning and vacuuming it does not fit this machine's time budget; extrapolate from the sizes measured",
      sizes: results,
      seconds: round(ms(started) / 1000),
    });
    console.log(`\nresults in ${out} (${round(ms(started) / 1000)} s)`);
  } finally {
    await db.$disconnect();
    if (process.env.BENCH_SCALE_KEEP === "1") console.log(`kept ${database.url}`);
    else await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
