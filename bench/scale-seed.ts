// The loader of bench:scale (bench/scale.ts): the model it grows — connections, tenants, probes, the
// change rate and retention behind the events, platform kinds — and the statements that seed the fixed
// part (organizations, endpoints, connections, a day of runs, rollups) and grow records, events,
// deliveries and attempts to a size, set-based, one INSERT … SELECT generate_series per chunk.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import type { Db } from "@/lib/db/client";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { canonicalContent } from "@/lib/sync/hash";
import type { RecordRow } from "@/lib/sync/sql/upsert-records";

export const CONNECTIONS = 10_000;
/** Probe connections of fixed size, so a page or an upsert is compared on the same connection at every size. */
export const PROBES = [
  { k: 1, records: Number(process.env.BENCH_SCALE_LARGE ?? 1_000_000) },
  { k: 2, records: 10_000 },
  { k: 3, records: 100 },
];
const CHUNK = 500_000;
/** A day's changes, as a share of the records; 30 days of them are the events kept. */
export const CHANGE_RATE = 0.02;
export const RETENTION_DAYS = 30;
export const EVENTS_PER_RECORD = CHANGE_RATE * RETENTION_DAYS;
const PAYLOAD_BYTES = 187;
export const EXTERNAL_BASE = 4_000_000_000_000;
/** Platform × object by k % 3; the 1M probe (k = 1) is a Shopify store's orders. */
export const KINDS = [
  { platform: "zendesk", object: "tickets", event: "TICKET" },
  { platform: "shopify", object: "orders", event: "ORDER" },
  { platform: "quickbooks", object: "invoices", event: "INVOICE" },
];
export const TABLES = ["records", "events", "deliveries", "delivery_attempts", "sync_runs"] as const;

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));
export const ms = (started: number) => performance.now() - started;

export interface Tenant {
  organizationId: string;
  environment: EnvironmentKind;
  endpointId: string;
}
export interface PlanRow {
  k: number;
  connectionId: string;
  organizationId: string;
  environment: EnvironmentKind;
  object: string;
  target: number;
}
export type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/** A unified record as the engine stores it: the same shape as the SQL loader's, in canonical JSON. */
export function recordRow(n: number, version: number): RecordRow {
  const at = new Date(Date.now() - 180 * 86_400_000 + n * 10).toISOString();
  const data = {
    id: String(EXTERNAL_BASE + n),
    name: `#${1000 + n}`,
    status: ["open", "paid", "partially_refunded", "cancelled"][(n + version) % 4],
    currency: "USD",
    total_amount: ((n * 7919 + version) % 100_000) / 100,
    customer_id: String(6_000_000_000_000 + (n % 50_000)),
    email: `customer${n % 50_000}@example.com`,
    created_at: at,
    updated_at: new Date(Date.now() + version).toISOString(),
    line_items: [
      { id: String(7_000_000_000_000 + 2 * n), sku: `SKU-${n % 500}`, quantity: 1 + (n % 4), unit_price: (n % 997) / 10 },
      { id: String(7_000_000_000_001 + 2 * n), sku: `SKU-${n % 311}`, quantity: 1 + (n % 3), unit_price: (n % 499) / 10 },
    ],
  };
  const { json, hash } = canonicalContent(data);
  return { externalId: data.id, dataJson: json, hash, platformData: randomBytes(PAYLOAD_BYTES), platformUpdatedAt: new Date() };
}

/** The loader's row: the same fields as recordRow, from n, in SQL. */
const RECORD_DATA_SQL = `jsonb_build_object(
  'id', (${EXTERNAL_BASE} + n)::text, 'name', '#' || (1000 + n), 'status', (array['open','paid','partially_refunded','cancelled'])[1 + n % 4],
  'currency', 'USD', 'total_amount', ((n * 7919) % 100000) / 100.0, 'customer_id', (6000000000000 + n % 50000)::text,
  'email', 'customer' || (n % 50000) || '@example.com', 'created_at', to_char(t.ts, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'updated_at', to_char(t.ts, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'line_items', jsonb_build_array(
    jsonb_build_object('id', (7000000000000 + 2 * n)::text, 'sku', 'SKU-' || (n % 500), 'quantity', 1 + n % 4, 'unit_price', (n % 997) / 10.0),
    jsonb_build_object('id', (7000000000001 + 2 * n)::text, 'sku', 'SKU-' || (n % 311), 'quantity', 1 + n % 3, 'unit_price', (n % 499) / 10.0)))`;

