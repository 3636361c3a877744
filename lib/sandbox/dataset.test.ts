import { describe, expect, it } from "vitest";
import { Dataset, DAY_MS, splitSize, type ObjectDefinition, type StoredRecord } from "./dataset";

const ANCHOR = Date.UTC(2026, 10, 1);
const OBJECTS: ObjectDefinition[] = [
  { name: "vendors", weight: 1, idBase: 1_000_000, build: ({ rng }) => ({ name: rng.pick(["Acme", "Globex", "Initech"]) }) },
  { name: "bills", weight: 3, idBase: 2_000_000, build: ({ rng, ref }) => ({ vendor: ref("vendors"), amount: rng.amount(5, 500) }) },
];

function dataset(size: number, clock = () => ANCHOR) {
  return new Dataset({ seed: 42, size, historyMonths: 24, anchor: ANCHOR }, OBJECTS, clock);
}

function pageAll(data: Dataset, object: string, options: Omit<Parameters<Dataset["list"]>[1], "afterId">): StoredRecord[] {
  const out: StoredRecord[] = [];
  for (let afterId: number | undefined; ;) {
    const page = data.list(object, { ...options, afterId });
    out.push(...page);
    if (page.length < options.limit) return out;
    afterId = page[page.length - 1].id;
  }
}

describe("a lazily generated account", () => {
  it("splits its size between objects exactly and spreads records over the history in id order", () => {
    const data = dataset(1001);
    expect(data.baseCount("vendors") + data.baseCount("bills")).toBe(1001);
    const bills = pageAll(data, "bills", { limit: 100, includeDeleted: true });
    expect(bills).toHaveLength(data.baseCount("bills"));
    for (let i = 1; i < bills.length; i++) {
      expect(bills[i].id).toBeGreaterThan(bills[i - 1].id);
      expect(bills[i].createdAt).toBeGreaterThanOrEqual(bills[i - 1].createdAt);
    }
    expect(bills[0].createdAt).toBeGreaterThanOrEqual(ANCHOR - 24 * 30.44 * DAY_MS);
    expect(bills.at(-1)!.updatedAt).toBeLessThanOrEqual(ANCHOR);
  });

  it("gives every object at least one record when the size allows, still adding up exactly", () => {
    expect(splitSize(10, [1, 4, 8, 20, 35, 20, 12])).toEqual([1, 1, 1, 2, 2, 2, 1]);
    expect(splitSize(10, [1, 4, 8, 20, 35, 20, 12]).reduce((a, b) => a + b, 0)).toBe(10);
    expect(splitSize(3, [1, 1, 1, 1])).toEqual([1, 1, 1, 0]);
    expect(splitSize(1000, [10, 1, 25, 64])).toEqual([100, 10, 250, 640]);
  });

  it("is the same for the same seed, record by record, and references existing records", () => {
    const a = dataset(500);
    const b = dataset(500);
    const id = a.list("bills", { limit: 1, afterId: 2_000_100 })[0].id;
    expect(a.get("bills", id)).toEqual(b.get("bills", id));
    const vendor = a.get("bills", id)!.data.vendor as number;
    expect(a.get("vendors", vendor)).toBeDefined();
  });

  it("filters by updated time exactly as a full scan would, from any page size", () => {
    const data = dataset(3000);
    const all = pageAll(data, "bills", { limit: 1000 });
    const min = ANCHOR - 200 * DAY_MS;
    const max = ANCHOR - 100 * DAY_MS;
    const expected = all.filter((r) => r.updatedAt >= min && r.updatedAt <= max).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(10);
    for (const limit of [1, 7, 250]) {
      expect(pageAll(data, "bills", { limit, updatedMin: min, updatedMax: max }).map((r) => r.id)).toEqual(expected);
    }
  });

  it("shows changes: updates move updated_at forward, deletes hide records unless asked, creates append", () => {
    let now = ANCHOR + DAY_MS;
    const data = dataset(300, () => now);
    const changes: string[] = [];
    data.onChange((change) => changes.push(`${change.kind}:${change.record.id}`));
    const [first, second] = data.list("bills", { limit: 2 });
    const updated = data.update("bills", first.id, { amount: "1.00" })!;
    expect(updated.updatedAt).toBe(now);
    now += 1000;
    data.delete("bills", second.id);
    const created = data.create("bills", { vendor: 1_000_001, amount: "9.99" });
    expect(created.id).toBe(2_000_000 + data.baseCount("bills") + 1);

    const live = pageAll(data, "bills", { limit: 50 });
    expect(live.map((r) => r.id)).not.toContain(second.id);
    expect(live.at(-1)!.id).toBe(created.id);
    expect(live.find((r) => r.id === first.id)!.data.amount).toBe("1.00");
    expect(data.liveCount("bills")).toBe(live.length);
    expect(pageAll(data, "bills", { limit: 50, updatedMin: ANCHOR + 1 }).map((r) => r.id)).toEqual([first.id, created.id]);
    expect(pageAll(data, "bills", { limit: 50, updatedMin: ANCHOR + 1, includeDeleted: true }).map((r) => r.id)).toEqual([first.id, second.id, created.id]);
    expect(changes).toEqual([`updated:${first.id}`, `deleted:${second.id}`, `created:${created.id}`]);

    const truth = [...data.groundTruth("bills")];
    expect(truth).toHaveLength(data.baseCount("bills") + 1);
    expect(truth.find((row) => row.id === second.id)).toMatchObject({ deleted: true });
  });

  it("pages by updated time without repeating or skipping records that share a timestamp", () => {
    let now = ANCHOR + DAY_MS;
    const data = dataset(2000, () => now);
    for (const record of data.list("bills", { limit: 30 })) data.update("bills", record.id, { touched: true }); // 30 records, same millisecond
    now += 5;
    const seen: StoredRecord[] = [];
    let after: { updatedAt: number; id: number } | undefined;
    for (;;) {
      const page = data.listByUpdatedAt("bills", { since: 0, after, limit: 7, includeDeleted: true });
      seen.push(...page);
      if (page.length < 7) break;
      after = { updatedAt: page.at(-1)!.updatedAt, id: page.at(-1)!.id };
    }
    expect(new Set(seen.map((r) => r.id)).size).toBe(seen.length);
    expect(seen).toHaveLength(data.baseCount("bills"));
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].updatedAt > seen[i - 1].updatedAt || (seen[i].updatedAt === seen[i - 1].updatedAt && seen[i].id > seen[i - 1].id)).toBe(true);
    }
  });

  it("serves a page of a million-record account without building the account", () => {
    const data = dataset(1_000_000);
    const started = performance.now();
    const page = data.list("bills", { limit: 250, updatedMin: ANCHOR - 30 * DAY_MS });
    const recent = data.listByUpdatedAt("bills", { since: ANCHOR - 30 * DAY_MS, limit: 1000 });
    const elapsed = performance.now() - started;
    expect(page).toHaveLength(250);
    expect(recent).toHaveLength(1000);
    expect(elapsed).toBeLessThan(1000);
  });
});
