// The retention function through the served /api/inngest, driven over HTTP as Inngest's executor
// drives it (inngest/testing): a deleted connection's records and data events are removed and its
// purge marked done, then history past the organization's windows is pruned, in steps of about
// TRIBUTARY_STEP_BUDGET_MS each (here a few milliseconds, so the work spans several steps).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createConnection, deleteConnection } from "@/lib/sync/connections";
import { provideEngine } from "@/lib/sync/engine";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { startExecutor, type Executor } from "../testing/executor";

describe("retention under Inngest", () => {
  let h: SyncHarness;
  let inngest: Executor;
  beforeAll(async () => {
    h = await createSyncHarness({});
    provideEngine(h.engine);
    process.env.DATABASE_URL = h.database.url;
    process.env.TRIBUTARY_STEP_BUDGET_MS = "20";
    inngest = await startExecutor();
    await inngest.register();
  }, 120_000);
  afterAll(async () => {
    delete process.env.TRIBUTARY_STEP_BUDGET_MS;
    await inngest?.close();
    await getDb().$disconnect();
    await h?.close();
  });

  it("purges a deleted connection and prunes old events, over several steps", async () => {
    const db = h.database.db;
    const { id: connectionId } = await createConnection(db, {
      organizationId: h.organizationId,
      environment: "sandbox",
      platform: "shopify",
      platformAccountId: "retention-shop",
      credentials: { kind: "api_key", apiKey: "unused" },
    });
    await db.$executeRawUnsafe(
      `insert into records (organization_id, environment, connection_id, object, external_id, data, hash)
       select $1, 'sandbox', $2, 'orders', n::text, jsonb_build_object('id', n::text, 'note', repeat('x', 300)), md5(n::text)
       from generate_series(1, 20000) n`,
      h.organizationId,
      connectionId,
    );
    const { id: keptId } = await createConnection(db, {
      organizationId: h.organizationId,
      environment: "sandbox",
      platform: "shopify",
      platformAccountId: "kept-shop",
      credentials: { kind: "api_key", apiKey: "unused" },
    });
    // 3,000 events 40 days old (past the default 30) on the connection that stays.
    await db.$executeRawUnsafe(
      `insert into events (id, organization_id, environment, connection_id, type, object, data, created_at, fanned_out_at)
       select 'evt_old_' || n, $1, 'sandbox', $2, 'ORDERS_UPDATED', 'orders', '{}', now() - interval '40 days', now() - interval '40 days'
       from generate_series(1, 3000) n`,
      h.organizationId,
      keptId,
    );
    await deleteConnection(db, connectionId);

    const run = inngest.invokeCron("retention");
    await inngest.drain({ timeoutMs: 120_000 });
    expect(run.status).toBe("completed");
    const output = run.output as { purged: number; pruned: boolean; removed: Record<string, number> };
    expect(output).toMatchObject({ purged: 1, pruned: true });
    expect(output.removed.records).toBe(20_000);
    expect(output.removed.events).toBeGreaterThanOrEqual(3000);
    // Each step stopped at its budget: the work took several.
    expect(run.completedSteps.filter((step) => step === "purge-deleted-connections").length).toBeGreaterThan(1);
    expect(run.completedSteps).toContain("prune-history");

    expect(await db.record.count({ where: { connectionId } })).toBe(0);
    expect((await db.connection.findUniqueOrThrow({ where: { id: connectionId } })).purgedAt).not.toBeNull();
    expect((await db.connection.findUniqueOrThrow({ where: { id: connectionId } })).leaseOwner).toBeNull();
    expect(await db.event.count({ where: { id: { startsWith: "evt_old_" } } })).toBe(0);
    // The connection that stays keeps its recent events.
    expect(await db.event.count({ where: { connectionId: keptId, type: "CONNECTION_CREATED" } })).toBe(1);
  }, 180_000);
});
