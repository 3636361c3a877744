// npm run bench:dashboard — the dashboard's server response times at scale. A fresh database on
// PostgreSQL (BENCH_DATABASE_URL, default the local one) gets 50,000 connections, 1,000,000 records,
// 500,000 events, ~110,000 sync runs (one connection with a year of hourly runs, for the timeline),
// 3 webhook endpoints and 200,000 deliveries with their attempts; a production build (`next build`
// into .next-bench-dashboard) serves it with `next start`. Each page is fetched signed in (a session
// cookie minted with the app's own secret), sequentially after a warm-up: p50/p95/max per page,
// beside GET /api/health on the same server (the framework's floor). Goal: p95 ≤ 300 ms per page.
// BENCH_SKIP_BUILD=1 reuses an existing build. Writes bench/results/dashboard.json.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";
import pg from "pg";
import { sessionSecret } from "@/lib/auth/options";
import { startSession } from "@/lib/auth/sessions";
import { encryptSecret } from "@/lib/crypto";
import { createDb } from "@/lib/db/client";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { buildNext, createBenchDatabase, percentile, startNext, writeResults } from "./support";

const DIST_DIR = ".next-bench-dashboard";
const PORT = Number(process.env.BENCH_DASHBOARD_PORT ?? 3210);
const CONNECTIONS = 50_000;
const EVENTS = 500_000;
const DELIVERIES = 200_000;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const WARMUP = 3;
const GOAL_P95_MS = 300;
const connectionId = (n: number) => `conn_${String(n).padStart(26, "0")}`;
/** The connection whose detail page and timeline are measured: a Shopify store (n % 3 = 0). */
const HEAVY = connectionId(3);

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

// The run page (app/(dashboard)/connections/[id]/runs/[runId]): a run of the heavy connection an hour
// ago with a full request log (its first and last 1,000 requests and 300 failures, as a long run
// keeps, lib/runs/request-log.ts) and 5,000 data events of its own among the connection's others.
const RUN_PAGE_RUN = "run_R" + "1".padStart(25, "0");

async function seedRunPage(q: (sql: string, values?: unknown[]) => Promise<unknown>, org: string): Promise<void> {
  const objectStats = (requests: number) =>
    `jsonb_build_object('status', 'succeeded', 'requests', ${requests}, 'pages', ${requests}, 'seen', ${requests * 250}, 'created', 900, 'updated', 4100, 'deleted', 0, 'unchanged', 0, 'rate_limited', 160, 'retries', 146, 'error', null)`;
  await q(
    `insert into sync_runs (id, organization_id, environment, connection_id, kind, status, objects, stats, scheduled_at, started_at, finished_at, last_progress_at, created_at, updated_at)
     values ($1, $2, 'sandbox', $3, 'historical_batch', 'succeeded', array['customers','orders'],
             jsonb_build_object('requests', 12000, 'rate_limited', 324, 'retries', 292, 'pauses', '[]'::jsonb, 'objects', jsonb_build_object('customers', ${objectStats(4000)}, 'orders', ${objectStats(8000)})),
             now() - interval '61 minutes', now() - interval '1 hour', now() - interval '58 minutes', now() - interval '58 minutes', now() - interval '61 minutes', now())`,
    [RUN_PAGE_RUN, org, HEAVY],
  );
  await q(
    `insert into platform_requests (sync_run_id, seq, object, method, path, status, latency_ms, attempt, rate_limited, bytes, sent_at)
     select $1, seq, case when seq % 3 = 0 then 'customers' else 'orders' end, 'GET', '/admin/api/2025-01/orders.json?limit=250&page_info=cursor' || seq,
            case when seq % 37 = 0 then 429 when seq % 41 = 0 then 503 else 200 end, 40 + seq % 400, case when seq % 41 = 1 then 1 else 0 end, seq % 37 = 0, 180000,
            now() - interval '1 hour' + seq * interval '10 milliseconds'
     from generate_series(1, 12000) seq
     where seq <= 1000 or seq > 11000 or seq % 37 = 0 or seq % 41 = 0`,
    [RUN_PAGE_RUN],
  );
  await q(
    `insert into events (id, organization_id, environment, connection_id, sync_run_id, type, object, data, external_id, created_at, fanned_out_at)
     select 'evt_R' || lpad(n::text, 25, '0'), $1, 'sandbox', $2, $3, 'ORDER_UPDATED', 'orders', jsonb_build_object('id', 'ext-' || n), 'ext-' || n,
            now() - interval '1 hour' + n * interval '2 milliseconds', now()
     from generate_series(1, 5000) n`,
    [org, HEAVY, RUN_PAGE_RUN],
  );
}

