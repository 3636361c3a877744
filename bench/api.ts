// npm run bench:api — the REST API's record pages with 1,000,000 records stored, over real HTTP from
// a production build (`next build` into its own dist dir, `next start`) against PostgreSQL
// (BENCH_DATABASE_URL, default the local postgresql://postgres@127.0.0.1:5432/postgres; a fresh
// database is created and dropped). Figures, each beside a baseline from the same run:
//   1. GET /api/v1/commerce/orders at limit=100 and 500, concurrency 1 and 8: walkers follow
//      next_cursor through slices of the updated_at range (updated_at_min/max) until the whole 1M has
//      been read; p50/p95/p99 latency, requests/s, records/s — beside (a) the same keyset SQL as
//      lib/sync/reads.ts listRecords run directly on a pg pool at the same concurrency (what the
//      database can give) and (b) GET /api/health on the same server (the framework's floor).
//   2. the first page with updated_at_min near the end of the range (must use the keyset index, not
//      scan), beside the same SQL run directly, with the plan PostgreSQL chose.
// BENCH_SIZE changes the number of records; BENCH_SKIP_BUILD=1 reuses an existing .next-bench build;
// BENCH_CPU_PROF=<dir> writes a CPU profile of the server there.
// Writes bench/results/api.json.
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { Agent, request } from "undici";
import { createApiKey } from "@/lib/api/keys";
import { createDb } from "@/lib/db/client";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createConnection } from "@/lib/sync/connections";
import { buildNext, createBenchDatabase, percentile, startNext, writeResults } from "./support";

const SIZE = Number(process.env.BENCH_SIZE ?? 1_000_000);
const PORT = Number(process.env.BENCH_API_PORT ?? 3200);
const DIST_DIR = ".next-bench";
const CONCURRENCIES = [1, 8];
const LIMITS = [100, 500];
/** Slices of the updated_at range per walker: walkers take the next slice when theirs ends, so all stay busy to the end. */
const SLICES_PER_WALKER = 4;
const HEALTH_SECONDS = 5;
const INDEX_CHECK_REQUESTS = 50;

interface Slice {
  min: Date | null;
  /** Inclusive, like updated_at_max: one millisecond before the next slice's min (timestamps are stored to the ms). */
  max: Date | null;
}

interface Measurement {
  requests: number;
  records: number;
  seconds: number;
  requests_per_second: number;
  records_per_second: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

function summarize(latencies: number[], records: number, seconds: number): Measurement {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: latencies.length,
    records,
    seconds: round(seconds),
    requests_per_second: Math.round(latencies.length / seconds),
    records_per_second: Math.round(records / seconds),
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
  };
}

/** Runs `walk` over every slice with `concurrency` walkers sharing the slices as a queue. */
async function walkAll(slices: Slice[], concurrency: number, walk: (slice: Slice, latencies: number[]) => Promise<number>): Promise<Measurement> {
  const queue = [...slices];
  const latencies: number[] = [];
  let records = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let slice = queue.shift(); slice; slice = queue.shift()) {
        // Not `records += await …`: that reads `records` before awaiting and loses the other walkers' counts.
        const read = await walk(slice, latencies);
        records += read;
      }
    }),
  );
  return summarize(latencies, records, (performance.now() - started) / 1000);
}

