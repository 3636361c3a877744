// npm run bench:sync — the sync engine against the sandbox platforms (their own process, over HTTP)
// and PostgreSQL (BENCH_DATABASE_URL, default the local postgresql://postgres@127.0.0.1:5432/postgres;
// a fresh database is created and dropped). Each figure is printed beside a baseline from the same run:
//   1. ingest: a staged sync of a 1,000,000-record QuickBooks company (rate limit off; batch 1 = the
//      last 2 of 24 months), records/s vs PostgreSQL COPY of the same rows into a copy of the table;
//      peak RSS of this process; time to INITIAL_UPDATE as a share of the whole staged sync; this
//      process's CPU per record; the same sync in an environment that keeps no platform payloads.
//   2. incremental: 100 changes in the 1M records, then one incremental run: requests and time vs the
//      full sync's.
//   3. Shopify on its GraphQL Admin API under the Standard plan's real limits (2,000 points restoring
//      100 a second, bulk operations at the emulator's pace), with the default two-batch configuration:
//      the 5,000-record demo store, then a 1,000,000-record store (BENCH_SHOPIFY_SIZE); time to ready
//      (the first batch), total time, query-cost points spent and THROTTLED answers, beside what the
//      REST connector this replaced needs for the same store at REST's allowance (2 requests a second,
//      250 records a page, one request per order for its transactions).
// Also measured: the same account read through the connector without storing (the platform's ceiling
// on this machine, where the sandbox shares the cores), and synced the way a team writes it by hand —
// the same pages, one INSERT … ON CONFLICT per record (BENCH_PER_RECORD_SIZE records, default 50,000).
// And the engine's own ceiling: the same staged sync from the replay platform (bench/replay-server.ts:
// the pages the sandbox rendered for a recording sync, served from memory in their own process) into a
// fresh database, against COPY of the same rows in that database, with the CPU per record of this
// process, of PostgreSQL's processes and of the replay platform's, and where this process's time
// went (a V8 CPU profile, in categories; BENCH_CPU_PROF=<dir> also writes the profile there).
// BENCH_SIZE changes the account size.
// Writes bench/results/sync.json.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { createDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { quickbooksConnector } from "@/lib/platforms/quickbooks/connector";
import type { ListPage } from "@/lib/platforms/types";
import { createConnection } from "@/lib/sync/connections";
import { syncDue } from "@/lib/sync/drive";
import { createSyncEngine, type SyncEngine } from "@/lib/sync/engine";
import { RequestLimiter } from "@/lib/sync/limiter";
import { saveConfigurationLevel } from "@/lib/sync/load-configuration";
import type { RunStats } from "@/lib/sync/runner";
import {
  createBenchDatabase,
  postgresCpuSeconds,
  startReplayProcess,
  startSandboxProcess,
  writeResults,
  formatShares,
  profileByCategory,
  type CpuProfile,
} from "./support";

const SIZE = Number(process.env.BENCH_SIZE ?? 1_000_000);
const SHOPIFY_SIZE = Number(process.env.BENCH_SHOPIFY_SIZE ?? 1_000_000);
/** Records the hand-written per-record sync stores before it stops (its rate is steady; a million would take long). */
const PER_RECORD_SIZE = Number(process.env.BENCH_PER_RECORD_SIZE ?? 50_000);

