import { describe, expect, it } from "vitest";
import { getPlatform } from "@/lib/platforms/catalog";
import {
  defaultBatches,
  dependencyClosure,
  InvalidConfigurationError,
  MAX_BATCHES,
  resolveConfiguration,
  validateLevel,
  type ConfigurationLevel,
} from "./configuration";

const quickbooks = getPlatform("quickbooks")!;
const zendesk = getPlatform("zendesk")!;
const shopify = getPlatform("shopify")!;
const level = (partial: Partial<ConfigurationLevel> = {}): ConfigurationLevel => ({
  objects: [],
  historyMonths: null,
  incrementalFrequencyMinutes: null,
  batches: [],
  ...partial,
});

describe("dependencies", () => {
  it("pulls in what an object needs, fetches it first, and says why", () => {
    const closure = dependencyClosure(quickbooks, ["payments", "bills"]);
    expect(closure.objects).toEqual(["accounts", "vendors", "bills", "customers", "invoices", "payments"]);
    expect(closure.added).toEqual([
      { object: "accounts", neededBy: "bills" },
      { object: "vendors", neededBy: "bills" },
      { object: "customers", neededBy: "payments" },
      { object: "invoices", neededBy: "payments" },
    ]);
    expect(dependencyClosure(zendesk, ["comments"]).objects).toEqual(["organizations", "users", "tickets", "comments"]);
  });
});

describe("resolution: connection > platform > organization", () => {
  it("takes each field from the most specific level that sets it", () => {
    const effective = resolveConfiguration(shopify, {
      organization: level({ historyMonths: 24, incrementalFrequencyMinutes: 60 }),
      platform: level({ objects: ["orders"], incrementalFrequencyMinutes: 30 }),
      connection: level({ incrementalFrequencyMinutes: 15 }),
    });
    expect(effective.objects).toEqual(["products", "customers", "orders"]);
    expect(effective.added.map((a) => a.object)).toEqual(["products", "customers"]);
    expect(effective.historyMonths).toBe(24);
    expect(effective.incrementalFrequencyMinutes).toBe(15);
  });

  it("with no batches at any level fetches the last month first, then the rest of the history, every object in each", () => {
    const all = ["organizations", "users", "tickets", "comments"];
    const effective = resolveConfiguration(zendesk, { organization: level() });
    expect(effective.batches).toEqual([
      { position: 1, objects: all, fromMonthsAgo: 1, toMonthsAgo: 0, remainder: false },
      { position: 2, objects: all, fromMonthsAgo: 24, toMonthsAgo: 1, remainder: false },
    ]);
    expect(effective.incrementalFrequencyMinutes).toBe(60);
    // The second batch reaches as far back as the history the levels set.
    expect(
      resolveConfiguration(zendesk, { organization: level({ historyMonths: 36 }), platform: level({ historyMonths: 6 }) }).batches.map((b) => [
        b.fromMonthsAgo,
        b.toMonthsAgo,
      ]),
    ).toEqual([
      [1, 0],
      [6, 1],
    ]);
    // A history of one month has nothing left for a second batch.
    expect(resolveConfiguration(zendesk, { organization: level({ historyMonths: 1 }) }).batches.map((b) => [b.fromMonthsAgo, b.toMonthsAgo])).toEqual([[1, 0]]);
    expect(defaultBatches(1)).toHaveLength(1);
  });

  it("uses the batches of the most specific level that sets any instead of the default", () => {
    const effective = resolveConfiguration(zendesk, {
      organization: level(),
      connection: level({ batches: [{ objects: [], fromMonthsAgo: null, toMonthsAgo: 0 }] }),
    });
    expect(effective.batches.map((b) => [b.fromMonthsAgo, b.toMonthsAgo, b.remainder])).toEqual([[24, 0, false]]);
  });

  it("adds the history no batch covers as final batches, newest first, dependencies first", () => {
    const effective = resolveConfiguration(shopify, {
      organization: level({
        historyMonths: 24,
        batches: [
          { objects: ["orders"], fromMonthsAgo: 2, toMonthsAgo: 0 },
          { objects: ["orders"], fromMonthsAgo: 12, toMonthsAgo: 2 },
        ],
      }),
    });
    expect(effective.batches.map((b) => [b.objects, b.fromMonthsAgo, b.toMonthsAgo, b.remainder])).toEqual([
      [["products", "customers", "orders"], 2, 0, false],
      [["products", "customers", "orders"], 12, 2, false],
      [["collections", "transactions"], 24, 0, true],
      [["products", "customers", "orders"], 24, 12, true],
    ]);
  });
});

