// A connection's page against a real database: its live status (runs in progress object by object,
// needs-update with its re-link URL, health history, record counts) and its event log paged over
// ties, filtered by type, scoped to the member's organization.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@/lib/crypto";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { tenantDb, type TenantScope } from "@/lib/db/tenant";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { changeHealth, verifyRelinkCapability } from "@/lib/sync/health";
import { getConnectionStatus } from "./connections-detail";
import { encodeEventCursor, eventTypesFor, getConnectionEvents, parseEventQuery } from "./connections-events";

const APP = "https://tributary.example.com";

describe.each(testDatabaseKinds())("a connection's page on %s", (kind) => {
  let database: TestDatabase;
  let org: string;
  let otherOrg: string;
  let connectionId: string;
  let otherConnection: string;
  const scope = (): TenantScope => ({ organizationId: org, environment: "sandbox" });
  const db = () => tenantDb(database.db, scope());

  async function connection(organizationId: string) {
    const id = newId("conn");
    await database.db.connection.create({
      data: {
        id,
        organizationId,
        environment: "sandbox",
        platform: "shopify",
        platformAccountId: "acme-store",
        accountName: "Acme Store",
        accessTokenHash: hashToken(id),
        batchesTotal: 2,
        batchesCompleted: 1,
      },
    });
    return id;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const owner = (email: string) => ({ email, name: email, passwordHash: "unused" });
    org = (await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: owner("a@example.com") })).organization.id;
    otherOrg = (await createOrganizationWithOwner(database.db, { name: "Globex", slug: "globex", owner: owner("b@example.com") })).organization.id;
    connectionId = await connection(org);
    otherConnection = await connection(otherOrg);
  });

  afterAll(() => database?.close());

  const run = async (fields: {
    status: "queued" | "running" | "succeeded";
    kind: "historical_batch" | "backfill" | "incremental";
    createdAt: Date;
    stats?: object;
  }) => {
    const id = newId("run");
    await database.db.syncRun.create({
      data: {
        id,
        organizationId: org,
        environment: "sandbox",
        connectionId,
        objects: ["products", "customers", "orders"],
        batchPosition: fields.kind === "historical_batch" ? 2 : null,
        ...fields,
      },
    });
    return id;
  };

  it("shows the run in progress object by object, page by page, and the ones queued behind it", async () => {
    const t = Date.now();
    await run({ status: "succeeded", kind: "incremental", createdAt: new Date(t - 60_000) });
    const running = await run({
      status: "running",
      kind: "historical_batch",
      createdAt: new Date(t - 30_000),
      stats: { objects: { products: { status: "succeeded", pages: 1, seen: 40 } } },
    });
    await run({ status: "queued", kind: "backfill", createdAt: new Date(t - 10_000) });
    // products finished (saved in the run's statistics); customers has stored 3 pages so far (its checkpoint).
    await database.db.checkpoint.createMany({
      data: [
        {
          id: newId("chk"),
          organizationId: org,
          environment: "sandbox",
          syncRunId: running,
          object: "products",
          pages: 1,
          records: 40,
          completedAt: new Date(),
        },
        { id: newId("chk"), organizationId: org, environment: "sandbox", syncRunId: running, object: "customers", pages: 3, records: 750 },
      ],
    });

    const status = await getConnectionStatus(db(), connectionId, APP);
    expect(status?.activeRuns.map((r) => [r.kind, r.status])).toEqual([
      ["historical_batch", "running"],
      ["backfill", "queued"],
    ]);
    expect(status?.activeRuns[0].progress).toEqual([
      { object: "products", status: "succeeded", pages: 1, records: 40, error: null },
      { object: "customers", status: "running", pages: 3, records: 750, error: null },
      { object: "orders", status: "pending", pages: 0, records: 0, error: null },
    ]);
    expect(status?.recentRuns.map((r) => r.status)).toEqual(["queued", "running", "succeeded"]);
    expect(status?.objects).toEqual(["products", "collections", "customers", "orders", "transactions"]);
    expect(JSON.parse(JSON.stringify(status))).toEqual(status);
  });

  it("says why a paused run waits: a spent daily allowance, or the platform's rate limit", async () => {
    const paused = await connection(org);
    const resumeAt = new Date(Date.now() + 20 * 3_600_000);
    const message = "daily limit of 5,000 requests reached; resumes at 2026-12-04 14:05 UTC";
    const pauses = [{ object: "orders", at: new Date().toISOString(), resume_at: resumeAt.toISOString(), limit: "daily", message }];
    await database.db.syncRun.create({
      data: {
        id: newId("run"),
        organizationId: org,
        environment: "sandbox",
        connectionId: paused,
        objects: ["orders"],
        kind: "incremental",
        status: "rate_limited",
        resumeAt,
        stats: { pauses },
      },
    });
    const status = await getConnectionStatus(db(), paused, APP);
    expect(status?.activeRuns[0]).toMatchObject({ status: "rate_limited", resumeAt: resumeAt.toISOString(), pause: { limit: "daily", message } });
    // A pause saved without its reason reads as the platform's rate limit.
    await database.db.syncRun.updateMany({
      where: { connectionId: paused },
      data: { stats: { pauses: [{ object: "orders", at: pauses[0].at, resume_at: pauses[0].resume_at }] } },
    });
    expect((await getConnectionStatus(db(), paused, APP))?.activeRuns[0].pause).toEqual({ limit: "rate", message: "Rate limited by the platform" });
  });

  it("gives the re-link URL while the connection needs an update, and its health history newest first", async () => {
    const subject = { id: connectionId, organizationId: org, environment: "sandbox" as const, platform: "shopify", health: "HEALTHY" as const };
    await database.db.$transaction(async (tx) => {
      await changeHealth(tx, { ...subject }, { to: "UNHEALTHY", detail: "Shopify answered 503 four times", error: "transient" });
    });
    await database.db.$transaction(async (tx) => {
      await changeHealth(tx, { ...subject, health: "UNHEALTHY" }, { to: "NEEDS_UPDATE", detail: "The app was uninstalled", linkUrl: `${APP}/link?relink=x` });
    });
    // Not a health event: left out of the history.
    await database.db.event.create({ data: { id: newId("evt"), organizationId: org, environment: "sandbox", connectionId, type: "ORDER_UPDATED", data: {} } });

    const status = await getConnectionStatus(db(), connectionId, APP);
    expect(status?.connection.health).toBe("NEEDS_UPDATE");
    expect(status?.needsUpdate?.detail).toBe("The app was uninstalled");
    expect(verifyRelinkCapability(new URL(status!.needsUpdate!.linkUrl).searchParams.get("relink")!)?.connectionId).toBe(connectionId);
    expect(status?.needsUpdate?.linkUrl.startsWith(`${APP}/link?relink=`)).toBe(true);
    expect(status?.healthHistory.map((e) => [e.type, e.health, e.previousHealth])).toEqual([
      ["CONNECTION_NEEDS_UPDATE", "NEEDS_UPDATE", "UNHEALTHY"],
      ["CONNECTION_ERROR", "UNHEALTHY", "HEALTHY"],
    ]);
    expect(status?.healthHistory[1]).toMatchObject({ detail: "Shopify answered 503 four times", error: "transient" });
  });

  it("is not found from another organization", async () => {
    expect(await getConnectionStatus(db(), otherConnection, APP)).toBeNull();
  });

  it("pages the event log newest first over events sharing a timestamp, each once, filtered by type", async () => {
    const at = new Date("2026-11-20T12:00:00.000Z");
    // 3 groups of 20 events, each group written in one transaction (so sharing created_at).
    const ids: string[] = [];
    for (let group = 0; group < 3; group++) {
      const rows = Array.from({ length: 20 }, (_, i) => ({
        id: newId("evt"),
        organizationId: org,
        environment: "sandbox" as const,
        connectionId,
        type: i % 5 === 0 ? "ORDER_SYNC_COMPLETED" : "ORDER_UPDATED",
        object: "orders",
        data: { i },
        createdAt: new Date(at.getTime() + group * 1000),
      }));
      await database.db.event.createMany({ data: rows });
      ids.push(...rows.map((r) => r.id));
    }
    await database.db.event.create({
      data: { id: newId("evt"), organizationId: otherOrg, environment: "sandbox", connectionId: otherConnection, type: "ORDER_UPDATED", data: {} },
    });

    const walk = async (type: string | null) => {
      const seen: string[] = [];
      let cursor = null;
      for (;;) {
        const page = await getConnectionEvents(db(), scope(), connectionId, { type, cursor }, 7);
        seen.push(...page.events.map((e) => e.id));
        if (!page.nextCursor) return seen;
        const parsed = parseEventQuery("shopify", new URLSearchParams({ cursor: page.nextCursor }));
        cursor = parsed.ok ? parsed.cursor : null;
      }
    };
    const all = await walk(null);
    const ours = await database.db.event.findMany({ where: { connectionId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    expect(all).toEqual(ours.map((e) => e.id));
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(ids));

    const completed = await walk("ORDER_SYNC_COMPLETED");
    expect(completed).toHaveLength(12);
    expect(completed).toEqual(ours.map((e) => e.id).filter((id) => ids.includes(id) && ids.indexOf(id) % 5 === 0));
    // Another organization's connection has no events here.
    expect((await getConnectionEvents(db(), scope(), otherConnection, { type: null, cursor: null })).events).toEqual([]);
  });

  it("names a bad type or cursor instead of ignoring it", () => {
    expect(parseEventQuery("shopify", new URLSearchParams({ type: "TICKET_CREATED" }))).toMatchObject({ ok: false, field: "type" });
    expect(parseEventQuery("shopify", new URLSearchParams({ cursor: "nope" }))).toMatchObject({ ok: false, field: "cursor" });
    expect(
      parseEventQuery("shopify", new URLSearchParams({ type: "ORDER_CREATED", cursor: encodeEventCursor({ at: "2026-11-20T12:00:00.000Z", id: "evt_1" }) })),
    ).toMatchObject({ ok: true, type: "ORDER_CREATED" });
    expect(eventTypesFor("zendesk")).toEqual(expect.arrayContaining(["CONNECTION_DISABLED", "BACKFILL_STARTED", "TICKET_UPDATED", "COMMENT_SYNC_FAILED"]));
    expect(eventTypesFor("zendesk")).not.toContain("ORDER_UPDATED");
  });
});