async function control(sandboxUrl: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandboxUrl}/control/accounts${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

async function connect(engine: SyncEngine, organizationId: string, sandboxUrl: string, platform: string, account: Record<string, unknown>): Promise<string> {
  await control(sandboxUrl, "", { platform, ...account });
  return connectAccount(engine, organizationId, sandboxUrl, platform, String(account.id));
}

/** A connection to an account the sandbox already has (a new token for it). */
async function connectAccount(engine: SyncEngine, organizationId: string, sandboxUrl: string, platform: string, accountId: string): Promise<string> {
  const token = await control(sandboxUrl, `/${platform}/${accountId}/tokens`, {});
  const { id } = await createConnection(engine.db, {
    organizationId,
    environment: "sandbox",
    platform,
    platformAccountId: accountId,
    credentials: {
      kind: "oauth",
      accessToken: String(token.access_token),
      refreshToken: String(token.refresh_token),
      expiresAt: Date.parse(String(token.expires_at)),
      scopes: [],
    },
  });
  return id;
}

/** Reads every page of every object through the connector, handing each page to `take` until it says stop. */
async function readPages(sandboxUrl: string, accountId: string, take: (page: ListPage, object: string) => Promise<boolean> | boolean): Promise<void> {
  const token = await control(sandboxUrl, `/quickbooks/${accountId}/tokens`, {});
  const context = {
    baseUrl: quickbooksConnector.endpoints(accountId, sandboxUrl).apiBaseUrl,
    credentials: { kind: "oauth" as const, accessToken: String(token.access_token), refreshToken: null, expiresAt: null, scopes: [] },
    fetch,
  };
  for (const { key } of quickbooksConnector.objects) {
    for (let cursor: string | null = null; ;) {
      const page = await quickbooksConnector.list(context, { object: key, cursor });
      if (!(await take(page, key))) return;
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
  }
}

/** Reads every page of every object through the connector and stores nothing: the platform's own ceiling here. */
async function platformOnly(sandboxUrl: string, accountId: string): Promise<{ records: number; seconds: number }> {
  let records = 0;
  const started = performance.now();
  await readPages(sandboxUrl, accountId, (page) => {
    records += page.records.length;
    return true;
  });
  return { records, seconds: (performance.now() - started) / 1000 };
}

/**
 * The sync a team writes by hand, the baseline the engine is measured against: the same pages read
 * through the connector, then one INSERT … ON CONFLICT per record into a plain table keyed by object
 * and id, on one connection. Stops after `limit` records: at its pace the whole account takes long.
 */
async function perRecordSync(url: string, sandboxUrl: string, accountId: string, limit: number): Promise<{ records: number; seconds: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      "create table hand_written_records (object text not null, external_id text not null, data jsonb not null, updated_at timestamptz, primary key (object, external_id))",
    );
    let records = 0;
    const started = performance.now();
    await readPages(sandboxUrl, accountId, async (page, object) => {
      for (const record of page.records) {
        await client.query(
          "insert into hand_written_records values ($1, $2, $3, $4) on conflict (object, external_id) do update set data = excluded.data, updated_at = excluded.updated_at",
          [object, record.externalId, JSON.stringify(record.data), record.updatedAt],
        );
        if (++records >= limit) return false;
      }
      return true;
    });
    return { records, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

/** A fetch that adds up the query-cost points Shopify reports spent and its THROTTLED answers. */
function pointsMeter() {
  const meter = { points: 0, queries: 0, throttled: 0 };
  const metered: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (String(input).endsWith("/graphql.json")) {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as {
        errors?: { extensions?: { code?: string } }[];
        extensions?: { cost?: { actualQueryCost?: number | null; requestedQueryCost?: number } };
      } | null;
      meter.queries++;
      if (body?.errors?.some((error) => error.extensions?.code === "THROTTLED")) meter.throttled++;
      else meter.points += body?.extensions?.cost?.actualQueryCost ?? body?.extensions?.cost?.requestedQueryCost ?? 0;
    }
    return response;
  };
  return { meter, fetch: metered };
}

/**
 * Syncs a Shopify store under Standard-plan limits with the organization's default configuration,
 * until its history is synced: seconds to ready (the first batch) and to the end, points and THROTTLED.
 */
async function shopifyUnderLimits(db: ReturnType<typeof createDb>, sandboxUrl: string, organizationId: string, id: string, size: number) {
  const { meter, fetch: metered } = pointsMeter();
  const engine = createSyncEngine({ db, sandboxUrl, fetch: metered, limiter: new RequestLimiter({ scale: 1 }) });
  const connectionId = await connect(engine, organizationId, sandboxUrl, "shopify", { id, size, seed: 11, rate_limited: true });
  const started = performance.now();
  let readyAt: number | null = null;
  const watch = setInterval(() => {
    void db.connection.findUniqueOrThrow({ where: { id: connectionId }, select: { isReady: true } }).then((c) => {
      if (c.isReady && readyAt === null) readyAt = performance.now();
    });
  }, 100);
  const runIds: string[] = [];
  try {
    for (;;) {
      const runs = await syncDue(engine, connectionId);
      runIds.push(...runs.map((run) => run.runId));
      const connection = await db.connection.findUniqueOrThrow({ where: { id: connectionId }, select: { stage: true, isReady: true } });
      if (connection.isReady && readyAt === null) readyAt = performance.now();
      if (connection.stage === "ONGOING" && runs.length === 0) break;
      // A run stopped by a rate limit is due again after its wait.
      if (runs.length === 0 || runs.at(-1)!.result.status === "rate_limited") await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    clearInterval(watch);
  }
  const finished = performance.now();
  const counts = Object.fromEntries(
    (await db.record.groupBy({ by: ["object"], where: { connectionId, deletedAt: null }, _count: true })).map((row) => [row.object, row._count]),
  ) as Record<string, number>;
  const records = Object.values(counts).reduce((sum, n) => sum + n, 0);
  // The REST connector: 250 records a page for each object, and one request per order for its transactions.
  const restRequests =
    ["products", "collections", "customers", "orders"].reduce((sum, object) => sum + Math.ceil((counts[object] ?? 0) / 250), 0) + (counts.orders ?? 0);
  const seconds = (finished - started) / 1000;
  return {
    records,
    records_by_object: counts,
    ready_seconds: Number((((readyAt ?? finished) - started) / 1000).toFixed(1)),
    total_seconds: Number(seconds.toFixed(1)),
    records_per_second: Math.round(records / seconds),
    queries: meter.queries,
    points_spent: Math.round(meter.points),
    // What the bucket allowed in that time: its 2,000 points and 100 more a second.
    points_allowed: Math.round(2000 + 100 * seconds),
    throttled: meter.throttled,
    goal_throttled: 0,
    runs: runIds.length,
    baseline_rest_connector_requests: restRequests,
    baseline_rest_connector_seconds: Math.round(restRequests / 2),
  };
}

/** An organization whose sandbox environment syncs 25 months of history in two batches (the last 2 months first). */
async function benchOrganization(db: ReturnType<typeof createDb>, slug: string, options: { keepPlatformData?: boolean } = {}): Promise<string> {
  const { organization } = await createOrganizationWithOwner(db, {
    name: `Bench ${slug}`,
    slug,
    owner: { email: `${slug}@example.com`, name: "Bench", passwordHash: "x" },
  });
  if (options.keepPlatformData === false)
    await db.environment.update({ where: { organizationId_kind: { organizationId: organization.id, kind: "sandbox" } }, data: { keepPlatformData: false } });
  await saveConfigurationLevel(
    db,
    { organizationId: organization.id, environment: "sandbox" },
    { objects: [], historyMonths: 25, incrementalFrequencyMinutes: 60, batches: [{ objects: [], fromMonthsAgo: 2, toMonthsAgo: 0 }] },
    newId,
  );
  return organization.id;
}

/**
 * A connection's whole staged sync, timed: its first batch (INITIAL_UPDATE) and the rest, this
 * process's CPU and peak memory, PostgreSQL's CPU, and, given a profiler session, its CPU profile.
 */
async function timedSync(engine: SyncEngine, connectionId: string, profiler?: Session) {
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 50);
  if (profiler) await profiler.post("Profiler.start");
  const postgresBefore = postgresCpuSeconds();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const first = await syncDue(engine, connectionId, { maxRuns: 1 });
  const readyAt = performance.now();
  const rest = await syncDue(engine, connectionId);
  const finished = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const postgresCpu = postgresCpuSeconds() - postgresBefore;
  const profile = profiler ? ((await profiler.post("Profiler.stop")).profile as CpuProfile) : null;
  clearInterval(sampler);
  const stored = await engine.db.record.count({ where: { connectionId } });
  return {
    stored,
    runs: [...first, ...rest],
    firstRunId: first[0].runId,
    seconds: (finished - started) / 1000,
    readySeconds: (readyAt - started) / 1000,
    cpuMicroseconds: cpu.user + cpu.system,
    postgresCpuSeconds: postgresCpu,
    rssBefore,
    peakRss,
    peakHeap,
    profile,
  };
}

/** Seconds PostgreSQL takes to COPY the connection's rows into a copy of the records table (same indexes), streamed from it. */
async function copyBaseline(url: string, connectionId: string): Promise<number> {
  const source = new pg.Client({ connectionString: url });
  const target = new pg.Client({ connectionString: url });
  await Promise.all([source.connect(), target.connect()]);
  try {
    await target.query(`create table records_copy (like records including defaults including indexes)`);
    const columns =
      "organization_id, environment, connection_id, object, external_id, data, platform_data, hash, platform_updated_at, first_seen_at, last_modified_at, last_sync_run_id";
    const started = performance.now();
    await pipeline(
      source.query(copyTo(`copy (select ${columns} from records where connection_id = '${connectionId}') to stdout`)),
      target.query(copyFrom(`copy records_copy (${columns}) from stdin`)),
    );
    return (performance.now() - started) / 1000;
  } finally {
    await Promise.all([source.end(), target.end()]);
  }
}

/**
 * The engine's own ceiling: the company synced from the replay platform into a fresh database. A
 * recording sync (into a database dropped afterwards) has the replay platform keep the sandbox's
 * pages; the measured sync is then served them from memory, and a second one, under the CPU
 * profiler (which slows it), says where this process's time goes.
 */
async function replayedIngest(sandboxUrl: string, accountId: string) {
  const replay = await startReplayProcess(sandboxUrl);
  try {
    await replay.mode("record");
    await inFreshDatabase(async (db) => {
      const engine = createSyncEngine({ db, sandboxUrl: replay.url, limiter: new RequestLimiter({ scale: 1000 }) });
      await syncDue(engine, await connectAccount(engine, await benchOrganization(db, "record"), sandboxUrl, "quickbooks", accountId));
    });
    await replay.mode("replay");
    const replayedSync = (profiler?: Session) =>
      inFreshDatabase(async (db, url) => {
        const engine = createSyncEngine({ db, sandboxUrl: replay.url, limiter: new RequestLimiter({ scale: 1000 }) });
        const connectionId = await connectAccount(engine, await benchOrganization(db, "replay"), sandboxUrl, "quickbooks", accountId);
        const sync = await timedSync(engine, connectionId, profiler);
        return { ...sync, copySeconds: await copyBaseline(url, connectionId) };
      });
    const sync = await replayedSync();
    const served = await replay.stats();
    const profiler = new Session();
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.setSamplingInterval", { interval: 1000 });
    const profiled = await replayedSync(profiler).finally(() => profiler.disconnect());
    if (process.env.BENCH_CPU_PROF) {
      const dir = path.resolve(process.env.BENCH_CPU_PROF);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "sync-replay.cpuprofile"), JSON.stringify(profiled.profile));
    }
    return {
      records: sync.stored,
      seconds: Number(sync.seconds.toFixed(2)),
      records_per_second: Math.round(sync.stored / sync.seconds),
      baseline_postgres_copy_records_per_second: Math.round(sync.stored / sync.copySeconds),
      ratio_to_copy: Number((sync.copySeconds / sync.seconds).toFixed(3)),
      goal_ratio_to_copy: 0.5,
      cpu_microseconds_per_record: {
        engine: Math.round(sync.cpuMicroseconds / sync.stored),
        postgres: Math.round((sync.postgresCpuSeconds * 1e6) / sync.stored),
      },
      peak_rss_mb: Math.round(sync.peakRss / 1024 / 1024),
      replay: {
        pages_served: served.served,
        megabytes_served: Math.round(served.served_bytes / 1024 / 1024),
        misses: served.misses + served.ambiguous_requests,
      },
      profiled_records_per_second: Math.round(profiled.stored / profiled.seconds),
      engine_time: profileByCategory(profiled.profile!),
    };
  } finally {
    await replay.stop();
  }
}