/** Inserts SIZE Shopify orders in the shape the connector stores, a page of 250 per sync timestamp, 10% updated later. */
async function storeOrders(url: string, scope: { organizationId: string; connectionId: string }) {
  const chunk = 100_000;
  const insert = (from: number, to: number) => `
    insert into records (organization_id, environment, connection_id, object, external_id, data, hash, platform_updated_at, first_seen_at, last_modified_at, last_sync_run_id)
    select '${scope.organizationId}', 'sandbox', '${scope.connectionId}', 'orders', (5000000000 + i)::text, d.data, encode(sha256(d.data::text::bytea), 'hex'), d.updated, d.seen,
           case when i % 10 = 0 then t0 + interval '200 seconds' + ((i::bigint * 7919) % ${SIZE}) * interval '15 seconds' else d.seen end,
           'run_bench'
    from generate_series(${from}, ${to}) as i,
         lateral (select timestamptz '2026-05-01T00:00:00Z' as t0) as c,
         lateral (
           select t0 - ((i::bigint * 104729) % 63072000) * interval '1 second' as created,
                  t0 + ((i - 1) / 250) * interval '25 milliseconds' as seen
         ) as t,
         lateral (
           select t.created + ((i * 31) % 86400) * interval '1 second' as updated, t.seen,
                  jsonb_build_object(
                    'id', (5000000000 + i)::text,
                    'order_number', '#' || (1000 + i),
                    'customer_id', case when i % 20 = 0 then null else (7000000000 + (i::bigint * 7919) % 200000)::text end,
                    'email', case when i % 20 = 0 then null else 'customer' || ((i::bigint * 7919) % 200000) || '@example.com' end,
                    'currency', (array['USD', 'EUR', 'GBP', 'CAD'])[1 + i % 4],
                    'subtotal_price', ((i::bigint * 3571) % 50000 / 100.0)::numeric(10, 2)::text,
                    'total_discounts', '0.00',
                    'total_tax', ((i::bigint * 3571) % 50000 / 1000.0)::numeric(10, 2)::text,
                    'total_price', ((i::bigint * 3571) % 50000 * 1.1 / 100.0)::numeric(10, 2)::text,
                    'payment_status', (array['paid', 'pending', 'refunded', 'partially_refunded', 'authorized'])[1 + i % 5],
                    'fulfillment_status', case when i % 3 = 0 then null else 'fulfilled' end,
                    'line_items', (
                      select jsonb_agg(jsonb_build_object(
                        'id', (9000000000 + i::bigint * 4 + l)::text,
                        'product_id', (8000000000 + (i::bigint * l * 131) % 5000)::text,
                        'variant_id', (8500000000 + (i::bigint * l * 131) % 15000)::text,
                        'title', (array['Linen shirt', 'Canvas tote', 'Ceramic mug', 'Wool beanie', 'Leather wallet'])[1 + (i + l) % 5] || ' — ' || (array['S', 'M', 'L', 'XL'])[1 + l % 4],
                        'sku', 'SKU-' || ((i::bigint * l * 131) % 15000),
                        'quantity', 1 + (i + l) % 3,
                        'price', ((i::bigint * l * 977) % 20000 / 100.0)::numeric(10, 2)::text))
                      from generate_series(1, 1 + i % 4) as l),
                    'cancelled_at', case when i % 50 = 0 then to_jsonb(t.created + interval '1 day') else 'null'::jsonb end,
                    'closed_at', case when i % 3 = 0 then 'null'::jsonb else to_jsonb(t.created + interval '3 days') end,
                    'created_at', to_jsonb(t.created),
                    'updated_at', to_jsonb(t.created + ((i * 31) % 86400) * interval '1 second')
                  ) as data
         ) as d`;
  // Two writers: PostgreSQL builds the JSON on one core per statement.
  const ranges = Array.from({ length: Math.ceil(SIZE / chunk) }, (_, k) => [k * chunk + 1, Math.min(SIZE, (k + 1) * chunk)] as const);
  await Promise.all(
    [0, 1].map(async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (let range = ranges.shift(); range; range = ranges.shift()) await client.query(insert(range[0], range[1]));
      } finally {
        await client.end();
      }
    }),
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // What autovacuum does after a real sync of this size: statistics and the visibility map.
  await client.query("vacuum analyze records");
  await client.end();
}

