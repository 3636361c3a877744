// npm run bench:limits — what the shared rate limits (lib/db/shared-bucket.ts) cost a request: a take
// is one upsert on the pg pool, measured beside a `select 1` round trip on the same pool in the same
// run (the least any statement costs), on PostgreSQL (BENCH_DATABASE_URL, default the local one; a
// fresh database is created and dropped) and on the embedded PGlite. Figures:
//   1. one at a time: µs per take vs µs per `select 1` (what the limiter adds to one API request's latency);
//   2. BENCH_CONCURRENCY (default 16) at once on a pool of as many: takes/s vs `select 1`/s, on one
//      hot key (every take waits for the row lock of the one before: an organization's burst, a
//      platform budget) and on 1,000 keys (many organizations or connections at once);
//   3. a platform request's RequestLimiter.acquire under a platform budget (one reservation in the
//      connection's bucket and the budget's, one statement): µs one at a time, beside two reservations
//      one after the other (the two statements it would otherwise take), and acquires/s at once
//      for 1,000 connections spending one budget (every acquire waits for the budget row's lock);
//   4. PostgreSQL's CPU per take and per acquire (from /proc), vs per `select 1`.
// BENCH_TAKES (default 5,000) statements per figure. Writes bench/results/limits.json.
import { createDb, rawPool, rawQuery, type Db } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { sharedBuckets, type Buckets } from "@/lib/db/shared-bucket";
import { Prisma } from "@/lib/generated/prisma/client";
import { RequestLimiter } from "@/lib/sync/limiter";
import { createBenchDatabase, postgresCpuSeconds, writeResults } from "./support";

const TAKES = Number(process.env.BENCH_TAKES ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const KEYS = 1_000;
// Never runs dry: every take is granted and writes its row (a refusal is the same statement).
const SHAPE = { perSecond: 1e9, capacity: 1e9 };
const ALLOWANCE = { requestsPerSecond: 1e9, burst: 1e9 };

interface Measured {
  seconds: number;
  postgresCpuSeconds: number;
}

async function measure(concurrency: number, op: (i: number) => Promise<unknown>): Promise<Measured> {
  let next = 0;
  const cpu = postgresCpuSeconds();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < TAKES) await op(next++);
    }),
  );
  return { seconds: (performance.now() - started) / 1000, postgresCpuSeconds: postgresCpuSeconds() - cpu };
}

const micros = (m: Measured) => Math.round((m.seconds / TAKES) * 1e6 * 10) / 10;
const perSecond = (m: Measured) => Math.round(TAKES / m.seconds);
const cpuMicros = (m: Measured) => Math.round((m.postgresCpuSeconds / TAKES) * 1e6);

