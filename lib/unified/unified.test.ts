// The unified models as contracts: every field documented, money and time in one form, references
// that name an object of their own category, and the served form with Tributary's record ids.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { decimalString, utcTimestamp } from "./convert";
import { REFERENCES_KEYWORD, eachReference, referencedObjects, referencesOf, servedModel, unifiedModel, UNIFIED_MODELS, withRecordIds } from "./index";

type JsonSchema = Record<string, unknown>;

const everyModel = Object.entries(UNIFIED_MODELS).flatMap(([category, objects]) => Object.keys(objects).map((object) => [category, object] as const));

/** Every property of a JSON Schema, with its dotted path, through nested objects and arrays. */
function properties(schema: JsonSchema, path = ""): [string, JsonSchema][] {
  const found: [string, JsonSchema][] = [];
  const branches = [schema, ...((schema.anyOf as JsonSchema[] | undefined) ?? [])];
  for (const branch of branches) {
    if (branch.items) found.push(...properties(branch.items as JsonSchema, `${path}[]`));
    for (const [name, property] of Object.entries((branch.properties as Record<string, JsonSchema> | undefined) ?? {})) {
      found.push([`${path}${path ? "." : ""}${name}`, property], ...properties(property, `${path}${path ? "." : ""}${name}`));
    }
  }
  return found;
}

const ORDER = {
  id: "5001",
  order_number: "#1001",
  customer_id: "6001",
  email: "ana@example.com",
  currency: "EUR",
  subtotal_price: "223.96",
  total_discounts: "0.00",
  total_tax: "47.03",
  total_price: "270.99",
  payment_status: "paid",
  fulfillment_status: null,
  line_items: [{ id: "1", product_id: "8001", variant_id: "44001", title: "Beanie", sku: null, quantity: 2, price: "111.98" }],
  cancelled_at: null,
  closed_at: null,
  created_at: "2024-12-05T11:32:48.000Z",
  updated_at: "2024-12-05T11:32:48.000Z",
};

describe("the unified models", () => {
  it("describe every field of every object, nested ones included", () => {
    for (const [category, object] of everyModel) {
      const schema = z.toJSONSchema(servedModel(category, object)!, { io: "output" }) as JsonSchema;
      expect(schema.description, `${category}/${object}`).toEqual(expect.any(String));
      const undocumented = properties(schema)
        .filter(([, property]) => typeof property.description !== "string")
        .map(([path]) => path);
      expect(undocumented, `${category}/${object}: fields without a description`).toEqual([]);
    }
  });

  it("accept a well-formed record, and refuse amounts as numbers, offsets, unknown fields and lower-case currencies", () => {
    const orders = unifiedModel("commerce", "orders")!;
    expect(orders.safeParse(ORDER).success).toBe(true);
    const refused = (change: Record<string, unknown>) => {
      const result = orders.safeParse({ ...ORDER, ...change });
      return result.success ? [] : result.error.issues.map((issue) => issue.path.join("."));
    };
    expect(refused({ total_price: 270.99 })).toEqual(["total_price"]);
    expect(refused({ total_price: "2.7099e2" })).toEqual(["total_price"]);
    expect(refused({ total_price: "270,99" })).toEqual(["total_price"]);
    expect(refused({ created_at: "2024-12-05T11:32:48-00:00" })).toEqual(["created_at"]);
    expect(refused({ created_at: "2024-12-05" })).toEqual(["created_at"]);
    expect(refused({ currency: "eur" })).toEqual(["currency"]);
    expect(refused({ customer_id: 6001 })).toEqual(["customer_id"]);
    expect(refused({ financial_status: "paid" })).toEqual([""]);
    expect(refused({ line_items: [{ ...ORDER.line_items[0], price: 111.98 }] })).toEqual(["line_items.0.price"]);
  });

  it("name, in each reference, an object of the same category, with a companion that collides with no field", () => {
    for (const [category, object] of everyModel) {
      const plan = referencesOf(category, object)!;
      for (const target of referencedObjects(plan)) expect(unifiedModel(category, target), `${category}/${object} references ${target}`).toBeDefined();
      const shape = unifiedModel(category, object)!.shape;
      for (const { companion } of plan.fields) expect(Object.keys(shape), `${category}/${object}`).not.toContain(companion);
    }
    expect(referencedObjects(referencesOf("commerce", "orders")!).sort()).toEqual(["customers", "products"]);
    expect(referencedObjects(referencesOf("accounting", "payments")!).sort()).toEqual(["accounts", "customers", "invoices"]);
  });

  it("say in the JSON Schema which object a reference names", () => {
    const schema = z.toJSONSchema(servedModel("commerce", "orders")!, { io: "output" }) as JsonSchema;
    const found = Object.fromEntries(
      properties(schema)
        .filter(([, p]) => p[REFERENCES_KEYWORD])
        .map(([path, p]) => [path, p[REFERENCES_KEYWORD]]),
    );
    expect(found).toEqual({ customer_id: "customers", "line_items[].product_id": "products" });
  });
});