describe("validation", () => {
  it("names each bad field: unknown object, empty or overlapping windows, frequency and history bounds", () => {
    const problems = validateLevel(
      quickbooks,
      level({
        objects: ["bills", "journal_entries"],
        historyMonths: 24,
        incrementalFrequencyMinutes: 2,
        batches: [
          { objects: ["bills"], fromMonthsAgo: 6, toMonthsAgo: 0 },
          { objects: ["bills"], fromMonthsAgo: 12, toMonthsAgo: 3 },
          { objects: ["invoices"], fromMonthsAgo: 4, toMonthsAgo: 4 },
          { objects: ["invoices"], fromMonthsAgo: 36, toMonthsAgo: 5 },
        ],
      }),
    );
    expect(problems).toEqual([
      { path: "objects[1]", message: expect.stringContaining('unknown object "journal_entries"') },
      { path: "incrementalFrequencyMinutes", message: "must be from 5 minutes to 14 days (20160 minutes)" },
      { path: "batches[2]", message: "empty window: from 4 to 4 months ago contains no time" },
      { path: "batches[3].fromMonthsAgo", message: "starts 36 months ago, before the history begins (24 months)" },
      { path: "batches[1]", message: "overlaps batches[0] for bills (6 to 3 months ago)" },
    ]);
    expect(validateLevel(quickbooks, level({ incrementalFrequencyMinutes: 20_161 }))[0].path).toBe("incrementalFrequencyMinutes");
    expect(validateLevel(quickbooks, level({ historyMonths: 0 }))[0].path).toBe("historyMonths");
  });

  it("refuses to resolve an invalid configuration, with every problem in the error", () => {
    expect(() => resolveConfiguration(zendesk, { organization: level({ objects: ["macros"], incrementalFrequencyMinutes: 1 }) })).toThrow(
      InvalidConfigurationError,
    );
    try {
      resolveConfiguration(zendesk, { organization: level({ objects: ["macros"], incrementalFrequencyMinutes: 1 }) });
    } catch (error) {
      expect((error as InvalidConfigurationError).problems.map((p) => p.path)).toEqual(["objects[0]", "incrementalFrequencyMinutes"]);
    }
  });

  it("refuses more than MAX_BATCHES batches at once, without comparing them pairwise", () => {
    const batch = { objects: [], fromMonthsAgo: null, toMonthsAgo: 0 };
    const started = performance.now();
    expect(validateLevel(shopify, level({ batches: Array.from({ length: 10_000 }, () => batch) }))).toEqual([
      { path: "batches", message: `at most ${MAX_BATCHES} batches` },
    ]);
    expect(performance.now() - started).toBeLessThan(100);
    expect(
      validateLevel(shopify, level({ batches: Array.from({ length: MAX_BATCHES }, (_, i) => ({ objects: [], fromMonthsAgo: i + 1, toMonthsAgo: i })) }), 240),
    ).toEqual([]);
  });

  it("accepts adjacent batches and the default configuration", () => {
    expect(
      validateLevel(
        shopify,
        level({
          batches: [
            { objects: [], fromMonthsAgo: 2, toMonthsAgo: 0 },
            { objects: [], fromMonthsAgo: null, toMonthsAgo: 2 },
          ],
        }),
      ),
    ).toEqual([]);
    expect(validateLevel(shopify, level())).toEqual([]);
    expect(validateLevel(shopify, level({ batches: defaultBatches(24) }))).toEqual([]);
  });
});
