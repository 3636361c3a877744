// Saving the organization and platform levels from the dashboard against a real database: an invalid
// level saves nothing and names its field, a level is checked against what it inherits and passes on,
// and the preview says what each batch fetches.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { getPlatform } from "@/lib/platforms/catalog";
import { resolveConfiguration } from "./configuration";
import { EMPTY_LEVEL, loadEnvironmentLevels, removePlatformOverride, saveLevel } from "./configuration-levels";
import { loadEffectiveConfiguration } from "./load-configuration";
import { describeCreatedWindow, previewBatches } from "./preview";

describe.each(testDatabaseKinds())("configuration levels on %s", (kind) => {
  let database: TestDatabase;
  let scope: { organizationId: string; environment: "sandbox" };
  const effective = (platform: string) => loadEffectiveConfiguration(database.db, { id: "none", ...scope, platform });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const organizationId = (
      await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: { email: "a@example.com", name: "A", passwordHash: "x" } })
    ).organization.id;
    scope = { organizationId, environment: "sandbox" };
  });
  afterAll(() => database?.close());

  it("an invalid window saves nothing and names the batch's field", async () => {
    const before = await loadEnvironmentLevels(database.db, scope);
    const result = await saveLevel(
      database.db,
      scope,
      { kind: "organization" },
      {
        ...EMPTY_LEVEL,
        historyMonths: 24,
        batches: [
          { objects: [], fromMonthsAgo: 2, toMonthsAgo: 0 },
          { objects: [], fromMonthsAgo: 36, toMonthsAgo: 2 },
        ],
      },
    );
    expect(result).toEqual({
      ok: false,
      problems: [{ path: "batches[1].fromMonthsAgo", message: "starts 36 months ago, before the history begins (24 months)" }],
    });
    expect(await loadEnvironmentLevels(database.db, scope)).toEqual(before);
  });

  it("saves a valid organization level with its batches in order", async () => {
    const result = await saveLevel(
      database.db,
      scope,
      { kind: "organization" },
      {
        objects: [],
        historyMonths: 36,
        incrementalFrequencyMinutes: 30,
        batches: [
          { objects: [], fromMonthsAgo: 2, toMonthsAgo: 0 },
          { objects: [], fromMonthsAgo: 24, toMonthsAgo: 2 },
        ],
      },
    );
    expect(result).toEqual({ ok: true });
    const levels = await loadEnvironmentLevels(database.db, scope);
    expect(levels.organization).toMatchObject({ historyMonths: 36, incrementalFrequencyMinutes: 30, batches: [{ fromMonthsAgo: 2 }, { fromMonthsAgo: 24 }] });
  });

  it("a platform override's batches may reach back as far as the history it inherits", async () => {
    // 30 months is past Tributary's default 24 but within the organization's 36.
    const result = await saveLevel(
      database.db,
      scope,
      { kind: "platform", platform: "shopify" },
      {
        ...EMPTY_LEVEL,
        objects: ["orders"],
        batches: [
          { objects: ["orders"], fromMonthsAgo: 2, toMonthsAgo: 0 },
          { objects: [], fromMonthsAgo: 30, toMonthsAgo: 2 },
        ],
      },
    );
    expect(result).toEqual({ ok: true });
    const configuration = await effective("shopify");
    expect(configuration.objects).toEqual(["products", "customers", "orders"]);
    expect(configuration.added).toEqual([
      { object: "products", neededBy: "orders" },
      { object: "customers", neededBy: "orders" },
    ]);
    expect(configuration.batches.map((b) => [b.fromMonthsAgo, b.toMonthsAgo, b.remainder])).toEqual([
      [2, 0, false],
      [30, 2, false],
      [36, 30, true],
    ]);
  });

  it("an organization change that would break a platform override saves nothing and names the platform", async () => {
    const result = await saveLevel(database.db, scope, { kind: "organization" }, { ...EMPTY_LEVEL, historyMonths: 12 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([expect.objectContaining({ platform: "shopify", path: "batches[1].fromMonthsAgo" })]);
    expect((await loadEnvironmentLevels(database.db, scope)).organization?.historyMonths).toBe(36);
  });

  it("an unknown object of a platform is named by its index", async () => {
    const result = await saveLevel(database.db, scope, { kind: "platform", platform: "zendesk" }, { ...EMPTY_LEVEL, objects: ["tickets", "invoices"] });
    expect(result).toMatchObject({ ok: false, problems: [{ path: "objects[1]" }] });
  });

  it("removing an override makes the platform follow the organization again", async () => {
    await removePlatformOverride(database.db, scope, "shopify");
    expect((await loadEnvironmentLevels(database.db, scope)).platforms).toEqual({});
    expect((await effective("shopify")).batches.map((b) => b.fromMonthsAgo)).toEqual([2, 24, 36]);
  });
});

describe("batch preview", () => {
  it("says what each batch fetches, which webhook ends it, and fetches a windowless object whole once", () => {
    const shopify = getPlatform("shopify")!;
    const configuration = resolveConfiguration(shopify, {
      organization: {
        objects: ["orders", "collections"],
        historyMonths: 24,
        incrementalFrequencyMinutes: null,
        batches: [
          { objects: ["orders"], fromMonthsAgo: 2, toMonthsAgo: 0 },
          { objects: [], fromMonthsAgo: 12, toMonthsAgo: 2 },
        ],
      },
    });
    const preview = previewBatches(configuration, ["collections"]);
    expect(preview.map((b) => [b.position, b.objects, b.whole, b.event, b.remainder, describeCreatedWindow(b)])).toEqual([
      [1, ["products", "customers", "orders"], [], "INITIAL_UPDATE", false, "created in the last 2 months"],
      [2, ["products", "collections", "customers", "orders"], ["collections"], "HISTORICAL_UPDATE", false, "created 2–12 months ago"],
      // The remainder of collections' last 2 months: already fetched whole by batch 2, so nothing is left.
      [3, [], [], "HISTORICAL_UPDATE", true, "created in the last 2 months"],
      [4, ["products", "customers", "orders"], [], "HISTORICAL_UPDATE", true, "created 12–24 months ago"],
    ]);
  });
});