/** The run page, its polling route, a later page of its request log, and an event log search by record and date range. */
function runPagePaths(now: number): string[] {
  const range = `from=${new Date(now - 2 * 3600_000).toISOString()}&to=${new Date(now).toISOString()}`;
  return [
    `/connections/${HEAVY}/runs/${RUN_PAGE_RUN}`,
    `/api/dashboard/connections/${HEAVY}/runs/${RUN_PAGE_RUN}`,
    `/api/dashboard/connections/${HEAVY}/runs/${RUN_PAGE_RUN}/requests?after=1500`,
    `/api/dashboard/connections/${HEAVY}/runs/${RUN_PAGE_RUN}/requests?failures=1`,
    `/api/dashboard/connections/${HEAVY}/events?record_id=ext-2500&${range}`,
    `/api/dashboard/connections/${HEAVY}/events?run_id=${RUN_PAGE_RUN}`,
  ];
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** Everything the pages read, written in set-based statements (one per table). */
async function seed(url: string): Promise<{ organizationId: string; userId: string; sessionId: string; endpointId: string }> {
  const db = createDb(url);
  const { organization, user } = await createOrganizationWithOwner(db, {
    name: "Bench Company",
    slug: "bench",
    owner: { email: "bench@tributary.local", name: "Bench", passwordHash: "unused" },
  });
  // The server-side session the minted cookie names, as a sign-in makes it.
  const sessionId = await startSession(db, user.id);
  await db.$disconnect();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const org = organization.id;
  const q = (sql: string, values: unknown[] = []) => client.query(sql, values);
  try {
    await timed(`${CONNECTIONS.toLocaleString()} connections`, () =>
      q(
        `insert into connections (id, organization_id, environment, platform, platform_account_id, account_name, end_user_id, stage, health, is_ready,
                                  disabled_reason, health_detail, access_token_hash, batches_total, batches_completed, last_sync_started_at,
                                  last_sync_completed_at, last_successful_sync_started_at, next_sync_at, created_at, updated_at)
         select 'conn_' || lpad(n::text, 26, '0'), $1, 'sandbox', (array['shopify','quickbooks','zendesk'])[1 + n % 3],
                'account-' || n, 'Account ' || n, 'user-' || (n % 20000),
                (case when n % 10 = 0 then 'INITIAL_SYNC' when n % 10 = 1 then 'HISTORICAL_SYNC' else 'ONGOING' end)::"ConnectionStage",
                (case when n % 211 = 0 then 'DISABLED' when n % 97 = 0 then 'NEEDS_UPDATE' when n % 50 = 0 then 'UNHEALTHY' else 'HEALTHY' end)::"ConnectionHealth",
                n % 10 <> 0,
                case when n % 211 = 0 then 'repeated_failures'::"DisabledReason" end,
                case when n % 50 = 0 or n % 97 = 0 or n % 211 = 0 then 'The platform answered 503 five times' end,
                md5('token' || n), 2, case when n % 10 = 0 then 0 when n % 10 = 1 then 1 else 2 end,
                now() - (n % 60) * interval '1 minute', now() - (n % 60) * interval '1 minute' + interval '20 seconds',
                now() - (n % 60) * interval '1 minute', now() + (n % 60) * interval '1 minute',
                now() - (${CONNECTIONS} - n) * interval '10 minutes', now()
         from generate_series(1, ${CONNECTIONS}) n`,
        [org],
      ),
    );
    // 1M records: 300k on the heavy connection (orders and customers), 700k over 700 more.
    await timed("1,000,000 records", async () => {
      await q(
        `insert into records (organization_id, environment, connection_id, object, external_id, data, hash, platform_updated_at, first_seen_at, last_modified_at)
         select $1, 'sandbox', $2, case when n <= 200000 then 'orders' else 'customers' end, 'ext-' || n,
                jsonb_build_object('id', 'ext-' || n, 'name', '#' || n, 'total_price', (n % 997) * 1.5, 'currency', 'USD',
                                   'email', 'buyer' || n || '@example.com', 'line_items', jsonb_build_array(jsonb_build_object('sku', 'SKU-' || (n % 500), 'quantity', 1 + n % 4))),
                md5(n::text), now() - n * interval '30 seconds', now() - n * interval '30 seconds', now() - n * interval '30 seconds'
         from generate_series(1, 300000) n`,
        [org, HEAVY],
      );
      await q(
        `insert into records (organization_id, environment, connection_id, object, external_id, data, hash, platform_updated_at, first_seen_at, last_modified_at)
         select $1, 'sandbox', 'conn_' || lpad((2 + n / 1000)::text, 26, '0'),
                case (2 + n / 1000) % 3 when 0 then 'products' when 1 then 'accounts' else 'organizations' end, 'ext-' || n,
                jsonb_build_object('id', 'ext-' || n, 'name', 'Record ' || n, 'updated', now()), md5(n::text),
                now() - n * interval '1 minute', now() - n * interval '1 minute', now() - n * interval '1 minute'
         from generate_series(0, 699999) n`,
        [org],
      );
    });
    await timed(`${EVENTS.toLocaleString()} events`, () =>
      q(
        `insert into events (id, organization_id, environment, connection_id, type, object, data, created_at, fanned_out_at)
         select 'evt_' || lpad(n::text, 26, '0'), $1, 'sandbox',
                case when n % 25 = 0 then $2 else 'conn_' || lpad((1 + n % ${CONNECTIONS})::text, 26, '0') end,
                (array['SYNC_COMPLETED','ORDER_SYNC_COMPLETED','ORDER_UPDATED','CONNECTION_UPDATED','INITIAL_UPDATE','CONNECTION_ERROR','CONNECTION_NEEDS_UPDATE'])[1 + n % 7],
                case when n % 7 in (1, 2) then 'orders' end,
                jsonb_build_object('n', n), now() - (${EVENTS} - n) * interval '1.2 seconds', now()
         from generate_series(1, ${EVENTS}) n`,
        [org, HEAVY],
      ),
    );
    const stats = (status: string) =>
      `jsonb_build_object('requests', 12, 'rate_limited', case when n % 40 = 0 then 1 else 0 end, 'retries', 0,
        'pauses', case when n % 40 = 0 then jsonb_build_array(jsonb_build_object('object', 'orders', 'at', to_char(s + interval '5 seconds', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'resume_at', to_char(s + interval '9 seconds', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))) else '[]'::jsonb end,
        'objects', jsonb_build_object(
          'customers', jsonb_build_object('status', '${status}', 'requests', 4, 'pages', 4, 'seen', 40, 'created', 3, 'updated', 5, 'deleted', 0, 'unchanged', 32, 'rate_limited', 0, 'retries', 0,
                       'started_at', to_char(s, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'finished_at', to_char(s + interval '6 seconds', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'error', null),
          'orders', jsonb_build_object('status', '${status}', 'requests', 8, 'pages', 8, 'seen', 80, 'created', 7, 'updated', 9, 'deleted', 1, 'unchanged', 63, 'rate_limited', 0, 'retries', 0,
                       'started_at', to_char(s + interval '6 seconds', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'finished_at', to_char(s + interval '15 seconds', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'error', null)))`;
    await timed("sync runs (a year of hourly runs on one connection, 2 on each other)", async () => {
      await q(
        `insert into sync_runs (id, organization_id, environment, connection_id, kind, status, objects, stats, scheduled_at, started_at, finished_at, last_progress_at, created_at, updated_at)
         select 'run_h' || lpad(n::text, 25, '0'), $1, 'sandbox', $2, 'incremental', (case when n % 60 = 0 then 'failed' else 'succeeded' end)::"RunStatus",
                array['customers','orders'], ${stats("succeeded")}, s, s, s + interval '15 seconds', s + interval '15 seconds', s, s
         from (select n, now() - n * interval '1 hour' as s from generate_series(1, 8760) n) t`,
        [org, HEAVY],
      );
      await q(
        `insert into sync_runs (id, organization_id, environment, connection_id, kind, status, objects, stats, scheduled_at, started_at, finished_at, last_progress_at, created_at, updated_at)
         select 'run_o' || lpad(n::text, 25, '0'), $1, 'sandbox', 'conn_' || lpad((2 + n % ${CONNECTIONS - 1})::text, 26, '0'), 'incremental',
                (case when n % 20 = 0 then 'failed' when n % 997 = 0 then 'running' else 'succeeded' end)::"RunStatus",
                array['customers','orders'], ${stats("succeeded")}, s, s, case when n % 997 = 0 then null else s + (n % 30) * interval '1 second' end, s, s, s
         from (select n, now() - n * interval '6 seconds' as s from generate_series(1, 100000) n) t`,
        [org],
      );
    });
    await timed("run page: a request log and a run's events", () => seedRunPage(q, org));
    const endpointId = "whk_" + "0".repeat(25) + "1";
    await timed(`3 endpoints, ${DELIVERIES.toLocaleString()} deliveries and attempts`, async () => {
      for (let i = 1; i <= 3; i++) {
        await q(
          `insert into webhook_endpoints (id, organization_id, environment, url, description, event_types, secret_encrypted, retry_schedule, created_at, updated_at, failing_since)
           values ($1, $2, 'sandbox', $3, $4, array['*'], $5, array[5,30,120,600,3600], now() - interval '30 days', now(), $6)`,
          [
            `whk_${String(i).padStart(26, "0")}`,
            org,
            `https://hooks.example.com/tributary/${i}`,
            `Receiver ${i}`,
            encryptSecret(`whsec_${randomBytes(24).toString("base64")}`),
            i === 3 ? new Date() : null,
          ],
        );
      }
      await q(
        `insert into deliveries (id, organization_id, environment, endpoint_id, event_id, status, attempt_count, next_attempt_at, last_attempt_at, created_at, updated_at)
         select 'dlv_' || lpad(n::text, 26, '0'), $1, 'sandbox', 'whk_' || lpad((1 + n % 3)::text, 26, '0'), 'evt_' || lpad((${EVENTS} - n)::text, 26, '0'),
                (case when n % 3 = 2 and n % 5 = 0 then 'failed' when n % 101 = 0 then 'pending' else 'succeeded' end)::"DeliveryStatus",
                1, null, now() - n * interval '3 seconds', now() - n * interval '3 seconds', now() - n * interval '3 seconds'
         from generate_series(1, ${DELIVERIES}) n`,
        [org],
      );
      await q(
        `insert into delivery_attempts (id, organization_id, environment, delivery_id, number, started_at, status_code, latency_ms, response_excerpt)
         select 'att_' || lpad(n::text, 26, '0'), $1, 'sandbox', 'dlv_' || lpad(n::text, 26, '0'), 1, now() - n * interval '3 seconds',
                case when n % 3 = 2 and n % 5 = 0 then 500 else 200 end, 20 + n % 180, case when n % 3 = 2 and n % 5 = 0 then 'Internal Server Error' else 'ok' end
         from generate_series(1, ${DELIVERIES}) n`,
        [org],
      );
    });
    // The Overview reads hourly rollups the engine writes as runs end; runs inserted here are counted
    // the way an upgrade counts existing runs: the rollup migration's own backfill.
    for (const name of ["20261123034736_sync_run_hourly_rollups", "20261203183700_sync_run_rollup_volumes"]) {
      const migration = readFileSync(path.resolve(`prisma/migrations/${name}/migration.sql`), "utf8");
      await timed(`hourly rollups (${name}'s backfill)`, () => q(migration.slice(migration.indexOf("-- Backfill"))));
    }
    await timed("analyze", () => q("analyze"));
    return { organizationId: org, userId: user.id, sessionId, endpointId };
  } finally {
    await client.end();
  }
}

interface PageResult {
  path: string;
  status: number;
  bytes: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  goal_met: boolean;
}

async function measure(base: string, path: string, cookie: string): Promise<PageResult> {
  const once = async () => {
    const started = performance.now();
    const response = await fetch(base + path, { headers: { cookie }, redirect: "manual" });
    const body = await response.arrayBuffer();
    return { ms: performance.now() - started, status: response.status, bytes: body.byteLength };
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const samples = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await once());
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const p95 = percentile(sorted, 95);
  return {
    path,
    status: samples[0].status,
    bytes: samples[0].bytes,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(p95),
    max_ms: round(sorted.at(-1)!),
    goal_met: p95 <= GOAL_P95_MS,
  };
}

async function main() {
  process.env.TRIBUTARY_SECRET_KEY ??= randomBytes(32).toString("base64");
  console.log("bench:dashboard");
  const database = await createBenchDatabase();
  let server: Awaited<ReturnType<typeof startNext>> | null = null;
  try {
    const [buildSeconds, seeded] = await Promise.all([timed("next build", () => buildNext(DIST_DIR)), seed(database.url)]);
    server = await startNext({ distDir: DIST_DIR, port: PORT, databaseUrl: database.url, env: { TRIBUTARY_SECRET_KEY: process.env.TRIBUTARY_SECRET_KEY } });
    const token = await encode({
      token: { sub: seeded.userId, sid: seeded.sessionId, name: "Bench", email: "bench@tributary.local" },
      secret: sessionSecret(),
    });
    const cookie = `next-auth.session-token=${token}`;
    const signedIn = await fetch(`${server.url}/settings`, { headers: { cookie }, redirect: "manual" });
    if (signedIn.status !== 200) throw new Error(`The minted session was not accepted: GET /settings answered ${signedIn.status}`);

    const day = 24 * 3600_000;
    const now = Date.now();
    const window = (ms: number) => `from=${new Date(now - ms).toISOString()}&to=${new Date(now).toISOString()}`;
    const pages = [
      "/",
      "/connections",
      "/connections?health=UNHEALTHY",
      "/connections?platform=zendesk&stage=ONGOING",
      `/connections?cursor=${connectionId(25_000)}`,
      `/connections/${HEAVY}`,
      "/platforms",
      "/sync-configuration",
      "/webhooks",
      `/webhooks/${seeded.endpointId}`,
      "/api-keys",
      "/settings",
      "/sync-jobs",
      `/api/dashboard/connections/${HEAVY}/timeline?${window(3600_000)}`,
      `/api/dashboard/connections/${HEAVY}/timeline?${window(day)}`,
      `/api/dashboard/connections/${HEAVY}/timeline?${window(30 * day)}`,
      `/api/dashboard/connections/${HEAVY}/timeline?${window(365 * day)}`,
      ...runPagePaths(now),
    ];
    // The charts' data (lib/metrics), per scope and range: the environment's from the hourly rollups
    // and its endpoints' deliveries, the heavy connection's from its runs, an endpoint's deliveries.
    for (const range of ["24h", "7d", "30d"]) {
      pages.push(
        `/api/dashboard/metrics?range=${range}`,
        `/api/dashboard/metrics?range=${range}&scope=connection&id=${HEAVY}`,
        `/api/dashboard/metrics?range=${range}&scope=endpoint&id=${seeded.endpointId}`,
      );
    }
    const baseline = await measure(server.url, "/api/health", "");
    console.log(`\nbaseline GET /api/health: p50 ${baseline.p50_ms} ms, p95 ${baseline.p95_ms} ms`);
    const results: PageResult[] = [];
    for (const path of pages) {
      const result = await measure(server.url, path, cookie);
      results.push(result);
      const flag = result.status !== 200 ? `  (status ${result.status})` : result.goal_met ? "" : `  ABOVE the ${GOAL_P95_MS} ms goal`;
      console.log(
        `${path.padEnd(70)} p50 ${String(result.p50_ms).padStart(7)} ms  p95 ${String(result.p95_ms).padStart(7)} ms  ${(result.bytes / 1024).toFixed(0).padStart(5)} KB${flag}`,
      );
    }
    const out = writeResults("dashboard", {
      date: new Date().toISOString(),
      database: "PostgreSQL (local)",
      server: `next start (production build in ${DIST_DIR}), one process, 127.0.0.1`,
      seeded: {
        connections: CONNECTIONS,
        records: 1_000_000,
        events: EVENTS,
        sync_runs: 8760 + 100_000,
        deliveries: DELIVERIES,
        delivery_attempts: DELIVERIES,
      },
      build_seconds: round(buildSeconds),
      samples_per_page: SAMPLES,
      goal_p95_ms: GOAL_P95_MS,
      baseline_health: baseline,
      pages: results,
    });
    console.log(`\n${results.filter((r) => r.status === 200 && r.goal_met).length} of ${results.length} under ${GOAL_P95_MS} ms p95; results in ${out}`);
  } finally {
    await server?.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