export async function timed<T>(label: string, work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  const seconds = ms(started) / 1000;
  console.log(`  ${label}: ${seconds.toFixed(1)} s`);
  return { value, seconds: round(seconds, 2) };
}

/** Connections, tenants' endpoints, the plan of records per connection and a day of hourly runs. */
export async function seedFixed(db: Db, q: Query): Promise<Tenant[]> {
  const orgs = [];
  for (const [i, name] of ["Acme", "Globex"].entries()) {
    const { organization } = await createOrganizationWithOwner(db, {
      name,
      slug: name.toLowerCase(),
      owner: { email: `owner${i}@tributary.local`, name, passwordHash: "unused" },
    });
    orgs.push(organization.id);
  }
  const tenants: Tenant[] = [
    { organizationId: orgs[0], environment: "production", endpointId: `whk_${"1".padStart(26, "0")}` },
    { organizationId: orgs[0], environment: "sandbox", endpointId: `whk_${"2".padStart(26, "0")}` },
    { organizationId: orgs[1], environment: "production", endpointId: `whk_${"3".padStart(26, "0")}` },
  ];
  for (const t of tenants)
    await q(
      `insert into webhook_endpoints (id, organization_id, environment, url, event_types, secret_encrypted, created_at, updated_at)
       values ($1, $2, $3::"EnvironmentKind", 'https://hooks.example.com/tributary', array['*'], 'unused', now() - interval '60 days', now())`,
      [t.endpointId, t.organizationId, t.environment],
    );
  await q(`create table bench_scale_tenants (t int primary key, organization_id text, environment "EnvironmentKind", endpoint_id text)`);
  for (const [i, t] of tenants.entries())
    await q(`insert into bench_scale_tenants values ($1, $2, $3, $4)`, [i, t.organizationId, t.environment, t.endpointId]);
  // The plan: one row per connection, its tenant, object and target size (set per size); cum_hi maps an event to a record.
  await q(
    `create table bench_scale_plan as
     select k, 'conn_' || lpad(k::text, 26, '0') as connection_id, t.organization_id, t.environment, t.endpoint_id,
            (array[${KINDS.map((kind) => `'${kind.platform}'`).join(",")}])[1 + k % 3] as platform,
            (array[${KINDS.map((kind) => `'${kind.object}'`).join(",")}])[1 + k % 3] as object,
            (array[${KINDS.map((kind) => `'${kind.event}'`).join(",")}])[1 + k % 3] as event_name,
            case when k > ${PROBES.length} then 1.0 / (k - ${PROBES.length}) else 0 end as weight, 0::bigint as target, 0::bigint as loaded, 0::bigint as cum_hi
     from generate_series(1, ${CONNECTIONS}) k
     join bench_scale_tenants t on t.t = case when k % 10 < 7 then 0 when k % 10 = 7 then 1 else 2 end`,
  );
  await q(`alter table bench_scale_plan add primary key (k)`);
  await q(
    `insert into connections (id, organization_id, environment, platform, platform_account_id, account_name, end_user_id, stage, health, is_ready,
                              health_detail, access_token_hash, batches_total, batches_completed, last_sync_started_at, last_sync_completed_at,
                              last_successful_sync_started_at, next_sync_at, created_at, updated_at)
     select connection_id, organization_id, environment, platform, 'account-' || k, 'Account ' || k, 'user-' || k, 'ONGOING', 
            (case when k % 50 = 0 then 'UNHEALTHY' else 'HEALTHY' end)::"ConnectionHealth", true,
            case when k % 50 = 0 then 'The platform answered 503 five times' end, md5('token' || k), 2, 2,
            now() - (k % 60) * interval '1 minute', now() - (k % 60) * interval '1 minute' + interval '20 seconds',
            now() - (k % 60) * interval '1 minute', now() + (60 - k % 60) * interval '1 minute', now() - (${CONNECTIONS} - k) * interval '1 hour', now()
     from bench_scale_plan`,
  );
  // A day of hourly incremental runs per connection (240,000), then the Overview's rollups as an upgrade makes them.
  await q(
    `insert into sync_runs (id, organization_id, environment, connection_id, kind, status, objects, stats, scheduled_at, started_at, finished_at, last_progress_at, created_at, updated_at)
     select 'run_' || lpad((k * 100 + h)::text, 26, '0'), organization_id, environment, connection_id, 'incremental',
            (case when (k + h) % 97 = 0 then 'failed' else 'succeeded' end)::"RunStatus", array[object],
            jsonb_build_object('requests', 2, 'rate_limited', 0, 'retries', 0, 'pauses', '[]'::jsonb, 'objects',
              jsonb_build_object(object, jsonb_build_object('status', 'succeeded', 'requests', 2, 'pages', 1, 'seen', 12, 'created', 1, 'updated', 5,
                'deleted', 0, 'unchanged', 6, 'rate_limited', 0, 'retries', 0, 'error', null))),
            s, s, s + interval '4 seconds', s + interval '4 seconds', s, s
     from bench_scale_plan cross join generate_series(1, 24) h cross join lateral (select now() - h * interval '1 hour' - (k % 3600) * interval '1 second' as s) t`,
  );
  for (const name of ["20261123034736_sync_run_hourly_rollups", "20261203183700_sync_run_rollup_volumes"]) {
    const migration = readFileSync(path.resolve(`prisma/migrations/${name}/migration.sql`), "utf8");
    await q(migration.slice(migration.indexOf("-- Backfill")));
  }
  for (const extension of ["pgstattuple", "pageinspect"]) await q(`create extension if not exists ${extension}`).catch(() => undefined);
  // Loaded and measured without autovacuum, so a day's dead tuples are what the churn left; VACUUM runs by hand.
  for (const table of TABLES) await q(`alter table ${table} set (autovacuum_enabled = false)`);
  return tenants;
}

