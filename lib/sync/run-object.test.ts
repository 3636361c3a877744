// One object synced from the sandbox into the database, end to end: the stored set equals the
// platform's ground truth, an interrupted run (read through a bulk operation) resumes from its
// checkpoint without repeating a page,
// and an incremental run after N changes finds exactly those N.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@/lib/crypto";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { getConnector } from "@/lib/platforms";
import { BULK_PAGE_RECORDS, forgetOpenDownloads } from "@/lib/platforms/shopify/bulk";
import { PAGE_QUERIES } from "@/lib/platforms/shopify/queries";
import { ConnectorError, type ConnectorContext, type ListRequest } from "@/lib/platforms/types";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { runObject } from "./run-object";
import type { UpsertScope } from "./sql/upsert-records";

const shopify = getConnector("shopify");
/** The connector's pages with this context, as runObject asks for them (the runner hands it its platform session's). */
const pagesWith = (context: ConnectorContext) => (request: ListRequest) => shopify.list(context, request);
/** Orders a page: as many as keep a query's requested cost well under Shopify's 1,000 points. */
const PAGE = PAGE_QUERIES.orders.pageSize;

describe("syncing Shopify orders from the sandbox", () => {
  let database: TestDatabase;
  let sandbox: SandboxServer;
  let context: ConnectorContext;
  let organizationId: string;
  let connectionId: string;
  const control = (path: string, method: string, body: unknown) =>
    fetch(`${sandbox.url}/control/accounts${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  beforeAll(async () => {
    [database, sandbox] = await Promise.all([createTestDatabase("pglite"), startSandboxServer({ platforms: SANDBOX_PLATFORMS })]);
    await control("", "POST", { platform: "shopify", id: "sync-shop", size: 4000, seed: 8, rate_limited: false });
    const token = (await (await control("/shopify/sync-shop/tokens", "POST", {})).json()) as { access_token: string };
    context = {
      baseUrl: `${sandbox.url}/shopify/sync-shop`,
      credentials: { kind: "oauth", accessToken: token.access_token, refreshToken: null, expiresAt: null, scopes: [] },
      fetch,
    };
    organizationId = (
      await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: { email: "a@example.com", name: "A", passwordHash: "x" } })
    ).organization.id;
    connectionId = newId("conn");
    await database.db.connection.create({
      data: { id: connectionId, organizationId, environment: "sandbox", platform: "shopify", accessTokenHash: hashToken(connectionId) },
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
    await database?.close();
  });

  async function newRun(kind: "initial_batch" | "incremental"): Promise<UpsertScope> {
    const id = newId("run");
    await database.db.syncRun.create({ data: { id, organizationId, environment: "sandbox", connectionId, kind, objects: ["orders"] } });
    return { organizationId, environment: "sandbox", connectionId, object: "orders", syncRunId: id };
  }

  async function stored() {
    const rows = await database.db.record.findMany({ where: { connectionId, object: "orders", deletedAt: null }, select: { externalId: true } });
    return rows.map((r) => r.externalId).sort();
  }

  async function truth() {
    const body = (await (await fetch(`${sandbox.url}/control/accounts/shopify/sync-shop/ground-truth/orders`)).json()) as {
      records: { id: number; deleted: boolean }[];
    };
    return body.records
      .filter((r) => !r.deleted)
      .map((r) => String(r.id))
      .sort();
  }

  it("stores exactly the platform's orders, resuming an interrupted run from its checkpoint", async () => {
    const scope = await newRun("initial_batch");
    // The first page by a query, then a bulk operation's file 1,000 orders a page. The 4th page fails:
    // the run stops with 3 pages stored and their cursor (the operation and an offset in its file) saved.
    let calls = 0;
    const failing = (request: ListRequest) =>
      ++calls === 4 ? Promise.reject(new ConnectorError("transient", "connection reset")) : shopify.list(context, request);
    await expect(runObject(database.db, { scope, list: failing, emitDataEvents: false })).rejects.toBeInstanceOf(ConnectorError);
    const before = (await stored()).length;
    expect(before).toBe(PAGE + 2 * BULK_PAGE_RECORDS);

    // As a new process would: no download left open, the rest read from the saved offset.
    forgetOpenDownloads();
    const resumed = await runObject(database.db, { scope, list: pagesWith(context), emitDataEvents: false });
    expect(resumed.created).toBe((await truth()).length - before);
    expect(resumed.unchanged).toBe(0); // no page fetched twice
    expect(await stored()).toEqual(await truth());
    const types = (await database.db.event.findMany({ where: { syncRunId: scope.syncRunId }, orderBy: { seq: "asc" } })).map((e) => e.type);
    // The runner, not runObject, decides when a failure is final: a resumed object announces itself once.
    expect(types).toEqual(["ORDER_SYNC_STARTED", "ORDER_SYNC_COMPLETED"]);
  });

  it("an incremental run after N changes finds exactly those N, in few requests", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const { changes } = (await (await control("/shopify/sync-shop/changes", "POST", { random: 60, seed: 5 })).json()) as {
      changes: { kind: string; object: string; id: number }[];
    };
    const orderChanges = changes.filter((c) => c.object === "orders");
    const scope = await newRun("incremental");
    const outcome = await runObject(database.db, { scope, list: pagesWith(context), updatedSince: since, emitDataEvents: true });
    const expectedIds = new Set(orderChanges.filter((c) => c.kind !== "deleted").map((c) => String(c.id)));
    expect(outcome.created + outcome.updated).toBe(expectedIds.size);
    // The changes' pages, not the account's.
    expect(outcome.requests).toBe(Math.max(1, Math.ceil(expectedIds.size / PAGE)));
    const dataEvents = await database.db.event.findMany({ where: { syncRunId: scope.syncRunId, type: { in: ["ORDER_CREATED", "ORDER_UPDATED"] } } });
    expect(new Set(dataEvents.map((e) => (e.data as { id: string }).id))).toEqual(expectedIds);
    // Shopify does not list deletions: until a full re-sync, deleted orders are still stored.
    const deletedOnPlatform = orderChanges.filter((c) => c.kind === "deleted").length;
    expect((await stored()).length).toBe((await truth()).length + deletedOnPlatform);
  });
});
