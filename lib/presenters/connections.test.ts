// The Connections list: its query string, and against a real database every sort walked page by page
// (each connection once, in order, nulls last), search (prefix, case, wildcards taken literally,
// exact ids, the "more than" count), the indexes each query reads, and record counts kept by the
// triggers on records.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@/lib/crypto";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { tenantDb, type TenantScope } from "@/lib/db/tenant";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import type { ConnectionHealth, ConnectionStage } from "@/lib/generated/prisma/enums";
import { Prisma } from "@/lib/generated/prisma/client";
import {
  CONNECTIONS_PAGE_SIZE,
  connectionsHref,
  decodeCursor,
  encodeCursor,
  getConnectionPage,
  hasFilters,
  parseConnectionQuery,
  type ConnectionQuery,
  type ConnectionSort,
  type ListCursor,
} from "./connections";
import { likePrefix, pageRowsSql, SEARCH_COUNT_LIMIT, searchMatchesSql } from "./connections-list";

const CONN = "conn_01JD0000000000000000000000";

describe("the connection list's query string", () => {
  it("keeps known platforms, stages, health states, a search, a sort and a cursor made for that sort", () => {
    const cursor = encodeCursor({ sort: "last_synced", key: "2026-11-20T10:00:00.000Z", id: CONN });
    expect(parseConnectionQuery({ platform: "zendesk", stage: "ONGOING", health: "NEEDS_UPDATE", q: "  Acme   Store ", sort: "last_synced", cursor })).toEqual({
      filters: { platform: "zendesk", stage: "ONGOING", health: "NEEDS_UPDATE" },
      search: "Acme Store",
      sort: "last_synced",
      cursor: { sort: "last_synced", key: "2026-11-20T10:00:00.000Z", id: CONN },
    });
  });

  it("ignores unknown values instead of failing the page", () => {
    const query = parseConnectionQuery({
      platform: "salesforce",
      stage: "toString",
      health: "healthy",
      sort: "hasOwnProperty",
      q: "   ",
      cursor: "run_01JD' OR 1=1",
    });
    expect(query).toEqual({ filters: { platform: undefined, stage: undefined, health: undefined }, search: undefined, sort: "newest", cursor: undefined });
    expect(hasFilters(query.filters)).toBe(false);
  });

  it("reads the first of repeated parameters and treats empty selects as no filter", () => {
    expect(parseConnectionQuery({ platform: ["shopify", "zendesk"], stage: "", health: undefined }).filters).toEqual({
      platform: "shopify",
      stage: undefined,
      health: undefined,
    });
  });

  it("drops a cursor made for another sort, and tampered or malformed ones", () => {
    const byName = encodeCursor({ sort: "name", key: "acme", id: CONN });
    expect(parseConnectionQuery({ sort: "newest", cursor: byName }).cursor).toBeUndefined();
    expect(parseConnectionQuery({ sort: "name", cursor: byName }).cursor).toEqual({ sort: "name", key: "acme", id: CONN });
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    expect(decodeCursor(forged(["n", "not a date", CONN]))).toBeUndefined();
    expect(decodeCursor(forged(["n", null, CONN]))).toBeUndefined();
    expect(decodeCursor(forged(["s", null, CONN]))).toEqual({ sort: "last_synced", key: null, id: CONN });
    expect(decodeCursor(forged(["a", "x", "conn_' or 1=1 --"]))).toBeUndefined();
    expect(decodeCursor(forged(["a", 42, CONN]))).toBeUndefined();
    expect(decodeCursor(forged({ sort: "a" }))).toBeUndefined();
    expect(decodeCursor("%%%")).toBeUndefined();
    expect(decodeCursor("x".repeat(2000))).toBeUndefined();
  });

  it("cuts a long search and builds links that keep the query and carry the cursor", () => {
    expect(parseConnectionQuery({ q: "a".repeat(500) }).search).toHaveLength(200);
    expect(connectionsHref({ filters: {}, sort: "newest" })).toBe("/connections");
    const cursor: ListCursor = { sort: "name", key: "acme", id: CONN };
    const href = connectionsHref({ filters: { platform: "shopify", health: "HEALTHY" }, search: "acme & co", sort: "name" }, cursor);
    expect(href).toBe(`/connections?platform=shopify&health=HEALTHY&q=acme+%26+co&sort=name&cursor=${encodeCursor(cursor)}`);
    const back = parseConnectionQuery(Object.fromEntries(new URL(href, "http://x").searchParams));
    expect(back).toMatchObject({ search: "acme & co", sort: "name", cursor });
  });

  it("takes the user's %, _ and \\ literally in a LIKE prefix", () => {
    expect(likePrefix("100%")).toBe("100\\%%");
    expect(likePrefix("under_score")).toBe("under\\_score%");
    expect(likePrefix("a\\b")).toBe("a\\\\b%");
  });
});

