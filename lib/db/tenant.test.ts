import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "./testing";
import { tenantDb, TenantScopeError } from "./tenant";
import { newId } from "./ids";
import { createOrganizationWithOwner } from "./seed";
import { hashToken } from "@/lib/crypto";

describe.each(testDatabaseKinds())("tenant-scoped data access on %s", (kind) => {
  let database: TestDatabase;
  let orgA: string;
  let orgB: string;
  let connectionA: string;
  let connectionB: string;

  async function seedConnection(organizationId: string, environment: "sandbox" | "production", accountName: string) {
    const id = newId("conn");
    await database.db.connection.create({
      data: { id, organizationId, environment, platform: "shopify", accountName, accessTokenHash: hashToken(id) },
    });
    await database.db.event.create({
      data: { id: newId("evt"), organizationId, environment, connectionId: id, type: "CONNECTION_CREATED", data: { connection_id: id } },
    });
    return id;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const owner = (email: string) => ({ email, name: email, passwordHash: "unused" });
    orgA = (await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: owner("a@example.com") })).organization.id;
    orgB = (await createOrganizationWithOwner(database.db, { name: "Globex", slug: "globex", owner: owner("b@example.com") })).organization.id;
    connectionA = await seedConnection(orgA, "sandbox", "Acme store");
    connectionB = await seedConnection(orgB, "sandbox", "Globex store");
    await seedConnection(orgA, "production", "Acme live store");
  });

  afterAll(() => database?.close());

  it("lists only the organization's own rows in the current environment", async () => {
    const a = tenantDb(database.db, { organizationId: orgA, environment: "sandbox" });
    const connections = await a.connection.findMany();
    expect(connections.map((c) => c.accountName)).toEqual(["Acme store"]);
    expect(await a.event.count()).toBe(1);
    expect((await a.member.findMany({ include: { user: true } })).map((m) => m.user.email)).toEqual(["a@example.com"]);
  });

  it("cannot read another organization's row even by its id", async () => {
    const a = tenantDb(database.db, { organizationId: orgA, environment: "sandbox" });
    expect(await a.connection.findUnique({ where: { id: connectionB } })).toBeNull();
    expect(await a.connection.findFirst({ where: { id: connectionB } })).toBeNull();
    // A caller naming the other organization explicitly is overridden, not obeyed.
    expect(await a.connection.findMany({ where: { organizationId: orgB } })).toEqual([]);
    expect(await a.event.findMany({ where: { connectionId: connectionB } })).toEqual([]);
  });

  it("cannot change or delete another organization's row", async () => {
    const a = tenantDb(database.db, { organizationId: orgA, environment: "sandbox" });
    await expect(a.connection.update({ where: { id: connectionB }, data: { accountName: "hijacked" } })).rejects.toThrow();
    expect((await a.connection.updateMany({ where: { id: connectionB }, data: { accountName: "hijacked" } })).count).toBe(0);
    expect((await a.connection.deleteMany({})).count).toBe(1);
    const untouched = await database.db.connection.findUnique({ where: { id: connectionB } });
    expect(untouched?.accountName).toBe("Globex store");
  });

  it("creates rows in its own organization whatever organization the data names", async () => {
    const b = tenantDb(database.db, { organizationId: orgB, environment: "production" });
    const endpoint = await b.webhookEndpoint.create({
      data: { id: newId("whk"), organizationId: orgA, environment: "sandbox", url: "https://example.com/hook", secretEncrypted: "x" },
    });
    expect(endpoint.organizationId).toBe(orgB);
    expect(endpoint.environment).toBe("production");
    expect(await tenantDb(database.db, { organizationId: orgA, environment: "sandbox" }).webhookEndpoint.count()).toBe(0);
  });

  it("separates environments of the same organization", async () => {
    const production = tenantDb(database.db, { organizationId: orgA, environment: "production" });
    expect((await production.connection.findMany()).map((c) => c.accountName)).toEqual(["Acme live store"]);
    expect(await production.connection.findUnique({ where: { id: connectionA } })).toBeNull();
  });

  it("sees only its own organization and refuses direct user access", async () => {
    const a = tenantDb(database.db, { organizationId: orgA, environment: "sandbox" });
    expect((await a.organization.findMany()).map((o) => o.slug)).toEqual(["acme"]);
    expect(await a.organization.findUnique({ where: { id: orgB } })).toBeNull();
    await expect(a.user.findMany()).rejects.toThrow(TenantScopeError);
  });
});