async function bench(db: Db, cpuMeasured: boolean) {
  const buckets: Buckets = sharedBuckets(db);
  const select1 = () => rawQuery(db, Prisma.sql`select 1`);
  // Warm the pool and the statement plans.
  await measure(CONCURRENCY, (i) => Promise.all([select1(), buckets.take(`api:warm:${i % KEYS}`, SHAPE)]));

  const serialSelect = await measure(1, select1);
  const serialTake = await measure(1, () => buckets.take("api:serial", SHAPE));
  const concurrentSelect = await measure(CONCURRENCY, select1);
  const hotKey = await measure(CONCURRENCY, () => buckets.take("api:hot", SHAPE));
  const manyKeys = await measure(CONCURRENCY, (i) => buckets.take(`api:org_${i % KEYS}:sandbox`, SHAPE));
  const reserveHot = await measure(CONCURRENCY, () => buckets.reserve("platform:hot", SHAPE));
  const limiter = new RequestLimiter({ platformBudgets: { bench: ALLOWANCE }, buckets });
  const serialAcquire = await measure(1, () => limiter.acquire("bench", ALLOWANCE, "serial"));
  const serialTwo = await measure(1, async () => {
    await buckets.reserve("connection:two", SHAPE);
    await buckets.reserve("platform:two", SHAPE);
  });
  const budgetAcquire = await measure(CONCURRENCY, (i) => limiter.acquire("bench", ALLOWANCE, `conn_${i % KEYS}`));
  return {
    one_at_a_time: {
      microseconds_per_take: micros(serialTake),
      baseline_select_1_microseconds: micros(serialSelect),
      ratio_to_select_1: Math.round((serialTake.seconds / serialSelect.seconds) * 100) / 100,
      microseconds_per_acquire_under_budget: micros(serialAcquire),
      baseline_two_reservations_microseconds: micros(serialTwo),
    },
    concurrent: {
      concurrency: CONCURRENCY,
      takes_per_second_one_key: perSecond(hotKey),
      takes_per_second_1000_keys: perSecond(manyKeys),
      reservations_per_second_one_key: perSecond(reserveHot),
      acquires_per_second_under_one_budget_1000_connections: perSecond(budgetAcquire),
      baseline_select_1_per_second: perSecond(concurrentSelect),
      ratio_to_select_1_one_key: Math.round((concurrentSelect.seconds / hotKey.seconds) * 100) / 100,
      ratio_to_select_1_1000_keys: Math.round((concurrentSelect.seconds / manyKeys.seconds) * 100) / 100,
    },
    ...(cpuMeasured
      ? {
          postgres_cpu_microseconds: {
            per_take_one_key: cpuMicros(hotKey),
            per_take_1000_keys: cpuMicros(manyKeys),
            per_acquire_under_budget: cpuMicros(budgetAcquire),
            baseline_per_select_1: cpuMicros(concurrentSelect),
          },
        }
      : {}),
  };
}

function print(name: string, result: Awaited<ReturnType<typeof bench>>) {
  const { one_at_a_time: one, concurrent: many } = result;
  console.log(`\n${name}`);
  console.log(
    `  one at a time:      ${one.microseconds_per_take} µs a take        vs select 1: ${one.baseline_select_1_microseconds} µs (×${one.ratio_to_select_1})`,
  );
  console.log(`  ${many.concurrency} at once, 1 key:  ${many.takes_per_second_one_key} takes/s    vs select 1: ${many.baseline_select_1_per_second}/s`);
  console.log(`  ${many.concurrency} at once, 1k keys: ${many.takes_per_second_1000_keys} takes/s`);
  console.log(`  reservations, 1 key: ${many.reservations_per_second_one_key}/s`);
  console.log(
    `  acquire under a budget: ${one.microseconds_per_acquire_under_budget} µs one at a time (two reservations: ${one.baseline_two_reservations_microseconds} µs); ${many.acquires_per_second_under_one_budget_1000_connections}/s at once (1k connections, 1 budget)`,
  );
  if ("postgres_cpu_microseconds" in result && result.postgres_cpu_microseconds) {
    const cpu = result.postgres_cpu_microseconds;
    console.log(
      `  PostgreSQL CPU:     ${cpu.per_take_one_key} µs a take (1 key), ${cpu.per_take_1000_keys} µs (1k keys), ${cpu.per_acquire_under_budget} µs an acquire under a budget vs select 1: ${cpu.baseline_per_select_1} µs`,
    );
  }
}

async function main() {
  const database = await createBenchDatabase();
  let postgres;
  try {
    const db = createDb(database.url, { max: CONCURRENCY });
    postgres = await bench(db, true);
    await rawPool(db).end();
  } finally {
    await database.drop();
  }
  print("PostgreSQL (local)", postgres);

  const embedded = await startEmbeddedPostgres({ dataDir: null });
  let pglite;
  try {
    await applyMigrations(embedded.url);
    const db = createDb(embedded.url, { max: CONCURRENCY });
    pglite = await bench(db, false);
    await rawPool(db).end();
  } finally {
    await embedded.stop();
  }
  print("PGlite (embedded, in this process)", pglite);

  const out = writeResults("limits", { takes_per_figure: TAKES, postgresql: postgres, pglite });
  console.log(`\nwrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
