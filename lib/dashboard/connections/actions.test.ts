// The Connections pages' server actions against a real database and the real sync engine operations:
// only admins act, only on their organization's connections; sync now and backfill queue runs (the
// backfill pausing incremental syncs), bad backfill input is named by field, disable and re-enable
// flip health, delete wants the account's name typed, Link's public token is exchanged once, and a
// new access token replaces the connection's.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { hashToken } from "@/lib/crypto";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { tenantDb } from "@/lib/db/tenant";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import type { MemberRole } from "@/lib/generated/prisma/enums";
import { createSyncEngine, type SyncEngine } from "@/lib/sync/engine";

const state = vi.hoisted(() => ({
  database: null as TestDatabase | null,
  engine: null as SyncEngine | null,
  context: null as unknown,
}));

class Redirected extends Error {
  constructor(readonly url: string) {
    super(`redirect to ${url}`);
  }
}

vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Redirected(url);
  },
  // Next's own: its control-flow errors (a redirect) pass through an action's error handling.
  unstable_rethrow: (error: unknown) => {
    if (error instanceof Redirected) throw error;
  },
}));
vi.mock("@/lib/auth/context", () => ({
  requireContext: async () => state.context,
  hasRole: (context: { role: MemberRole }, role: MemberRole) => ({ viewer: 0, admin: 1, owner: 2 })[context.role] >= { viewer: 0, admin: 1, owner: 2 }[role],
}));
vi.mock("@/lib/db/client", async (original) => ({ ...(await original<typeof import("@/lib/db/client")>()), getDb: () => state.database!.db }));
vi.mock("@/lib/sync/engine", async (original) => ({ ...(await original<typeof import("@/lib/sync/engine")>()), getEngine: () => state.engine! }));

const { exchangeAction, startLinkAction } = await import("./connect-actions");
const { backfillAction, deleteAction, disableAction, enableAction, issueAccessTokenAction, syncNowAction } = await import("./actions");

