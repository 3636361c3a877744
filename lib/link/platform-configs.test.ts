// Platform settings from the dashboard against a real database: switching a platform on and off is what
// Link offers, credentials are sealed, and the Platforms page never reads a secret back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "@/lib/crypto";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { PLATFORM_CATALOG } from "@/lib/platforms/catalog";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { tenantDb } from "@/lib/db/tenant";
import { getPlatforms } from "@/lib/presenters/platforms";
import { lastFour, oauthScopes, updatePlatformConfig } from "./platform-configs";
import { availablePlatforms } from "./sessions";

const SECRET = "shpss_0123456789abcdefWXYZ";

describe.each(testDatabaseKinds())("platform settings on %s", (kind) => {
  let database: TestDatabase;
  let organizationId: string;
  const sandbox = () => ({ organizationId, environment: "sandbox" as const });
  const production = () => ({ organizationId, environment: "production" as const });
  const offered = async (scope: ReturnType<typeof sandbox> | ReturnType<typeof production>) => (await availablePlatforms(database.db, scope)).map((p) => p.key);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    organizationId = (
      await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: { email: "a@example.com", name: "A", passwordHash: "x" } })
    ).organization.id;
  });
  afterAll(() => database?.close());

  it("switching a sandbox platform off and on again changes what Link offers", async () => {
    // Every registered platform, in the catalog's order.
    const all = PLATFORM_CATALOG.map((p) => p.key);
    expect(all).toEqual(expect.arrayContaining(["shopify", "quickbooks", "zendesk"]));
    expect(await offered(sandbox())).toEqual(all);
    await updatePlatformConfig(database.db, { ...sandbox(), platform: "zendesk" }, { enabled: false });
    expect(await offered(sandbox())).toEqual(all.filter((key) => key !== "zendesk"));
    await updatePlatformConfig(database.db, { ...sandbox(), platform: "zendesk" }, { enabled: true });
    expect(await offered(sandbox())).toEqual(all);
  });

  it("a production platform is offered only once enabled with a client id and secret", async () => {
    const shopify = { ...production(), platform: "shopify" };
    expect(await offered(production())).toEqual([]);
    await updatePlatformConfig(database.db, shopify, { clientId: "client-id-1234" });
    expect(await offered(production())).toEqual([]);
    await updatePlatformConfig(database.db, shopify, { clientSecret: SECRET });
    expect(await offered(production())).toEqual([]);
    await updatePlatformConfig(database.db, shopify, { enabled: true });
    expect(await offered(production())).toEqual(["shopify"]);
    // Credentials alone never switched it on; switching it off keeps them.
    await updatePlatformConfig(database.db, shopify, { enabled: false });
    expect(await offered(production())).toEqual([]);
    const stored = await database.db.platformConfig.findFirstOrThrow({ where: shopify });
    expect(stored.clientId).toBe("client-id-1234");
    expect(stored.clientSecretEncrypted).not.toContain(SECRET);
    expect(decryptSecret(stored.clientSecretEncrypted!)).toBe(SECRET);
  });

  it("the Platforms page reads whether a secret is set and its last characters, never the secret", async () => {
    const platforms = await getPlatforms(tenantDb(database.db, production()), "production");
    const shopify = platforms.find((summary) => summary.platform.key === "shopify")!;
    expect(shopify.clientSecret).toEqual({ set: true, endsWith: "WXYZ" });
    expect(shopify.clientId).toEqual({ set: true, endsWith: "1234" });
    expect(shopify.enabled).toBe(false);
    const stored = await database.db.platformConfig.findFirstOrThrow({ where: { ...production(), platform: "shopify" } });
    const read = JSON.stringify(platforms);
    expect(read).not.toContain(SECRET);
    expect(read).not.toContain(stored.clientSecretEncrypted);
    expect(platforms.find((summary) => summary.platform.key === "quickbooks")).toMatchObject({
      enabled: false,
      offeredInLink: false,
      clientSecret: { set: false, endsWith: null },
    });
  });

  it("OAuth asks for the team's scopes once set, the defaults otherwise", async () => {
    const zendesk = { ...sandbox(), platform: "zendesk" };
    expect(await oauthScopes(database.db, zendesk)).toEqual(["read"]);
    await updatePlatformConfig(database.db, zendesk, { scopes: ["read", "write"] });
    expect(await oauthScopes(database.db, zendesk)).toEqual(["read", "write"]);
    await updatePlatformConfig(database.db, zendesk, { scopes: [] });
    expect(await oauthScopes(database.db, zendesk)).toEqual(["read"]);
  });

  it("never gives a short value away whole", () => {
    expect(lastFour("abcdefgh1234")).toBe("1234");
    expect(lastFour("abcdef")).toBe("ef");
    expect(lastFour("abc")).toBe("c");
  });
});