/** The replayed sync's lines of the report. */
function printReplayed(rp: Awaited<ReturnType<typeof replayedIngest>>): void {
  console.log(
    `  from the replay platform    ${rp.records_per_second.toLocaleString()} records/s (${rp.seconds} s; ${rp.replay.pages_served} pages, ${rp.replay.megabytes_served} MB served from memory, ${rp.replay.misses} misses)`,
  );
  console.log(
    `  baseline: PostgreSQL COPY   ${rp.baseline_postgres_copy_records_per_second.toLocaleString()} records/s of the same rows, in the same database`,
  );
  console.log(`  replayed / COPY             ${rp.ratio_to_copy} (goal ≥ ${rp.goal_ratio_to_copy})`);
  console.log(
    `  CPU per record              engine ${rp.cpu_microseconds_per_record.engine} µs, PostgreSQL ${rp.cpu_microseconds_per_record.postgres} µs; peak RSS ${rp.peak_rss_mb} MB`,
  );
  console.log(
    `  the engine's time           (profiled, ${rp.profiled_records_per_second.toLocaleString()} records/s under the profiler) ${formatShares(rp.engine_time)}`,
  );
}

/** Runs `work` against a fresh, migrated database, dropped afterwards. */
async function inFreshDatabase<T>(work: (db: ReturnType<typeof createDb>, url: string) => Promise<T>): Promise<T> {
  const database = await createBenchDatabase();
  const db = createDb(database.url, { max: 4 });
  try {
    return await work(db, database.url);
  } finally {
    await db.$disconnect();
    await database.drop();
  }
}

