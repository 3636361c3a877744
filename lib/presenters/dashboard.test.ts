// The dashboard's reads against a real database: pages, filters, tenant scope, and that no secret
// column reaches a page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { tenantDb } from "@/lib/db/tenant";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { hashToken } from "@/lib/crypto";
import { CONNECTIONS_PAGE_SIZE, getConnectionPage } from "./connections";
import { getConnectionStatus } from "./connections-detail";
import { getPlatforms } from "./platforms";
import { getApiKeys } from "./api-keys";
import { getSettings } from "./settings";
import { getSyncConfiguration } from "./sync-configuration";

describe.each(testDatabaseKinds())("dashboard presenters on %s", (kind) => {
  let database: TestDatabase;
  let orgA: string;
  let orgB: string;
  const connectionsA: string[] = [];
  let otherOrgConnection: string;
  let deletedConnection: string;

  const scopeA = () => tenantDb(database.db, { organizationId: orgA, environment: "sandbox" });
  const sandboxA = () => ({ organizationId: orgA, environment: "sandbox" as const });

  async function createConnection(organizationId: string, data: { platform?: string; health?: "HEALTHY" | "DISABLED"; deletedAt?: Date } = {}) {
    const id = newId("conn");
    await database.db.connection.create({
      data: {
        id,
        organizationId,
        environment: "sandbox",
        platform: data.platform ?? "shopify",
        health: data.health,
        deletedAt: data.deletedAt,
        accessTokenHash: hashToken(id),
      },
    });
    return id;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const owner = (email: string) => ({ email, name: email, passwordHash: "scrypt-hash-never-shown" });
    orgA = (await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: owner("a@example.com") })).organization.id;
    orgB = (await createOrganizationWithOwner(database.db, { name: "Globex", slug: "globex", owner: owner("b@example.com") })).organization.id;
    for (let index = 0; index < CONNECTIONS_PAGE_SIZE + 5; index++) {
      connectionsA.push(await createConnection(orgA, { platform: index % 5 === 0 ? "zendesk" : "shopify", health: index === 3 ? "DISABLED" : "HEALTHY" }));
    }
    deletedConnection = await createConnection(orgA, { deletedAt: new Date() });
    otherOrgConnection = await createConnection(orgB);
    const [first] = connectionsA;
    await database.db.record.createMany({
      data: [
        { externalId: "1", object: "orders", deletedAt: null },
        { externalId: "2", object: "orders", deletedAt: null },
        { externalId: "3", object: "orders", deletedAt: new Date() },
        { externalId: "4", object: "products", deletedAt: null },
      ].map((row) => ({ ...row, organizationId: orgA, environment: "sandbox" as const, connectionId: first, data: {}, hash: row.externalId })),
    });
    await database.db.platformConfig.create({
      data: {
        id: newId("pfc"),
        organizationId: orgA,
        environment: "sandbox",
        platform: "shopify",
        enabled: true,
        clientId: "client-123",
        clientSecretEncrypted: "ciphertext",
      },
    });
    await database.db.apiKey.create({
      data: {
        id: newId("key"),
        organizationId: orgA,
        environment: "sandbox",
        name: "Backend",
        clientId: "ck_1",
        secretHash: "hash-never-shown",
        secretHint: "abcd",
      },
    });
  });

  afterAll(() => database?.close());

  it("pages connections newest first by id, without deleted ones or other organizations'", async () => {
    const first = await getConnectionPage(scopeA(), sandboxA(), { filters: {}, sort: "newest" });
    expect(first.total).toBe(CONNECTIONS_PAGE_SIZE + 5);
    expect(first.rows).toHaveLength(CONNECTIONS_PAGE_SIZE);
    expect(first.rows[0].id).toBe(connectionsA[connectionsA.length - 1]);
    expect(first.nextCursor?.id).toBe(first.rows[CONNECTIONS_PAGE_SIZE - 1].id);
    const second = await getConnectionPage(scopeA(), sandboxA(), { filters: {}, sort: "newest", cursor: first.nextCursor! });
    expect(second.rows.map((row) => row.id)).toEqual(connectionsA.slice(0, 5).reverse());
    expect(second.nextCursor).toBeNull();
    const seen = [...first.rows, ...second.rows].map((row) => row.id);
    expect(seen).not.toContain(deletedConnection);
    expect(seen).not.toContain(otherOrgConnection);
  });

  it("filters by platform and health, and tells an empty filter from an empty environment", async () => {
    const zendesk = await getConnectionPage(scopeA(), sandboxA(), { filters: { platform: "zendesk" }, sort: "newest" });
    expect(zendesk.total).toBe(11);
    expect(zendesk.rows.every((row) => row.platform === "zendesk")).toBe(true);
    const disabled = await getConnectionPage(scopeA(), sandboxA(), { filters: { health: "DISABLED" }, sort: "newest" });
    expect(disabled.rows.map((row) => row.id)).toEqual([connectionsA[3]]);
    const none = await getConnectionPage(scopeA(), sandboxA(), { filters: { platform: "quickbooks" }, sort: "newest" });
    expect(none).toMatchObject({ total: 0, anyConnection: true, rows: [] });
    const production = await getConnectionPage(
      tenantDb(database.db, { organizationId: orgA, environment: "production" }),
      { organizationId: orgA, environment: "production" },
      { filters: {}, sort: "newest" },
    );
    expect(production).toMatchObject({ total: 0, anyConnection: false });
  });

  it("shows a connection's record counts per object, deleted records excluded, and nothing of another organization", async () => {
    const detail = await getConnectionStatus(scopeA(), connectionsA[0], "http://localhost:3000");
    // Every object of the platform is listed (Zendesk's, none stored), then the stored ones it does not list, by name.
    expect(detail?.records.filter((row) => row.count > 0)).toEqual([
      { object: "orders", count: 2 },
      { object: "products", count: 1 },
    ]);
    expect(detail?.recordsTotal).toBe(3);
    expect(await getConnectionStatus(scopeA(), otherOrgConnection, "http://localhost:3000")).toBeNull();
    expect(await getConnectionStatus(scopeA(), "conn_missing", "http://localhost:3000")).toBeNull();
  });

  it("says whether platform credentials are set without returning them", async () => {
    const platforms = await getPlatforms(scopeA());
    const shopify = platforms.find((summary) => summary.platform.key === "shopify");
    expect(shopify?.config).toMatchObject({ enabled: true, hasClientId: true, hasClientSecret: true });
    expect(shopify?.connections).toBe(44);
    expect(platforms.find((summary) => summary.platform.key === "quickbooks")?.config).toBeNull();
    expect(JSON.stringify(platforms)).not.toContain("ciphertext");
  });

  it("never reads password hashes or API key secret hashes", async () => {
    const settings = await getSettings(scopeA());
    expect(settings.members.map((member) => member.user.email)).toEqual(["a@example.com"]);
    expect(settings.environments.map((environment) => environment.kind).sort()).toEqual(["production", "sandbox"]);
    expect(JSON.stringify(settings)).not.toContain("scrypt-hash-never-shown");
    const keys = await getApiKeys(scopeA());
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(keys)).not.toContain("hash-never-shown");
  });

  it("reads the organization-level sync configuration created with the organization", async () => {
    const overview = await getSyncConfiguration(scopeA());
    expect(overview.organization).toMatchObject({ historyMonths: 24, incrementalFrequencyMinutes: 60, batches: [] });
    expect(overview.platforms).toEqual([]);
  });
});
