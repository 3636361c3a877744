// The Overview's queries at scale, on the local PostgreSQL: 50k connections, 200k sync runs over
// 10 days (counted in the hourly rollups by the migration's own backfill, set-based, as an upgrade
// would), 200k events and as many deliveries. Seeding takes a while, so it runs only when asked:
//   TRIBUTARY_OVERVIEW_BENCH=1 TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx vitest run lib/presenters/overview.bench.test.ts
// It prints each figure's time and the whole page's (all queries at once, as the page runs them).
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { tenantDb } from "@/lib/db/tenant";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { deliveryFigures, getOverview, incidents, runFigures, runningSyncs } from "./overview";

const enabled = Boolean(process.env.TRIBUTARY_OVERVIEW_BENCH && process.env.TEST_DATABASE_URL);
const CONNECTIONS = 50_000;
const RUNS = 200_000;
const EVENTS = 200_000;

/** The 7-day runs statement the Overview ran before the rollups, kept to measure what they saved. */
function rawRunFigures(db: ReturnType<typeof tenantDb>, organizationId: string, now: Date) {
  const since7 = new Date(now.getTime() - 7 * 24 * 3600_000);
  const since24 = new Date(now.getTime() - 24 * 3600_000);
  return db.$queryRaw`
    with runs as (
      select status, created_at >= ${since24} as recent,
             case when status in ('succeeded', 'failed') and started_at is not null and finished_at is not null
                  then extract(epoch from finished_at - started_at) * 1000 end as duration_ms
      from sync_runs
      where organization_id = ${organizationId} and environment = 'production' and created_at >= ${since7} and created_at <= ${now}
    )
    select count(*) as total7,
           count(*) filter (where status = 'succeeded') as succeeded7,
           count(*) filter (where status = 'failed') as failed7,
           count(*) filter (where status in ('queued', 'running', 'rate_limited')) as active7,
           percentile_cont(array[0.5, 0.95]) within group (order by duration_ms) as p7,
           count(*) filter (where recent) as total24,
           count(*) filter (where recent and status = 'succeeded') as succeeded24,
           count(*) filter (where recent and status = 'failed') as failed24,
           count(*) filter (where recent and status in ('queued', 'running', 'rate_limited')) as active24,
           percentile_cont(array[0.5, 0.95]) within group (order by duration_ms) filter (where recent) as p24
    from runs`;
}

