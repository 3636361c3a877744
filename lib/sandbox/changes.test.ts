import { describe, expect, it } from "vitest";
import { generateChanges } from "./changes";
import { Dataset, type ObjectDefinition } from "./dataset";

const ANCHOR = Date.UTC(2026, 10, 1);
const OBJECTS: ObjectDefinition[] = [
  { name: "customers", weight: 1, idBase: 1_000, build: ({ rng }) => ({ name: rng.pick(["Ada", "Grace", "Edsger"]), tier: rng.int(1, 3) }) },
  {
    name: "orders",
    weight: 3,
    idBase: 100_000,
    build: ({ rng, ref }) => ({ customer: ref("customers"), total: rng.amount(5, 500), status: rng.pick(["open", "paid"]) }),
  },
];

describe("random changes", () => {
  it("mix updates, creations and deletions, all reflected in the ground truth with updated_at moved to now", () => {
    let now = ANCHOR + 3_600_000;
    const dataset = new Dataset({ seed: 11, size: 2_000, historyMonths: 24, anchor: ANCHOR }, OBJECTS, () => now);
    const before = [...dataset.groundTruth()];
    const changes = generateChanges(dataset, 300, 1);
    now += 1;

    const kinds = { created: 0, updated: 0, deleted: 0 };
    for (const change of changes) kinds[change.kind]++;
    expect(changes.length).toBeGreaterThan(280); // a pick can land on a record already deleted in this batch
    expect(kinds.updated).toBeGreaterThan(kinds.created);
    expect(kinds.created).toBeGreaterThan(kinds.deleted);
    expect(kinds.deleted).toBeGreaterThan(0);

    const after = new Map([...dataset.groundTruth()].map((row) => [`${row.object}:${row.id}`, row]));
    expect(after.size).toBe(before.length + kinds.created);
    for (const change of changes) {
      const row = after.get(`${change.record.object}:${change.record.id}`)!;
      expect(row.updatedAt).toBeGreaterThanOrEqual(ANCHOR + 3_600_000);
    }
    const deleted = [...after.values()].filter((row) => row.deleted).length;
    expect(deleted).toBe(kinds.deleted);
    // Orders dominate the account, so they dominate the changes.
    expect(changes.filter((c) => c.record.object === "orders").length).toBeGreaterThan(changes.length / 2);
  });

  it("are the same for the same seed", () => {
    const make = () => new Dataset({ seed: 11, size: 500, historyMonths: 12, anchor: ANCHOR }, OBJECTS, () => ANCHOR + 1);
    const a = generateChanges(make(), 50, 7).map((c) => `${c.kind}:${c.record.id}`);
    const b = generateChanges(make(), 50, 7).map((c) => `${c.kind}:${c.record.id}`);
    expect(a).toEqual(b);
  });

  it("use an object's own edit when it has one (Xero voids and pays invoices), and the ground truth keeps the changed data", () => {
    const objects: ObjectDefinition[] = [
      { ...OBJECTS[0] },
      { ...OBJECTS[1], edit: (record) => (record.data.status === "open" ? { status: "void" } : { status: "refunded" }) },
    ];
    const dataset = new Dataset({ seed: 11, size: 500, historyMonths: 12, anchor: ANCHOR }, objects, () => ANCHOR + 1);
    const updates = generateChanges(dataset, 200, 3, { update: 1, create: 0, delete: 0 }).filter((c) => c.record.object === "orders");
    expect(updates.length).toBeGreaterThan(50);
    for (const change of updates) expect(["void", "refunded"]).toContain(change.record.data.status);
    const rows = [...dataset.groundTruth("orders")].filter((row) => row.data);
    expect(rows.length).toBe(new Set(updates.map((c) => c.record.id)).size);
    for (const row of rows) expect(["void", "refunded"]).toContain(row.data?.status);
  });
});