async function main() {
  process.env.TRIBUTARY_SECRET_KEY ??= randomBytes(32).toString("base64");
  console.log("building the app into .next-bench…");
  const buildSeconds = await buildNext(DIST_DIR);
  const database = await createBenchDatabase();
  const db = createDb(database.url, { max: 4 });
  const pool = new pg.Pool({ connectionString: database.url, max: Math.max(...CONCURRENCIES) });
  let server: Awaited<ReturnType<typeof startNext>> | null = null;
  try {
    const { organization } = await createOrganizationWithOwner(db, {
      name: "Bench",
      slug: "bench",
      owner: { email: "bench@example.com", name: "Bench", passwordHash: "x" },
    });
    const key = await createApiKey(db, { organizationId: organization.id, environment: "sandbox", name: "bench" });
    const connection = await createConnection(db, {
      organizationId: organization.id,
      environment: "sandbox",
      platform: "shopify",
      platformAccountId: "bench-store",
      credentials: { kind: "oauth", accessToken: "unused", refreshToken: null, expiresAt: null, scopes: [] },
    });
    // Batch 1 done and history synced, as after a real staged sync.
    const { batchesTotal } = await db.connection.update({
      where: { id: connection.id },
      data: { isReady: true, stage: "ONGOING" },
      select: { batchesTotal: true },
    });
    await db.connection.update({ where: { id: connection.id }, data: { batchesCompleted: batchesTotal, lastSyncCompletedAt: new Date() } });

    console.log(`storing ${SIZE.toLocaleString()} orders…`);
    const storeStarted = performance.now();
    await storeOrders(database.url, { organizationId: organization.id, connectionId: connection.id });
    const storeSeconds = (performance.now() - storeStarted) / 1000;
    const { rows: sizeRows } = await pool.query<{ table: string; indexes: string }>(
      `select pg_size_pretty(pg_table_size('records')) as table, pg_size_pretty(pg_indexes_size('records')) as indexes`,
    );
    console.log(`stored in ${storeSeconds.toFixed(1)} s (table ${sizeRows[0].table}, indexes ${sizeRows[0].indexes})`);

    // Slice boundaries: quantiles of last_modified_at, so each slice holds about the same number of records.
    const sliceCount = Math.max(...CONCURRENCIES) * SLICES_PER_WALKER;
    const { rows: quantileRows } = await pool.query<{ bounds: Date[] }>(
      `select percentile_disc($2::float8[]) within group (order by last_modified_at) as bounds from records where connection_id = $1 and object = 'orders'`,
      [connection.id, Array.from({ length: sliceCount - 1 }, (_, k) => (k + 1) / sliceCount)],
    );
    const bounds = [...new Set(quantileRows[0].bounds.map((b) => b.getTime()))].sort((a, b) => a - b);
    const slices: Slice[] = [null, ...bounds].map((min, k) => ({
      min: min === null ? null : new Date(min),
      max: k < bounds.length ? new Date(bounds[k] - 1) : null,
    }));

    // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the server, written when it stops.
    const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
    // The per-organization API rate limit would otherwise measure itself.
    server = await startNext({ distDir: DIST_DIR, port: PORT, databaseUrl: database.url, env: { TRIBUTARY_API_RATE_LIMIT: "100000" }, nodeArgs: profile });
    const authorization = `Basic ${Buffer.from(`${key.clientId}:${key.secret}`).toString("base64")}`;
    const agent = new Agent({ connections: Math.max(...CONCURRENCIES), keepAliveTimeout: 30_000 });
    const baseUrl = server.url;

    const get = async (pathAndQuery: string): Promise<{ status: number; body: string; ms: number }> => {
      const started = performance.now();
      const response = await request(`${baseUrl}${pathAndQuery}`, { headers: { authorization }, dispatcher: agent });
      const body = await response.body.text();
      return { status: response.statusCode, body, ms: performance.now() - started };
    };
    const ordersPath = (limit: number, slice: Slice, cursor: string | null) => {
      const query = new URLSearchParams({ access_token: connection.accessToken, limit: String(limit) });
      if (slice.min) query.set("updated_at_min", slice.min.toISOString());
      if (slice.max) query.set("updated_at_max", slice.max.toISOString());
      if (cursor) query.set("cursor", cursor);
      return `/api/v1/commerce/orders?${query}`;
    };

    /** Follows next_cursor through one slice over HTTP; returns the records read. */
    const walkApi = (limit: number) => async (slice: Slice, latencies: number[]) => {
      let records = 0;
      for (let cursor: string | null = null; ;) {
        const { status, body, ms } = await get(ordersPath(limit, slice, cursor));
        if (status !== 200) throw new Error(`GET orders answered ${status}: ${body.slice(0, 300)}`);
        latencies.push(ms);
        const page = JSON.parse(body) as { orders: unknown[]; next_cursor: string | null };
        records += page.orders.length;
        if (!page.next_cursor) return records;
        cursor = page.next_cursor;
      }
    };

    // Baseline (a): listRecords' keyset query, verbatim, straight on a pg pool.
    const keysetQuery = (slice: Slice, after: { at: Date; id: string } | null, limit: number) => {
      const values: unknown[] = [connection.id, "orders"];
      const param = (value: unknown) => `$${values.push(value)}`;
      const text = `
        select id, external_id, data, platform_updated_at, first_seen_at, last_modified_at, deleted_at
        from records
        where connection_id = $1 and object = $2
          and deleted_at is null
          ${slice.min ? `and last_modified_at >= ${param(slice.min)}` : ""}
          ${slice.max ? `and last_modified_at <= ${param(slice.max)}` : ""}
          ${after ? `and (last_modified_at, id) > (${param(after.at)}::timestamptz, ${param(after.id)}::bigint)` : ""}
        order by last_modified_at, id
        limit ${param(limit + 1)}`;
      return { text, values };
    };
    const walkSql = (limit: number) => async (slice: Slice, latencies: number[]) => {
      let records = 0;
      for (let after: { at: Date; id: string } | null = null; ;) {
        const started = performance.now();
        const { rows }: { rows: { id: string; last_modified_at: Date }[] } = await pool.query(keysetQuery(slice, after, limit));
        latencies.push(performance.now() - started);
        const page = rows.slice(0, limit);
        records += page.length;
        if (rows.length <= limit) return records;
        after = { at: page.at(-1)!.last_modified_at, id: page.at(-1)!.id };
      }
    };

    // Warm-up: the routes' first requests load their code and open the pools.
    for (let i = 0; i < 20; i++) {
      await get("/api/health");
      await get(ordersPath(100, slices[i % slices.length], null));
    }

    const pages: Record<string, unknown>[] = [];
    for (const limit of LIMITS) {
      for (const concurrency of CONCURRENCIES) {
        console.log(`limit=${limit}, concurrency ${concurrency}: API…`);
        const api = await walkAll(slices, concurrency, walkApi(limit));
        if (api.records !== SIZE) throw new Error(`the API walk read ${api.records} records, not ${SIZE}`);
        console.log(`limit=${limit}, concurrency ${concurrency}: SQL…`);
        const sql = await walkAll(slices, concurrency, walkSql(limit));
        if (sql.records !== SIZE) throw new Error(`the SQL walk read ${sql.records} records, not ${SIZE}`);
        pages.push({ limit, concurrency, api, baseline_sql: sql, api_to_sql_records_per_second: round(api.records_per_second / sql.records_per_second, 3) });
        console.log(
          `  API  p50 ${api.p50_ms} / p95 ${api.p95_ms} / p99 ${api.p99_ms} ms, ${api.requests_per_second} req/s, ${api.records_per_second.toLocaleString()} records/s (${api.seconds} s)`,
        );
        console.log(
          `  SQL  p50 ${sql.p50_ms} / p95 ${sql.p95_ms} / p99 ${sql.p99_ms} ms, ${sql.requests_per_second} queries/s, ${sql.records_per_second.toLocaleString()} records/s (${sql.seconds} s)`,
        );
      }
    }

    // Baseline (b): the framework's floor, /api/health (one `select 1` and one count) on the same server.
    const health: Record<string, Measurement> = {};
    for (const concurrency of CONCURRENCIES) {
      const latencies: number[] = [];
      const end = performance.now() + HEALTH_SECONDS * 1000;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < end) {
            const { status, ms } = await get("/api/health");
            if (status !== 200) throw new Error(`/api/health answered ${status}`);
            latencies.push(ms);
          }
        }),
      );
      health[`concurrency_${concurrency}`] = summarize(latencies, 0, (performance.now() - started) / 1000);
      console.log(
        `/api/health, concurrency ${concurrency}: p50 ${health[`concurrency_${concurrency}`].p50_ms} / p99 ${health[`concurrency_${concurrency}`].p99_ms} ms, ${health[`concurrency_${concurrency}`].requests_per_second} req/s`,
      );
    }

    // Index check: the first page from near the end of the range.
    const { rows: nearEndRows } = await pool.query<{ at: Date }>(
      `select last_modified_at as at from records where connection_id = $1 and object = 'orders' order by last_modified_at desc, id desc offset 150 limit 1`,
      [connection.id],
    );
    const nearEnd: Slice = { min: nearEndRows[0].at, max: null };
    const apiLatencies: number[] = [];
    const sqlLatencies: number[] = [];
    let firstPageRecords = 0;
    for (let i = 0; i < INDEX_CHECK_REQUESTS; i++) {
      const { status, body, ms } = await get(ordersPath(100, nearEnd, null));
      if (status !== 200) throw new Error(`GET orders answered ${status}`);
      firstPageRecords = (JSON.parse(body) as { orders: unknown[] }).orders.length;
      apiLatencies.push(ms);
      const started = performance.now();
      await pool.query(keysetQuery(nearEnd, null, 100));
      sqlLatencies.push(performance.now() - started);
    }
    const explained = keysetQuery(nearEnd, null, 100);
    const { rows: planRows } = await pool.query<{ "QUERY PLAN": string }>({ text: `explain (analyze, buffers) ${explained.text}`, values: explained.values });
    const plan = planRows.map((row) => row["QUERY PLAN"]);
    const indexCheck = {
      updated_at_min: nearEnd.min!.toISOString(),
      records_in_first_page: firstPageRecords,
      api: summarize(apiLatencies, firstPageRecords * INDEX_CHECK_REQUESTS, apiLatencies.reduce((a, b) => a + b, 0) / 1000),
      baseline_sql: summarize(sqlLatencies, firstPageRecords * INDEX_CHECK_REQUESTS, sqlLatencies.reduce((a, b) => a + b, 0) / 1000),
      uses_keyset_index: plan.some((line) => /Index Scan using records_connection_id_object_last_modified_at_id_idx/.test(line)),
      plan,
    };
    console.log(
      `first page with updated_at_min near the end: API p50 ${indexCheck.api.p50_ms} ms, SQL p50 ${indexCheck.baseline_sql.p50_ms} ms; keyset index used: ${indexCheck.uses_keyset_index}`,
    );
    await agent.close();

    const result = {
      date: new Date().toISOString(),
      database: "PostgreSQL (local)",
      server: `next start (production build in ${DIST_DIR}), one process, 127.0.0.1, keep-alive`,
      build_seconds: round(buildSeconds, 1),
      stored: {
        records: SIZE,
        object: "orders",
        platform: "shopify",
        seconds: round(storeSeconds, 1),
        table_size: sizeRows[0].table,
        index_size: sizeRows[0].indexes,
      },
      slices: slices.length,
      pages,
      baseline_health: health,
      index_check: indexCheck,
    };
    console.log(`wrote ${writeResults("api", result)}`);
  } finally {
    await server?.stop();
    await pool.end();
    await db.$disconnect();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