describe("references served with Tributary's record ids", () => {
  const held: Record<string, string> = { "customers:6001": "rec_0000000000000001", "products:8001": "rec_00000000000000A2" };
  const recordIdOf = (target: string, id: string) => held[`${target}:${id}`] ?? null;

  it("finds every reference of a record, nested ones too", () => {
    const seen: string[] = [];
    eachReference(referencesOf("commerce", "orders")!, ORDER, (target, id) => seen.push(`${target}:${id}`));
    expect(seen).toEqual(["customers:6001", "products:8001"]);
  });

  it("adds each reference's record id beside it, null for records Tributary does not hold, and the result meets the served schema", () => {
    const served = withRecordIds(referencesOf("commerce", "orders")!, ORDER, recordIdOf);
    expect(served).toMatchObject({
      customer_id: "6001",
      customer_record_id: "rec_0000000000000001",
      line_items: [{ product_id: "8001", product_record_id: "rec_00000000000000A2" }],
    });
    expect(servedModel("commerce", "orders")!.parse(served)).toEqual(served);
    expect(ORDER).not.toHaveProperty("customer_record_id");
    const guest = withRecordIds(referencesOf("commerce", "orders")!, { ...ORDER, customer_id: null, line_items: [] }, recordIdOf);
    expect(guest.customer_record_id).toBeNull();
    const payment = withRecordIds(referencesOf("accounting", "payments")!, { invoice_ids: ["1", "2"], customer_id: null, account_id: null }, (target, id) =>
      id === "2" ? "rec_0000000000000002" : null,
    );
    expect(payment).toMatchObject({ invoice_record_ids: [null, "rec_0000000000000002"], customer_record_id: null, account_record_id: null });
  });
});

describe("conversions", () => {
  it("write amounts as decimal strings to at least the currency's minor unit, never cutting precision", () => {
    expect(decimalString(21524.8, "USD")).toBe("21524.80");
    expect(decimalString(0, "USD")).toBe("0.00");
    expect(decimalString("75.95")).toBe("75.95");
    expect(decimalString(1500, "JPY")).toBe("1500");
    expect(decimalString("1.5", "KWD")).toBe("1.500");
    expect(decimalString(12.3456, "USD")).toBe("12.3456");
    expect(decimalString(1e-7)).toBe("0.0000001");
    expect(decimalString(-0, "USD")).toBe("0.00");
    expect(decimalString("007.5")).toBe("7.5");
    expect(decimalString(null)).toBeNull();
    expect(decimalString("12,50")).toBeNull();
    expect(decimalString(Number.NaN)).toBeNull();
  });

  it("write instants in UTC with a Z", () => {
    expect(utcTimestamp("2024-12-05T02:44:18-08:00")).toBe("2024-12-05T10:44:18.000Z");
    expect(utcTimestamp("2024-12-29T18:56:04-00:00")).toBe("2024-12-29T18:56:04.000Z");
    expect(utcTimestamp("not a time")).toBeNull();
    expect(utcTimestamp(null)).toBeNull();
  });
});
