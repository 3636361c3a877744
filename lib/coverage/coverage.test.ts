// The coverage map's parts: the fields read from a contract (types, nullability, nested line fields),
// and the sample on a real database: an equal share per connection, each connection's newest records.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { unifiedModel } from "@/lib/unified";
import { declaredFields } from "./fields";
import { groupCounts, measureFieldsSql } from "./sql/measure-fields";

describe("the fields a contract declares", () => {
  it("lists each field with its type and nullability, and an array's objects' fields after it", () => {
    const fields = declaredFields(unifiedModel("accounting", "invoices")!);
    const byName = Object.fromEntries(fields.map((field) => [field.name, field]));
    expect(byName.customer_id).toMatchObject({ type: "reference", nullable: true, key: "customer_id", child: null });
    expect(byName.total).toMatchObject({ type: "decimal", nullable: false });
    expect(byName.currency.type).toBe("currency");
    expect(byName.due_date).toMatchObject({ type: "date", nullable: true });
    expect(byName.updated_at.type).toBe("date-time");
    expect(byName["lines[].account_id"]).toMatchObject({ type: "reference", nullable: true, key: "lines", child: "account_id" });
    expect(fields.map((field) => field.name).indexOf("lines[].id")).toBe(fields.map((field) => field.name).indexOf("lines") + 1);
    expect(byName.due_date.description).toMatch(/When payment is due/);
  });

  it("names enums, integers, booleans and arrays of strings", () => {
    const types = (category: string, object: string) =>
      Object.fromEntries(declaredFields(unifiedModel(category, object)!).map((field) => [field.name, field.type]));
    expect(types("commerce", "products")).toMatchObject({ status: "enum", tags: "string[]", variants: "object[]", "variants[].inventory_quantity": "integer" });
    expect(types("accounting", "payments").invoice_ids).toBe("reference[]");
    expect(types("ticketing", "comments").public).toBe("boolean");
  });
});

describe.each(testDatabaseKinds())("the coverage sample (%s)", (kind) => {
  let database: TestDatabase;
  let organizationId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    ({
      organization: { id: organizationId },
    } = await createOrganizationWithOwner(database.db, { name: "A", slug: "a", owner: { email: "a@example.com", name: "A", passwordHash: "x" } }));
    // Three connections holding 2, 5 and 50 invoices; the big one's 13 newest have a number, its older ones none.
    for (const count of [2, 5, 50]) {
      const connection = await database.db.connection.create({
        data: { id: newId("conn"), organizationId, environment: "sandbox", platform: "quickbooks", accessTokenHash: newId("conn") },
      });
      await database.db.record.createMany({
        data: Array.from({ length: count }, (_, i) => ({
          organizationId,
          environment: "sandbox" as const,
          connectionId: connection.id,
          object: "invoices",
          externalId: String(i),
          data: { id: String(i), number: count < 50 || i < 13 ? `N${i}` : null },
          hash: "x",
          lastModifiedAt: new Date(Date.UTC(2026, 0, 1) - i * 60_000),
        })),
      });
    }
  });
  afterAll(() => database?.close());

  const measure = async (limit: number) => {
    const [row] = await database.db.$queryRaw<{ counts: number[][] }[]>(
      measureFieldsSql({ organizationId, environment: "sandbox" }, "quickbooks", "invoices", [{ array: null, keys: ["number"] }], limit),
    );
    return groupCounts(row.counts)[0];
  };

  it("shares the limit evenly, each connection giving its newest records or all it has", async () => {
    // 2 + 5 + 13 = 20: the big connection's share is its 13 newest, all numbered.
    expect(await measure(20)).toEqual({ values: 20, filled: [20] });
    // 2 + 5 + 14: one of the big connection's older, unnumbered records comes in.
    expect(await measure(21)).toEqual({ values: 21, filled: [20] });
    // Shares of 3 from each (the first gives its 2): 8 kept, the newest first.
    expect((await measure(8)).values).toBe(8);
  });

  it("measures every record when there are fewer than the limit, and nothing for another platform", async () => {
    expect(await measure(1000)).toEqual({ values: 57, filled: [20] });
    const [row] = await database.db.$queryRaw<{ counts: number[][] }[]>(
      measureFieldsSql({ organizationId, environment: "sandbox" }, "xero", "invoices", [{ array: null, keys: ["number"] }], 10),
    );
    expect(groupCounts(row.counts)[0]).toEqual({ values: 0, filled: [0] });
  });
});