describe("the Connections pages' actions", () => {
  let database: TestDatabase;
  let org: string;
  let otherOrg: string;

  function signIn(role: MemberRole, organizationId = org) {
    state.context = {
      user: { id: "usr_1", email: "a@example.com", name: "A" },
      organization: { id: organizationId, name: "Acme", slug: "acme" },
      organizations: [],
      role,
      environment: "sandbox",
      db: tenantDb(database.db, { organizationId, environment: "sandbox" }),
    };
  }

  async function connection(fields: { organizationId?: string; stage?: "INITIAL_SYNC" | "ONGOING"; accountName?: string | null } = {}) {
    const id = newId("conn");
    await database.db.connection.create({
      data: {
        id,
        organizationId: fields.organizationId ?? org,
        environment: "sandbox",
        platform: "shopify",
        platformAccountId: "acme-store",
        accountName: fields.accountName === undefined ? "Acme Store" : fields.accountName,
        stage: fields.stage ?? "ONGOING",
        isReady: true,
        accessTokenHash: hashToken(id),
        lastSuccessfulSyncStartedAt: new Date(Date.now() - 3600_000),
      },
    });
    return id;
  }
  const runs = (connectionId: string) => database.db.syncRun.findMany({ where: { connectionId }, orderBy: { createdAt: "asc" } });
  const get = (id: string) => database.db.connection.findUniqueOrThrow({ where: { id } });

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    state.database = database;
    state.engine = createSyncEngine({ db: database.db, appUrl: "https://tributary.example.com", sandboxUrl: null });
    const owner = (email: string) => ({ email, name: email, passwordHash: "unused" });
    org = (await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: owner("a@example.com") })).organization.id;
    otherOrg = (await createOrganizationWithOwner(database.db, { name: "Globex", slug: "globex", owner: owner("b@example.com") })).organization.id;
  });
  afterAll(() => database?.close());
  beforeEach(() => signIn("admin"));

  it("refuses viewers, and treats another organization's connection as missing", async () => {
    const id = await connection();
    signIn("viewer");
    for (const answer of [
      await syncNowAction(id),
      await disableAction(id),
      await backfillAction(id, { objects: ["orders"], start: null, end: null }),
      await startLinkAction(),
      await issueAccessTokenAction(id),
    ]) {
      expect(answer).toMatchObject({ ok: false, message: expect.stringMatching(/^Only owners and admins/) });
    }
    signIn("admin", otherOrg);
    expect(await syncNowAction(id)).toMatchObject({ ok: false, message: expect.stringContaining("no longer exists here") });
    expect(await deleteAction(id, "Acme Store")).toMatchObject({ ok: false });
    expect(await issueAccessTokenAction(id)).toMatchObject({ ok: false, message: expect.stringContaining("no longer exists here") });
    expect((await get(id)).deletedAt).toBeNull();
    expect((await get(id)).accessTokenHash).toBe(hashToken(id));
    expect(await runs(id)).toEqual([]);
  });

  it("sync now queues one manual run, and says so when one is already queued", async () => {
    const id = await connection();
    expect(await syncNowAction(id)).toEqual({ ok: true, message: expect.stringMatching(/^Sync queued/) });
    expect(await syncNowAction(id)).toEqual({ ok: true, message: "A sync is already queued for this connection." });
    expect((await runs(id)).map((run) => [run.kind, run.status])).toEqual([["manual", "queued"]]);
  });

  it("names bad backfill input by field and queues nothing", async () => {
    const id = await connection();
    expect(await backfillAction(id, { objects: [], start: null, end: null })).toMatchObject({
      ok: false,
      fieldErrors: { objects: "Choose at least one object to backfill" },
    });
    expect(await backfillAction(id, { objects: ["orders"], start: "2026-03-31", end: "2026-03-01" })).toMatchObject({
      ok: false,
      fieldErrors: { end: expect.stringContaining("before the start") },
    });
    expect(await backfillAction(id, { objects: ["orders"], start: "2026-02-30", end: null })).toMatchObject({
      ok: false,
      fieldErrors: { start: expect.any(String) },
    });
    expect(await backfillAction(id, { objects: ["orders", "tickets"], start: null, end: null })).toMatchObject({
      ok: false,
      fieldErrors: { objects: expect.stringContaining('unknown object "tickets"') },
    });
    expect(await runs(id)).toEqual([]);
  });

  it("backfill queues the chosen objects for whole days and pauses incremental syncs, cancelling a queued one", async () => {
    const id = await connection();
    await database.db.syncRun.create({
      data: { id: newId("run"), organizationId: org, environment: "sandbox", connectionId: id, kind: "incremental", objects: ["orders"] },
    });
    const answer = await backfillAction(id, { objects: ["orders", "customers"], start: "2026-03-01", end: "2026-03-31" });
    expect(answer).toMatchObject({ ok: true, message: expect.stringContaining("Incremental syncs are paused until it ends") });
    const [incremental, backfill] = await runs(id);
    expect(incremental.status).toBe("cancelled");
    // In dependency order, from the first instant of the start day to the end of the end day.
    expect(backfill).toMatchObject({ kind: "backfill", status: "queued", objects: ["customers", "orders"] });
    expect(backfill.windowStart?.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(backfill.windowEnd?.toISOString()).toBe("2026-04-01T00:00:00.000Z");
    expect((await get(id)).incrementalPausedAt).not.toBeNull();
  });

  it("disables (then refuses to sync) and re-enables", async () => {
    const id = await connection();
    expect(await disableAction(id)).toMatchObject({ ok: true });
    expect(await get(id)).toMatchObject({ health: "DISABLED", disabledReason: "disabled_by_user" });
    expect(await syncNowAction(id)).toMatchObject({ ok: false, message: expect.stringContaining("disabled") });
    expect(await enableAction(id)).toMatchObject({ ok: true });
    expect(await get(id)).toMatchObject({ health: "HEALTHY", disabledReason: null });
  });

  it("deletes only when the account's name is typed, then goes back to the list", async () => {
    const id = await connection();
    expect(await deleteAction(id, "acme store")).toMatchObject({ ok: false, fieldErrors: { confirmation: "Type Acme Store exactly to confirm." } });
    expect((await get(id)).deletedAt).toBeNull();
    await expect(deleteAction(id, " Acme Store ")).rejects.toThrow(new Redirected("/connections?deleted=Acme%20Store"));
    expect((await get(id)).deletedAt).not.toBeNull();
    // A connection without a name is confirmed by its platform account id.
    const unnamed = await connection({ accountName: null });
    await expect(deleteAction(unnamed, "acme-store")).rejects.toBeInstanceOf(Redirected);
  });

  it("opens a link session and exchanges Link's public token once for the new connection's access token", async () => {
    const started = await startLinkAction();
    expect(started).toMatchObject({ ok: true, token: expect.stringMatching(/^link_/) });
    const session = await database.db.linkSession.findUniqueOrThrow({ where: { tokenHash: hashToken((started as { token: string }).token) } });
    expect(session).toMatchObject({ organizationId: org, environment: "sandbox", status: "pending" });

    // What Link's completion leaves behind: a new connection and a public token for it.
    const id = await connection();
    const publicToken = "public_test_token";
    await database.db.linkSession.update({
      where: { id: session.id },
      data: { status: "completed", connectionId: id, publicTokenHash: hashToken(publicToken), publicTokenExpiresAt: new Date(Date.now() + 600_000) },
    });
    const exchanged = await exchangeAction(publicToken);
    expect(exchanged).toMatchObject({ ok: true, connectionId: id, platform: "shopify", isRelink: false, accessToken: expect.stringMatching(/^access_/) });
    expect((await get(id)).accessTokenHash).toBe(hashToken((exchanged as { accessToken: string }).accessToken));
    expect(await exchangeAction(publicToken)).toMatchObject({ ok: false, message: expect.stringContaining("works once") });
    expect(await exchangeAction("")).toMatchObject({ ok: false });
  });

  it("issues a new access token, shown once: Tributary keeps its hash, the previous one stops matching", async () => {
    const id = await connection();
    const issued = await issueAccessTokenAction(id);
    expect(issued).toEqual({ ok: true, message: expect.stringContaining("previous one no longer works"), accessToken: expect.stringMatching(/^access_/) });
    const { accessTokenHash } = await get(id);
    expect(accessTokenHash).toBe(hashToken((issued as { accessToken: string }).accessToken));
    expect(accessTokenHash).not.toBe(hashToken(id));
    expect(await database.db.event.findFirst({ where: { connectionId: id, type: "CONNECTION_UPDATED" } })).toMatchObject({
      data: { reason: "access_token_issued" },
    });
  });
});