/** Grows the database to `total` records, with events, deliveries and attempts in proportion. */
export async function grow(q: Query, total: number): Promise<Record<string, number>> {
  const probeTotal = PROBES.reduce((sum, p) => sum + p.records, 0);
  if (total < probeTotal * 1.2) throw new Error(`BENCH_SCALE_SIZES: each size must be at least ${Math.ceil(probeTotal * 1.2)} records`);
  for (const probe of PROBES) await q(`update bench_scale_plan set target = $2 where k = $1`, [probe.k, probe.records]);
  await q(`update bench_scale_plan set target = greatest(loaded, floor($1 * weight / (select sum(weight) from bench_scale_plan))) where k > ${PROBES.length}`, [
    total - probeTotal,
  ]);
  await q(`update bench_scale_plan p set cum_hi = c.cum from (select k, sum(target) over (order by k) as cum from bench_scale_plan) c where c.k = p.k`);
  await q(`create index if not exists bench_scale_plan_cum on bench_scale_plan (cum_hi)`);
  await q(`analyze bench_scale_plan`);
  const plan = (await q(`select k, target::int, loaded::int from bench_scale_plan where target > loaded order by k`)).rows as {
    k: number;
    target: number;
    loaded: number;
  }[];
  const blob = randomBytes(PAYLOAD_BYTES);
  const insertRecords = (kLo: number, kHi: number, nLo: number, nHi: number) =>
    q(
      `insert into records (organization_id, environment, connection_id, object, external_id, data, platform_data, hash, platform_updated_at, first_seen_at, last_modified_at)
       select p.organization_id, p.environment, p.connection_id, p.object, (${EXTERNAL_BASE} + n)::text, ${RECORD_DATA_SQL},
              overlay($5::bytea placing int4send(n::int) from 1), substr(md5(p.connection_id || n) || md5(n || p.connection_id), 1, 43), t.ts, t.ts, t.ts
       from bench_scale_plan p
       cross join lateral generate_series(greatest(p.loaded + 1, $3), least(p.target, $4)) n
       cross join lateral (select now() - interval '180 days' + n * interval '10 milliseconds' as ts) t
       where p.k between $1 and $2`,
      [kLo, kHi, nLo, nHi, blob],
    );
  let rows = 0;
  const recordsLoad = await timed(`records to ${total.toLocaleString()}`, async () => {
    let start = 0;
    while (start < plan.length) {
      const first = plan[start];
      if (first.target - first.loaded > CHUNK) {
        for (let n = first.loaded + 1; n <= first.target; n += CHUNK)
          rows += (await insertRecords(first.k, first.k, n, Math.min(first.target, n + CHUNK - 1))).rowCount ?? 0;
        start++;
        continue;
      }
      let end = start;
      let sum = 0;
      while (end < plan.length && sum + plan[end].target - plan[end].loaded <= CHUNK) sum += plan[end].target - plan[end++].loaded;
      rows += (await insertRecords(first.k, plan[end - 1].k, 1, 2 ** 31 - 1)).rowCount ?? 0;
      start = end;
    }
    await q(`update bench_scale_plan set loaded = target`);
  });
  const events = Math.round(total * EVENTS_PER_RECORD);
  // Past the highest loaded id: a day of events may have been deleted since.
  const had = Number((await q(`select coalesce(max(substr(id, 5)::bigint), 0) as n from events where id like 'evt_00%'`)).rows[0].n);
  const mapped = Number((await q(`select max(cum_hi) from bench_scale_plan`)).rows[0].max);
  const eventsLoad = await timed(`events to ${events.toLocaleString()}, their deliveries and attempts`, async () => {
    for (let lo = had + 1; lo <= events; lo += CHUNK) {
      const hi = Math.min(events, lo + CHUNK - 1);
      // Each event names a record of a connection drawn in proportion to its records, at a time in the last 30 days.
      await q(
        `insert into events (id, organization_id, environment, connection_id, sync_run_id, type, object, data, external_id, created_at, fanned_out_at)
         select 'evt_' || lpad(n::text, 26, '0'), p.organization_id, p.environment, p.connection_id, 'run_' || lpad((p.k * 100 + 1 + n % 24)::text, 26, '0'),
                p.event_name || (array['_UPDATED','_UPDATED','_UPDATED','_UPDATED','_UPDATED','_UPDATED','_UPDATED','_UPDATED','_CREATED','_DELETED'])[1 + n % 10],
                p.object, jsonb_build_object('connection_id', p.connection_id, 'object', p.object, 'id', (${EXTERNAL_BASE} + 1 + n % p.target)::text),
                (${EXTERNAL_BASE} + 1 + n % p.target)::text, t.at, t.at + interval '50 milliseconds'
         from generate_series($1::bigint, $2::bigint) n
         cross join lateral (select * from bench_scale_plan where cum_hi > (n * 1103515245 + 12345) % $3 order by cum_hi limit 1) p
         cross join lateral (select now() - ((n * 2654435761) % ${RETENTION_DAYS * 86_400_000}) * interval '1 millisecond' as at) t`,
        [lo, hi, mapped],
      );
      await q(
        `insert into deliveries (id, organization_id, environment, endpoint_id, event_id, status, attempt_count, next_attempt_at, last_attempt_at, stream, sequence, created_at, updated_at)
         select 'dlv_' || substr(e.id, 5), e.organization_id, e.environment, p.endpoint_id, e.id, 'succeeded', case when e.seq % 20 = 0 then 2 else 1 end,
                null, e.created_at + interval '80 milliseconds', 'connection:' || e.connection_id, e.seq, e.created_at, e.created_at + interval '80 milliseconds'
         from events e join bench_scale_plan p on p.connection_id = e.connection_id
         where e.id between 'evt_' || lpad($1::text, 26, '0') and 'evt_' || lpad($2::text, 26, '0')`,
        [lo, hi],
      );
      await q(
        `insert into delivery_attempts (id, organization_id, environment, delivery_id, number, started_at, status_code, latency_ms, response_excerpt, request_headers)
         select 'att_' || substr(d.id, 5) || a, d.organization_id, d.environment, d.id, a, d.created_at + a * interval '30 milliseconds',
                case when a < d.attempt_count then 503 else 200 end, 20 + d.sequence % 180,
                case when a < d.attempt_count then 'Service Unavailable' else '{"received":true}' end,
                jsonb_build_object('content-type', 'application/json', 'webhook-id', d.event_id, 'webhook-timestamp', extract(epoch from d.created_at)::bigint::text,
                  'webhook-signature', 'v1,' || encode(sha256(convert_to(d.id, 'UTF8')), 'base64'), 'tributary-stream', d.stream,
                  'tributary-sequence', d.sequence::text, 'user-agent', 'Tributary-Webhooks/0.1.0')
         from deliveries d cross join generate_series(1, d.attempt_count) a
         where d.id between 'dlv_' || lpad($1::text, 26, '0') and 'dlv_' || lpad($2::text, 26, '0')`,
        [lo, hi],
      );
    }
  });
  const vacuum = await timed("vacuum (analyze) after loading", () => q(`vacuum (analyze) ${TABLES.join(", ")}, record_counts, connections`));
  return {
    records_inserted: rows,
    records_seconds: recordsLoad.seconds,
    events_deliveries_attempts_seconds: eventsLoad.seconds,
    vacuum_after_load_seconds: vacuum.seconds,
  };
}