describe.runIf(enabled)("overview at scale", () => {
  let database: TestDatabase;
  let organizationId: string;

  beforeAll(async () => {
    database = await createTestDatabase("postgresql");
    organizationId = (
      await createOrganizationWithOwner(database.db, { name: "Big", slug: "big", owner: { email: "big@example.com", name: "Big", passwordHash: "x" } })
    ).organization.id;
    const db = database.db;
    const started = performance.now();
    await db.$executeRawUnsafe(`
      insert into connections (id, organization_id, environment, platform, account_name, stage, health, access_token_hash, batches_total, created_at, updated_at)
      select 'conn_' || g, '${organizationId}', 'production', (array['shopify','quickbooks','zendesk'])[1 + g % 3], 'Shop ' || g,
             (array['INITIAL_SYNC','HISTORICAL_SYNC','ONGOING','ONGOING','ONGOING'])[1 + g % 5]::"ConnectionStage",
             (case when g % 97 = 0 then 'DISABLED' when g % 53 = 0 then 'NEEDS_UPDATE' when g % 11 = 0 then 'UNHEALTHY' else 'HEALTHY' end)::"ConnectionHealth",
             md5('t' || g), 4, now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
      from generate_series(1, ${CONNECTIONS}) g`);
    await db.$executeRawUnsafe(`
      insert into sync_runs (id, organization_id, environment, connection_id, kind, status, objects, stats, created_at, started_at, finished_at, scheduled_at, updated_at)
      select 'run_' || g, '${organizationId}', 'production', 'conn_' || (1 + g % ${CONNECTIONS}), 'incremental',
             (case when g % 1000 = 0 then 'running' when g % 17 = 0 then 'failed' else 'succeeded' end)::"RunStatus",
             array['orders','customers'], '{"objects":{"orders":{"status":"succeeded","seen":10}}}'::jsonb,
             now() - (((g * 7) % 864000) || ' seconds')::interval, now() - (((g * 7) % 864000) || ' seconds')::interval,
             case when g % 1000 = 0 then null else now() - (((g * 7) % 864000) || ' seconds')::interval + ((1 + g % 120) || ' seconds')::interval end,
             now(), now()
      from generate_series(1, ${RUNS}) g`);
    const migration = readFileSync(path.join(process.cwd(), "prisma/migrations/20261123034736_sync_run_hourly_rollups/migration.sql"), "utf8");
    const backfillStarted = performance.now();
    await db.$executeRawUnsafe(migration.slice(migration.indexOf("-- Backfill")));
    console.log(`rollups backfilled from ${RUNS} runs in ${Math.round(performance.now() - backfillStarted)} ms`);
    await db.$executeRawUnsafe(`
      insert into webhook_endpoints (id, organization_id, environment, url, secret_encrypted, failing_since, updated_at)
      select 'whk_' || g, '${organizationId}', 'production', 'https://hooks' || g || '.example.com', 'x', case when g = 1 then now() end, now() from generate_series(1, 3) g`);
    await db.$executeRawUnsafe(`
      insert into events (id, organization_id, environment, type, data, created_at, fanned_out_at)
      select 'evt_' || g, '${organizationId}', 'production', 'ORDER_UPDATED', '{}'::jsonb, now() - ((g % 172800) || ' seconds')::interval, now()
      from generate_series(1, ${EVENTS}) g`);
    await db.$executeRawUnsafe(`
      insert into deliveries (id, organization_id, environment, endpoint_id, event_id, status, attempt_count, created_at, updated_at)
      select 'dlv_' || g, '${organizationId}', 'production', 'whk_' || (1 + g % 3), 'evt_' || g,
             (case when g % 29 = 0 then 'failed' else 'succeeded' end)::"DeliveryStatus", 1, now() - ((g % 172800) || ' seconds')::interval, now()
      from generate_series(1, ${EVENTS}) g`);
    await db.$executeRawUnsafe("analyze");
    console.log(`seeded ${CONNECTIONS} connections, ${RUNS} runs, ${EVENTS} events and deliveries in ${Math.round(performance.now() - started)} ms`);
  }, 600_000);

  afterAll(async () => {
    await database?.close();
  });

  it("answers the whole Overview in well under 300 ms", async () => {
    const scope = { organizationId, environment: "production" as const };
    const db = tenantDb(database.db, scope);
    const first = await getOverview(db, scope);
    expect(first.connections).toBe(CONNECTIONS);
    expect(first.runs7d.total).toBeGreaterThan(100_000);
    const times: number[] = [];
    for (let index = 0; index < 7; index++) {
      const started = performance.now();
      await getOverview(db, scope);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const alone = async (name: string, read: () => Promise<unknown>) => {
      const runs: number[] = [];
      for (let index = 0; index < 5; index++) {
        const started = performance.now();
        await read();
        runs.push(performance.now() - started);
      }
      return `${name} ${runs.sort((a, b) => a - b)[2].toFixed(1)} ms`;
    };
    const now = new Date();
    console.log(
      "each figure alone (median of 5):",
      [
        await alone("connections by health", () => db.connection.groupBy({ by: ["health"], where: { deletedAt: null }, _count: { _all: true } })),
        await alone("connections by stage", () => db.connection.groupBy({ by: ["stage"], where: { deletedAt: null }, _count: { _all: true } })),
        await alone("runs 24 h + 7 d", () => runFigures(db, scope, now)),
        // What runFigures replaced (d57b0e4): both windows' percentiles sorted from the raw runs.
        await alone("runs 24 h + 7 d over raw runs (before)", () => rawRunFigures(db, organizationId, now)),
        await alone("deliveries 24 h", () => deliveryFigures(db, scope, now)),
        await alone("incidents", () => incidents(db)),
      ].join(", "),
    );
    const running: number[] = [];
    for (let index = 0; index < 5; index++) {
      const started = performance.now();
      await runningSyncs(db, scope);
      running.push(performance.now() - started);
    }
    console.log(
      `getOverview over 7 runs: median ${times[3].toFixed(1)} ms, max ${times[6].toFixed(1)} ms; runningSyncs (polled) median ${running.sort((a, b) => a - b)[2].toFixed(1)} ms`,
      JSON.stringify({ ...first, incidents: first.incidents.length, running: { total: first.running.total } }),
    );
    expect(times[3]).toBeLessThan(300);
  }, 120_000);
});
