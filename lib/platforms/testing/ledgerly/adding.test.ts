// Adding a platform is a folder and one registry line (README: "Adding a platform"). This test adds
// Ledgerly — lib/platforms/testing/ledgerly, written the way the README says — by that one line, and
// checks that everything the rest of Tributary derives from the registry picks it up: the catalogue,
// Link, sync jobs, the event catalogue, the sandbox (accounts, demo, ground truth) and a whole sync.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("@/lib/platforms/registry", async (importOriginal) => {
  const registry = await importOriginal<typeof import("@/lib/platforms/registry")>();
  const { ledgerly } = await import("./index");
  // The one line a contributor adds to lib/platforms/registry.ts.
  return { PLATFORMS: [...registry.PLATFORMS, ledgerly] };
});

const { getPlatform, objectEventName } = await import("@/lib/platforms/catalog");
const { getConnector } = await import("@/lib/platforms");
const { linkPlatform } = await import("@/lib/link/platforms");
const { createLinkSession, openLinkSession } = await import("@/lib/link/sessions");
const { jobResources } = await import("@/lib/jobs/resources");
const { parseJobDefinition } = await import("@/lib/jobs/definition");
const { eventCatalogue } = await import("@/lib/events/catalog");
const { SANDBOX_PLATFORMS } = await import("@/lib/sandbox/platforms");
const { DEMO_ACCOUNTS } = await import("@/lib/sandbox/standalone");
const { syncDue } = await import("@/lib/sync/drive");
const { createSyncHarness, GROUND_TRUTH_OBJECTS } = await import("@/lib/sync/testing");
type SyncHarness = Awaited<ReturnType<typeof createSyncHarness>>;

describe("a fourth platform added by its folder and one registry line", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await createSyncHarness({});
  });
  afterAll(() => h?.close());

  it("is in the catalogue, the engine's connectors, the sandbox and its demo accounts", () => {
    expect(getPlatform("ledgerly")).toMatchObject({ name: "Ledgerly", category: "accounting" });
    expect(getConnector("ledgerly").key).toBe("ledgerly");
    expect(SANDBOX_PLATFORMS.map((platform) => platform.key)).toContain("ledgerly");
    expect(DEMO_ACCOUNTS).toContainEqual(expect.objectContaining({ platform: "ledgerly", id: "demo-ledger" }));
    expect(GROUND_TRUTH_OBJECTS.ledgerly).toEqual({ tax_classes: "tax_classes", tax_rates: "tax_rates" });
  });

  it("names its events as its definition says", () => {
    expect(objectEventName("tax_classes")).toBe("TAX_CLASS");
    expect(eventCatalogue()).toEqual(expect.arrayContaining(["TAX_CLASS_CREATED", "TAX_RATE_SYNC_COMPLETED"]));
    expect(eventCatalogue().filter((type) => type.startsWith("TAX_CLASSE"))).toEqual([]);
  });

  it("offers its objects and filters to sync jobs", () => {
    const rates = jobResources("accounting").find((resource) => resource.name === "accounting/tax_rates");
    expect(rates).toMatchObject({ platforms: ["ledgerly"] });
    expect(rates!.query.map((parameter) => parameter.name)).toEqual(["updated_at_min", "created_at_min", "created_at_max", "tax_class_id"]);
    expect(() =>
      parseJobDefinition({
        name: "Rates by class",
        category: "accounting",
        resources: [
          { resource: "accounting/tax_classes", method: "list" },
          {
            resource: "accounting/tax_rates",
            method: "list",
            query: { tax_class_id: "{{resources.accounting.tax_classes.id}}" },
            depends_on: "accounting/tax_classes",
          },
        ],
      }),
    ).not.toThrow();
  });

  it("is offered by Link with its account field and mark", async () => {
    expect(linkPlatform("ledgerly")?.accountField?.parse("https://Acme.ledgerly.test/")).toBe("acme");
    const { token } = await createLinkSession(h.engine, { organizationId: h.organizationId, environment: "sandbox" }, { platforms: ["ledgerly"] });
    const view = await openLinkSession(h.engine, token);
    expect(view.platforms).toEqual([
      expect.objectContaining({
        key: "ledgerly",
        objects: ["tax_classes", "tax_rates"],
        accountField: expect.objectContaining({ label: "Ledgerly workspace" }),
        logo: expect.objectContaining({ glyph: "L" }),
      }),
    ]);
  });

  it("syncs to exactly its emulator's ground truth, dependencies first, with its own event names", async () => {
    const connectionId = await h.connect("ledgerly", { id: "acme", size: 600 });
    const runs = await syncDue(h.engine, connectionId);
    // The default configuration's two batches: the last month, then the rest of the history.
    expect(runs.map((run) => run.result.status)).toEqual(["succeeded", "succeeded"]);
    for (const object of ["tax_classes", "tax_rates"]) {
      const truth = await h.truth("ledgerly", "acme", object);
      expect(truth.length, object).toBeGreaterThan(50);
      expect(await h.stored(connectionId, object), object).toEqual(truth);
    }
    const types = (await h.database.db.event.findMany({ where: { connectionId }, orderBy: { seq: "asc" }, select: { type: true } })).map((event) => event.type);
    const batch = ["TAX_CLASS_SYNC_COMPLETED", "TAX_RATE_SYNC_COMPLETED"];
    expect(types.filter((type) => type.endsWith("_SYNC_COMPLETED"))).toEqual([...batch, ...batch]);
  });
});