const runStats = async (engine: SyncEngine, runIds: string[]) => {
  const runs = await engine.db.syncRun.findMany({ where: { id: { in: runIds } } });
  return runs.reduce(
    (sum, run) => ({
      requests: sum.requests + (run.stats as unknown as RunStats).requests,
      rate_limited: sum.rate_limited + (run.stats as unknown as RunStats).rate_limited,
    }),
    { requests: 0, rate_limited: 0 },
  );
};

async function main() {
  process.env.TRIBUTARY_SECRET_KEY ??= randomBytes(32).toString("base64");
  const database = await createBenchDatabase();
  const url = database.url;
  const sandbox = await startSandboxProcess();
  const db = createDb(url, { max: 4 });
  try {
    // BENCH_SYNC_REPLAY=<n>: only the sync from the replay platform, n times, to work on the engine; no results file.
    const replays = Number(process.env.BENCH_SYNC_REPLAY ?? 0);
    if (replays > 0) {
      await control(sandbox.url, "", { platform: "quickbooks", id: "bench-books", size: SIZE, seed: 5, rate_limited: false });
      for (let i = 0; i < replays; i++) printReplayed(await replayedIngest(sandbox.url, "bench-books"));
      return;
    }
    const organizationId = await benchOrganization(db, "bench");
    const engine = createSyncEngine({ db, sandboxUrl: sandbox.url, limiter: new RequestLimiter({ scale: 1000 }) });

    // 1. Ingest.
    console.log(`creating a ${SIZE.toLocaleString()}-record QuickBooks company in the sandbox…`);
    const connectionId = await connect(engine, organizationId, sandbox.url, "quickbooks", { id: "bench-books", size: SIZE, seed: 5, rate_limited: false });
    const live = await timedSync(engine, connectionId);
    const stored = live.stored;
    const syncSeconds = live.seconds;
    const full = await runStats(
      engine,
      live.runs.map((r) => r.runId),
    );
    const batch1Records = await db.record.count({ where: { connectionId, lastSyncRunId: live.firstRunId } });
    console.log(`synced ${stored.toLocaleString()} records in ${syncSeconds.toFixed(1)} s`);

    // Baseline: COPY of the same rows into a copy of the records table (same indexes), streamed from it.
    const copySeconds = await copyBaseline(url, connectionId);

    // What a record takes stored: its unified data, and the platform's payload (deflated, lib/sync/payloads.ts).
    const [size] = await db.$queryRawUnsafe<{ data: number; platform_data: number }[]>(
      `select avg(pg_column_size(data))::float8 as data, avg(octet_length(platform_data))::float8 as platform_data from records where connection_id = $1`,
      connectionId,
    );

    // Baseline: the same account read through the connector without storing anything.
    const platform = await platformOnly(sandbox.url, "bench-books");
    // Baseline: the same account synced the way a team writes it by hand, one upsert per record.
    console.log(`the same account synced by hand, one upsert per record (${PER_RECORD_SIZE.toLocaleString()} records)…`);
    const perRecord = await perRecordSync(url, sandbox.url, "bench-books", Math.min(PER_RECORD_SIZE, stored));

    // The engine's own ceiling: the same company from the replay platform, into a fresh database.
    console.log("the same company synced from the replay platform (pages served from memory) into a fresh database…");
    const replayed = await replayedIngest(sandbox.url, "bench-books");

    // The same company synced by an environment that does not keep platform payloads (Settings → Keep
    // platform payloads): what storing them costs. Its records go into a table already holding the
    // first sync's million, which if anything slows it.
    const lean = await benchOrganization(db, "bench-lean", { keepPlatformData: false });
    const leanConnectionId = await connect(engine, lean, sandbox.url, "quickbooks", { id: "bench-books-lean", size: SIZE, seed: 5, rate_limited: false });
    const leanStarted = performance.now();
    const leanCpuBefore = process.cpuUsage();
    await syncDue(engine, leanConnectionId);
    const leanSeconds = (performance.now() - leanStarted) / 1000;
    const leanCpu = process.cpuUsage(leanCpuBefore);
    const leanStored = await db.record.count({ where: { connectionId: leanConnectionId } });

    // 2. Incremental after 100 changes.
    await control(sandbox.url, "/quickbooks/bench-books/changes", { random: 100, seed: 3 });
    await db.connection.update({ where: { id: connectionId }, data: { nextSyncAt: new Date() } });
    const incStarted = performance.now();
    const incremental = await syncDue(engine, connectionId, { maxRuns: 1 });
    const incSeconds = (performance.now() - incStarted) / 1000;
    const incStats = await runStats(
      engine,
      incremental.map((r) => r.runId),
    );
    const incRun = (await db.syncRun.findUniqueOrThrow({ where: { id: incremental[0].runId } })).stats as unknown as RunStats;
    const incChanged = Object.values(incRun.objects).reduce((sum, o) => sum + o.created + o.updated + o.deleted, 0);

    // 3. Shopify under the Standard plan's limits, the default (two-batch) configuration.
    const { organization: shops } = await createOrganizationWithOwner(db, {
      name: "Bench shops",
      slug: "bench-shops",
      owner: { email: "shops@example.com", name: "Shops", passwordHash: "x" },
    });
    console.log("syncing the 5,000-record demo store under Standard limits…");
    const demoStore = await shopifyUnderLimits(db, sandbox.url, shops.id, "bench-demo-store", 5_000);
    console.log(`creating and syncing a ${SHOPIFY_SIZE.toLocaleString()}-record store under Standard limits…`);
    const largeStore = await shopifyUnderLimits(db, sandbox.url, shops.id, "bench-large-store", SHOPIFY_SIZE);

    const result = {
      date: new Date().toISOString(),
      database: "PostgreSQL (local)",
      ingest: {
        records: stored,
        seconds: Number(syncSeconds.toFixed(2)),
        records_per_second: Math.round(stored / syncSeconds),
        // This process's CPU (every thread), so the engine's own cost shows whatever else the cores run.
        engine_cpu_microseconds_per_record: Math.round(live.cpuMicroseconds / stored),
        postgres_cpu_microseconds_per_record: Math.round((live.postgresCpuSeconds * 1e6) / stored),
        requests: full.requests,
        baseline_postgres_copy_records_per_second: Math.round(stored / copySeconds),
        ratio_to_copy: Number((stored / syncSeconds / (stored / copySeconds)).toFixed(3)),
        baseline_platform_read_only_records_per_second: Math.round(platform.records / platform.seconds),
        ratio_to_platform_read_only: Number((stored / syncSeconds / (platform.records / platform.seconds)).toFixed(3)),
        goal_ratio_to_copy: 0.5,
        peak_rss_mb: Math.round(live.peakRss / 1024 / 1024),
        rss_before_sync_mb: Math.round(live.rssBefore / 1024 / 1024),
        peak_heap_used_mb: Math.round(live.peakHeap / 1024 / 1024),
        goal_peak_rss_mb: 250,
        stored_bytes_per_record: { data: Math.round(size.data), platform_data: Math.round(size.platform_data) },
        without_platform_data: {
          records_per_second: Math.round(leanStored / leanSeconds),
          engine_cpu_microseconds_per_record: Math.round((leanCpu.user + leanCpu.system) / leanStored),
        },
      },
      // The same sync from the replay platform (the sandbox's pages served from memory), into a fresh database.
      replayed_ingest: replayed,
      // The sync a team writes by hand on the same account: one INSERT … ON CONFLICT per record.
      per_record_baseline: {
        records: perRecord.records,
        seconds: Number(perRecord.seconds.toFixed(2)),
        records_per_second: Math.round(perRecord.records / perRecord.seconds),
        engine_times: Number((stored / syncSeconds / (perRecord.records / perRecord.seconds)).toFixed(1)),
        goal_engine_times: 10,
      },
      time_to_ready: {
        batch_1_records: batch1Records,
        initial_update_seconds: Number(live.readySeconds.toFixed(2)),
        whole_staged_sync_seconds: Number(syncSeconds.toFixed(2)),
        share: Number((live.readySeconds / syncSeconds).toFixed(3)),
        goal_share: 0.15,
      },
      incremental_after_100_changes: {
        changes_found: incChanged,
        requests: incStats.requests,
        seconds: Number(incSeconds.toFixed(3)),
        baseline_full_sync_requests: full.requests,
        baseline_full_sync_seconds: Number(syncSeconds.toFixed(2)),
      },
      shopify_standard_plan: {
        policy: "GraphQL Admin API 2026-10: 2,000 points, 100 restored a second; bulk operations for initial and historical batches",
        demo_store: { ...demoStore, goal_ready_seconds: 30, goal_total_seconds: 120 },
        large_store: largeStore,
      },
    };
    const r = result;
    console.log(`ingest (QuickBooks, ${r.ingest.records.toLocaleString()} records, rate limit off, PostgreSQL)`);
    console.log(
      `  engine                      ${r.ingest.records_per_second.toLocaleString()} records/s (${r.ingest.seconds} s, ${r.ingest.requests} requests), ${r.ingest.engine_cpu_microseconds_per_record} µs of its CPU a record`,
    );
    console.log(`  baseline: PostgreSQL COPY   ${r.ingest.baseline_postgres_copy_records_per_second.toLocaleString()} records/s of the same rows`);
    console.log(`  engine / COPY               ${r.ingest.ratio_to_copy} (goal ≥ ${r.ingest.goal_ratio_to_copy})`);
    console.log(
      `  baseline: platform read     ${r.ingest.baseline_platform_read_only_records_per_second.toLocaleString()} records/s fetched and parsed, nothing stored (sandbox on the same 2 cores)`,
    );
    console.log(`  engine / platform read      ${r.ingest.ratio_to_platform_read_only}`);
    printReplayed(r.replayed_ingest);
    console.log(
      `  baseline: by hand           ${r.per_record_baseline.records_per_second.toLocaleString()} records/s, one upsert per record (${r.per_record_baseline.records.toLocaleString()} records)`,
    );
    console.log(`  engine / by hand            ${r.per_record_baseline.engine_times}× (goal ≥ ${r.per_record_baseline.goal_engine_times}×)`);
    console.log(
      `  peak RSS                    ${r.ingest.peak_rss_mb} MB (goal ≤ ${r.ingest.goal_peak_rss_mb} MB); ${r.ingest.rss_before_sync_mb} MB before the sync, peak JS heap ${r.ingest.peak_heap_used_mb} MB`,
    );
    console.log(
      `  payloads not kept           ${r.ingest.without_platform_data.records_per_second.toLocaleString()} records/s, ${r.ingest.without_platform_data.engine_cpu_microseconds_per_record} µs of CPU a record (the environment's "Keep platform payloads" off)`,
    );
    console.log(
      `  stored per record           data ${r.ingest.stored_bytes_per_record.data} bytes, platform_data ${r.ingest.stored_bytes_per_record.platform_data} bytes (deflated)`,
    );
    console.log(`time to ready (batch 1 = last 2 of 24 months, ${r.time_to_ready.batch_1_records.toLocaleString()} records)`);
    console.log(
      `  INITIAL_UPDATE after        ${r.time_to_ready.initial_update_seconds} s of ${r.time_to_ready.whole_staged_sync_seconds} s = ${(r.time_to_ready.share * 100).toFixed(1)}% (goal ≤ 15%)`,
    );
    console.log(`incremental after 100 changes`);
    console.log(
      `  incremental run             ${r.incremental_after_100_changes.requests} requests, ${r.incremental_after_100_changes.seconds} s, ${r.incremental_after_100_changes.changes_found} records changed`,
    );
    console.log(
      `  baseline: full sync         ${r.incremental_after_100_changes.baseline_full_sync_requests} requests, ${r.incremental_after_100_changes.baseline_full_sync_seconds} s`,
    );
    console.log(`Shopify (${r.shopify_standard_plan.policy})`);
    for (const [name, store] of [
      ["demo store", r.shopify_standard_plan.demo_store],
      ["large store", r.shopify_standard_plan.large_store],
    ] as const) {
      console.log(`  ${name}: ${store.records.toLocaleString()} records`);
      console.log(`    ready after               ${store.ready_seconds} s${name === "demo store" ? " (goal ≤ 30 s)" : ""}`);
      console.log(
        `    fully synced after        ${store.total_seconds} s${name === "demo store" ? " (goal ≤ 120 s)" : ""}, ${store.records_per_second.toLocaleString()} records/s, ${store.runs} runs`,
      );
      console.log(
        `    points spent              ${store.points_spent.toLocaleString()} in ${store.queries} queries, of ${store.points_allowed.toLocaleString()} the bucket allowed; THROTTLED ${store.throttled} (goal 0)`,
      );
      console.log(
        `    baseline: REST connector  ${store.baseline_rest_connector_requests.toLocaleString()} requests at 2/s = ${(store.baseline_rest_connector_seconds / 60).toFixed(1)} min`,
      );
    }
    console.log(`wrote ${writeResults("sync", result)}`);
  } finally {
    await db.$disconnect();
    await sandbox.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
