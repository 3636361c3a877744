// Deleting an environment's data: the request answers at once; then its connections made before the
// request are deleted a few at a time, each as a connection delete (its CONNECTION_DELETED event),
// and purged; the other environment and a connection made after the request stay.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { newId } from "@/lib/db/ids";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { tenantDb } from "@/lib/db/tenant";
import { getSettings } from "@/lib/presenters/settings";
import { createConnection } from "@/lib/sync/connections";
import { deleteRequestedEnvironments, requestEnvironmentDeletion } from "./environments";
import { purgeDeletedConnections } from "./purge";

describe.each(testDatabaseKinds())("deleting an environment's data on %s", (kind) => {
  let database: TestDatabase;
  let organizationId: string;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    organizationId = (
      await createOrganizationWithOwner(database.db, {
        name: "Env",
        slug: `env-${newId("org").slice(-6).toLowerCase()}`,
        owner: { email: "env@example.com", name: "Env", passwordHash: "x" },
      })
    ).organization.id;
  }, 120_000);
  afterAll(() => database?.close());

  const connect = async (environment: EnvironmentKind, account: string) => {
    const { id } = await createConnection(database.db, {
      organizationId,
      environment,
      platform: "shopify",
      platformAccountId: account,
      credentials: { kind: "api_key", apiKey: "unused" },
    });
    await database.db.$executeRaw`
      insert into records (organization_id, environment, connection_id, object, external_id, data, hash)
      select ${organizationId}, ${environment}::"EnvironmentKind", ${id}, 'orders', n::text, '{}', 'h' from generate_series(1, 100) n`;
    return id;
  };

  it("deletes the connections it had when asked, in the background, and their data", async () => {
    const db = database.db;
    const sandbox = [];
    for (let i = 0; i < 7; i++) sandbox.push(await connect("sandbox", `shop-${i}`));
    const production = await connect("production", "real-shop");

    expect(await requestEnvironmentDeletion(db, { organizationId, environment: "sandbox" }, new Date(Date.now() + 1))).toBe(7);
    // Nothing is deleted by the request itself.
    expect(await db.connection.count({ where: { organizationId, deletedAt: { not: null } } })).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = await connect("sandbox", "made-after");
    // Settings counts what the request covers: not the connection made after it.
    const sandboxSettings = async () =>
      (await getSettings(tenantDb(db, { organizationId, environment: "sandbox" }))).environments.find((e) => e.kind === "sandbox")!;
    expect(await sandboxSettings()).toMatchObject({ connections: 7, deleteConnectionsRequestedAt: expect.any(Date) });

    // A few at a time: 3, 3, then the last one and the request cleared.
    expect(await deleteRequestedEnvironments(db, 3)).toBe(3);
    expect(await deleteRequestedEnvironments(db, 3)).toBe(3);
    expect(await deleteRequestedEnvironments(db, 3)).toBe(1);
    expect(await deleteRequestedEnvironments(db, 3)).toBe(0);
    expect((await db.environment.findFirstOrThrow({ where: { organizationId, kind: "sandbox" } })).deleteConnectionsRequestedAt).toBeNull();
    // With the request done, what deleting the data would delete now: the one made after it.
    expect(await sandboxSettings()).toMatchObject({ connections: 1, deleteConnectionsRequestedAt: null });

    const deleted = await db.connection.findMany({ where: { organizationId, deletedAt: { not: null } }, select: { id: true } });
    expect(deleted.map((c) => c.id).sort()).toEqual([...sandbox].sort());
    expect(await db.event.count({ where: { type: "CONNECTION_DELETED", connectionId: { in: sandbox } } })).toBe(7);

    const purged = await purgeDeletedConnections(db, { owner: "test", leaseMs: 60_000, budgetMs: 60_000 });
    expect(purged.done).toBe(true);
    expect(purged.purged.sort()).toEqual([...sandbox].sort());
    expect(await db.record.count({ where: { connectionId: { in: sandbox } } })).toBe(0);
    expect(await db.record.count({ where: { connectionId: { in: [production, later] } } })).toBe(200);
  }, 120_000);
});