interface Seeded {
  id: string;
  platform: string;
  accountName: string | null;
  platformAccountId: string;
  endUserId: string | null;
  stage: ConnectionStage;
  health: ConnectionHealth;
  lastSyncCompletedAt: Date | null;
  createdAt: Date;
}

const BASE = Date.parse("2026-11-01T00:00:00.000Z");
const NAMES = ["Acme", "acme", "Beta", "beta shop", "Céline", "zeta", "Zeta", "100% Cotton", "under_score", "underXscore"];

describe.each(testDatabaseKinds())("the connection list on %s", (kind) => {
  let database: TestDatabase;
  let orgA: string;
  let orgB: string;
  let orgBulk: string;
  const seeded: Seeded[] = [];
  const bulk: Seeded[] = [];

  const sandbox = (organizationId: string): TenantScope => ({ organizationId, environment: "sandbox" });
  const dbOf = (scope: TenantScope) => tenantDb(database.db, scope);

  async function insert(
    organizationId: string,
    rows: Omit<Seeded, "id">[],
    extra: { environment?: "sandbox" | "production"; deletedAt?: Date } = {},
  ): Promise<Seeded[]> {
    const made = rows.map((row) => ({ ...row, id: newId("conn") }));
    await database.db.connection.createMany({
      data: made.map((row) => ({
        ...row,
        organizationId,
        environment: extra.environment ?? "sandbox",
        deletedAt: extra.deletedAt ?? null,
        accessTokenHash: hashToken(row.id),
      })),
    });
    return made;
  }

  function row(i: number, prefix = ""): Omit<Seeded, "id"> {
    return {
      platform: ["shopify", "quickbooks", "zendesk"][i % 3],
      accountName: i % 17 === 0 ? null : `${prefix}${NAMES[i % NAMES.length]} ${i}`,
      platformAccountId: `store-${i}`,
      endUserId: i % 4 === 0 ? `user-${i % 10}` : null,
      stage: i % 5 === 0 ? "INITIAL_SYNC" : "ONGOING",
      health: i % 7 === 0 ? "DISABLED" : "HEALTHY",
      // Ties on purpose: 20 distinct sync times and 40 creation times among 130 connections.
      lastSyncCompletedAt: i % 6 === 0 ? null : new Date(BASE + (i % 20) * 1000),
      createdAt: new Date(BASE + (i % 40) * 1000),
    };
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const owner = (email: string) => ({ email, name: email, passwordHash: "unused" });
    orgA = (await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: owner("a@example.com") })).organization.id;
    orgB = (await createOrganizationWithOwner(database.db, { name: "Globex", slug: "globex", owner: owner("b@example.com") })).organization.id;
    orgBulk = (await createOrganizationWithOwner(database.db, { name: "Bulk", slug: "bulk", owner: owner("c@example.com") })).organization.id;
    seeded.push(
      ...(await insert(
        orgA,
        Array.from({ length: 130 }, (_, i) => row(i)),
      )),
    );
    // Never listed: deleted, another organization's (same names), the other environment's.
    await insert(orgA, [row(3), row(4)], { deletedAt: new Date() });
    await insert(orgB, [row(1), row(2), row(3)]);
    await insert(orgA, [row(1)], { environment: "production" });
    // More matches than a search counts: 1,100 "Bulk …" and 20 "Other …".
    bulk.push(
      ...(await insert(
        orgBulk,
        Array.from({ length: SEARCH_COUNT_LIMIT + 100 }, (_, i) => ({ ...row(i), accountName: `Bulk ${i}`, platformAccountId: `bulk-${i}` })),
      )),
    );
    bulk.push(
      ...(await insert(
        orgBulk,
        Array.from({ length: 20 }, (_, i) => ({ ...row(i), accountName: `Other ${i}`, platformAccountId: `other-${i}` })),
      )),
    );
  }, 120_000);

  afterAll(() => database?.close());

  /** Every page of the query, following next cursors: the ids in the order shown, and the pages' totals. */
  async function walk(scope: TenantScope, query: Omit<ConnectionQuery, "cursor">) {
    const ids: string[] = [];
    const totals = new Set<number | null>();
    let cursor: ListCursor | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await getConnectionPage(dbOf(scope), scope, { ...query, cursor });
      expect(page.rows.length).toBeLessThanOrEqual(CONNECTIONS_PAGE_SIZE);
      ids.push(...page.rows.map((r) => r.id));
      totals.add(page.total);
      if (!page.nextCursor) return { ids, totals: [...totals] };
      expect(page.rows).toHaveLength(CONNECTIONS_PAGE_SIZE);
      // The cursor survives the URL.
      cursor = parseConnectionQuery({ sort: query.sort, cursor: encodeCursor(page.nextCursor) }).cursor;
      expect(cursor).toEqual(page.nextCursor);
    }
    throw new Error("more than 100 pages");
  }

  const byIdDesc = (a: Seeded, b: Seeded) => (a.id < b.id ? 1 : -1);
  const EXPECTED: Record<ConnectionSort, (rows: Seeded[]) => string[]> = {
    newest: (rows) => [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || byIdDesc(a, b)).map((r) => r.id),
    last_synced: (rows) =>
      [
        ...rows.filter((r) => r.lastSyncCompletedAt).sort((a, b) => b.lastSyncCompletedAt!.getTime() - a.lastSyncCompletedAt!.getTime() || byIdDesc(a, b)),
        ...rows.filter((r) => !r.lastSyncCompletedAt).sort(byIdDesc),
      ].map((r) => r.id),
    name: (rows) => {
      const key = (r: Seeded) => r.accountName!.toLowerCase();
      const named = rows.filter((r) => r.accountName).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1));
      return [...named, ...rows.filter((r) => !r.accountName).sort((a, b) => (a.id < b.id ? -1 : 1))].map((r) => r.id);
    },
  };

  it.each(["newest", "last_synced", "name"] as const)(
    "walks every page sorted by %s: each connection once, in order, rows without the key last",
    async (sort) => {
      const { ids, totals } = await walk(sandbox(orgA), { filters: {}, sort });
      expect(ids).toEqual(EXPECTED[sort](seeded));
      expect(totals).toEqual([130]);
    },
  );

  it.each(["newest", "last_synced", "name"] as const)("walks filtered pages sorted by %s", async (sort) => {
    const filters = { platform: "quickbooks", health: "HEALTHY" } as const;
    const { ids, totals } = await walk(sandbox(orgA), { filters, sort });
    const expected = seeded.filter((r) => r.platform === "quickbooks" && r.health === "HEALTHY");
    expect(ids).toEqual(EXPECTED[sort](expected));
    expect(totals).toEqual([expected.length]);
  });

  it("starts a page inside the never-synced rows from a cursor there", async () => {
    const neverSynced = EXPECTED.last_synced(seeded).filter((id) => !seeded.find((r) => r.id === id)!.lastSyncCompletedAt);
    const page = await getConnectionPage(dbOf(sandbox(orgA)), sandbox(orgA), {
      filters: {},
      sort: "last_synced",
      cursor: { sort: "last_synced", key: null, id: neverSynced[2] },
    });
    expect(page.rows.map((r) => r.id)).toEqual(neverSynced.slice(3));
  });

  async function search(scope: TenantScope, text: string, extra: Partial<ConnectionQuery> = {}) {
    return walk(scope, { filters: {}, sort: "newest", search: text, ...extra });
  }
  const named = (predicate: (row: Seeded) => boolean, rows = seeded) => EXPECTED.newest(rows.filter(predicate));

  it("searches account names by prefix, ignoring case, and counts the matches", async () => {
    const expected = named((r) => Boolean(r.accountName?.toLowerCase().startsWith("acme")));
    expect(expected.length).toBeGreaterThan(10);
    expect(await search(sandbox(orgA), "ACME")).toEqual({ ids: expected, totals: [expected.length] });
    expect((await search(sandbox(orgA), "beta s")).ids).toEqual(named((r) => Boolean(r.accountName?.startsWith("beta shop"))));
    expect((await search(sandbox(orgA), "céline 1")).ids).toEqual(named((r) => Boolean(r.accountName && /^Céline 1/.test(r.accountName))));
    // Not a substring search: "cme" is inside "Acme" but starts nothing.
    expect(await search(sandbox(orgA), "cme")).toEqual({ ids: [], totals: [0] });
  });

  it("searches platform account ids and end-user ids by prefix, and connection ids exactly", async () => {
    expect((await search(sandbox(orgA), "store-12")).ids).toEqual(named((r) => r.platformAccountId.startsWith("store-12")));
    expect((await search(sandbox(orgA), "USER-4")).ids).toEqual(named((r) => r.endUserId === "user-4"));
    const target = seeded[42];
    expect((await search(sandbox(orgA), target.id)).ids).toEqual([target.id]);
    // An id is matched whole: its prefix is not an account name, account id or end user.
    expect((await search(sandbox(orgA), target.id.slice(0, 12))).ids).toEqual([]);
  });

  it("takes %, _ and \\ in a search literally", async () => {
    expect((await search(sandbox(orgA), "100%")).ids).toEqual(named((r) => Boolean(r.accountName?.startsWith("100% Cotton"))));
    expect((await search(sandbox(orgA), "100% cotton 7")).ids.length).toBeGreaterThan(0);
    expect((await search(sandbox(orgA), "under_")).ids).toEqual(named((r) => Boolean(r.accountName?.startsWith("under_score"))));
    expect((await search(sandbox(orgA), "%")).ids).toEqual([]);
    expect((await search(sandbox(orgA), "\\")).ids).toEqual([]);
  });

  it("reads a search or cursor PostgreSQL cannot take as text or time (NUL, lone surrogates, year 0, year 10000) as no match, never an error", async () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const queries = [
      { q: "acme\u0000" },
      { q: "\ud800acme" },
      { sort: "name", cursor: forged(["a", "acme\u0000", CONN]) },
      { sort: "name", cursor: forged(["a", "\udc00", CONN]) },
      { sort: "newest", cursor: forged(["n", "0000-01-01T00:00:00.000Z", CONN]) },
      { sort: "last_synced", cursor: forged(["s", "+010000-01-01T00:00:00.000Z", CONN]) },
      { sort: "newest", cursor: forged(["n", "-000001-01-01T00:00:00.000Z", CONN]) },
    ];
    for (const params of queries) {
      const query = parseConnectionQuery(params);
      await expect(getConnectionPage(dbOf(sandbox(orgA)), sandbox(orgA), query), JSON.stringify(params)).resolves.toMatchObject({ anyConnection: true });
    }
  });

  it("combines a search with filters and every sort, and never crosses organizations or environments", async () => {
    const acmeShops = seeded.filter((r) => r.accountName?.toLowerCase().startsWith("acme") && r.platform === "shopify");
    for (const sort of ["newest", "last_synced", "name"] as const) {
      expect((await search(sandbox(orgA), "acme", { filters: { platform: "shopify" }, sort })).ids).toEqual(EXPECTED[sort](acmeShops));
    }
    const ids = (await search(sandbox(orgB), "acme")).ids;
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.some((id) => seeded.some((r) => r.id === id))).toBe(false);
    expect((await search({ organizationId: orgA, environment: "production" }, "acme")).ids).toHaveLength(1);
  });

  it("pages a search with more matches than it counts in every sort, each match once, and says so", async () => {
    const matches = bulk.filter((r) => r.accountName!.startsWith("Bulk"));
    for (const sort of ["newest", "name"] as const) {
      const { ids, totals } = await search(sandbox(orgBulk), "bulk", { sort });
      expect(totals).toEqual([null]);
      expect(ids).toEqual(EXPECTED[sort](matches));
    }
    // A narrower prefix in the same organization is counted again.
    const { ids, totals } = await search(sandbox(orgBulk), "other");
    expect(ids).toEqual(EXPECTED.newest(bulk.filter((r) => r.accountName!.startsWith("Other"))));
    expect(totals).toEqual([20]);
  });

  it("tells an empty search from an empty environment", async () => {
    const none = await getConnectionPage(dbOf(sandbox(orgA)), sandbox(orgA), { filters: {}, sort: "newest", search: "no such account" });
    expect(none).toMatchObject({ rows: [], total: 0, anyConnection: true, nextCursor: null });
    const empty = { organizationId: orgB, environment: "production" } as const;
    expect(await getConnectionPage(dbOf(empty), empty, { filters: {}, sort: "name", search: "acme" })).toMatchObject({ total: 0, anyConnection: false });
  });

  /** The plan PostgreSQL picks for a query, with fresh statistics, when it may not scan the table (these tables are small). */
  async function plan(sql: Prisma.Sql): Promise<string> {
    await database.db.$executeRawUnsafe("analyze connections");
    return database.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("set local enable_seqscan = off");
      const rows = await tx.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`explain ${sql}`);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
  }

  it("reads each sort and each search column through its own index", async () => {
    const scope = sandbox(orgA);
    const cursorOf = (sort: ConnectionSort, key: string): ListCursor => ({ sort, key, id: seeded[0].id });
    expect(await plan(pageRowsSql(scope, { filters: {}, sort: "newest", cursor: cursorOf("newest", "2026-11-01T00:00:10.000Z") }, 51, null))).toContain(
      "connections_organization_id_environment_created_at_idx",
    );
    expect(
      await plan(pageRowsSql(scope, { filters: {}, sort: "last_synced", cursor: cursorOf("last_synced", "2026-11-01T00:00:10.000Z") }, 51, null)),
    ).toContain("connections_list_last_sync_idx");
    expect(await plan(pageRowsSql(scope, { filters: {}, sort: "name", cursor: cursorOf("name", "beta") }, 51, null))).toContain("connections_list_name_idx");
    const searchPlan = await plan(searchMatchesSql(scope, { filters: {}, sort: "newest", search: "Acme" }));
    for (const index of ["connections_list_name_idx", "connections_search_account_idx", "connections_search_end_user_idx", "connections_pkey"])
      expect(searchPlan).toContain(index);
    // The prefix became an index range, not a filter over every row.
    expect(searchPlan).toMatch(/Index Cond: .*>= 'acme'::text\) AND .*< 'acmf'::text\)/);
  });

  it("shows each connection's live records from the counters the triggers keep, whatever writes them", async () => {
    const [first, second] = EXPECTED.newest(seeded);
    const scope = sandbox(orgA);
    const records = (connectionId: string, object: string, count: number, from = 0) =>
      Array.from({ length: count }, (_, i) => ({
        organizationId: orgA,
        environment: "sandbox" as const,
        connectionId,
        object,
        externalId: String(from + i),
        data: {},
        hash: "h",
      }));
    await database.db.record.createMany({ data: [...records(first, "orders", 30), ...records(first, "customers", 5), ...records(second, "orders", 7)] });
    // Deleted on the platform (marked), one revived, some removed outright, one updated in place.
    await database.db.record.updateMany({
      where: { connectionId: first, object: "orders", externalId: { in: ["0", "1", "2", "3"] } },
      data: { deletedAt: new Date() },
    });
    await database.db.record.updateMany({ where: { connectionId: first, object: "orders", externalId: "0" }, data: { deletedAt: null } });
    await database.db.record.updateMany({ where: { connectionId: first, object: "orders", externalId: "10" }, data: { hash: "changed" } });
    await database.db.record.deleteMany({ where: { connectionId: second } });
    await database.db.record.deleteMany({ where: { connectionId: first, object: "customers", externalId: { in: ["0", "1"] } } });

    const page = await getConnectionPage(dbOf(scope), scope, { filters: {}, sort: "newest" });
    const shown = new Map(page.rows.map((r) => [r.id, r.recordCount]));
    expect(shown.get(first)).toBe(27 + 3);
    expect(shown.get(second)).toBe(0);
    // The counters agree with counting the records themselves.
    const counted = await database.db.record.groupBy({ by: ["connectionId", "object"], where: { deletedAt: null }, _count: { _all: true } });
    const kept = await database.db.recordCount.findMany({ where: { count: { not: 0 } } });
    expect(new Set(kept.map((k) => `${k.connectionId}/${k.object}/${k.count}`))).toEqual(
      new Set(counted.map((c) => `${c.connectionId}/${c.object}/${c._count._all}`)),
    );
  });
});
