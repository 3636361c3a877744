// The field coverage map: per object of the unified contracts, which platforms supply each field and
// how often it is filled in the organization's stored records (lib/coverage).
import { z } from "zod";
import { COVERAGE_CATEGORIES, COVERAGE_SAMPLE_SIZE } from "@/lib/coverage";
import { PLATFORM_CATALOG } from "@/lib/platforms/catalog";
import { defineOperation } from "../operation";

const platformCoverage = z
  .strictObject({
    supplied: z.boolean().meta({ description: "The platform offers the object, so it declares every field of the object's contract" }),
    records: z
      .number()
      .int()
      .meta({
        description: `Records measured: the platform's stored records of the object in this organization and environment, deleted ones left out; at most ${COVERAGE_SAMPLE_SIZE}, the most recently updated of each connection, shared evenly between connections`,
      }),
    values: z
      .number()
      .int()
      .meta({ description: "Values the share is over: the records, or for a field of an array's objects (lines[].amount) the array elements in them" }),
    filled: z.number().min(0).max(1).nullable().meta({
      description:
        "The share of those values where the field is present and not null (an array: not empty), 0 to 1; null when nothing was measured (not supplied, or no stored records: declared, not measured)",
    }),
  })
  .meta({ description: "One platform's coverage of the field" });

const fieldCoverage = z
  .strictObject({
    name: z.string().meta({ description: "The field's name; a field of an array's objects is named array[].field, e.g. lines[].account_id" }),
    type: z.string().meta({
      description: "string, decimal, currency, date, date-time, enum, reference, integer, boolean, or an array of one (string[], reference[], object[])",
    }),
    nullable: z.boolean().meta({ description: "Whether the contract lets the field be null" }),
    description: z.string().meta({ description: "What the field holds, from the contract" }),
    platforms: z.record(z.string(), platformCoverage).meta({ description: "Per platform of the category (its key, e.g. quickbooks)" }),
  })
  .meta({ description: "One field of the object's contract" });

const objectCoverage = z
  .strictObject({
    category: z.enum(COVERAGE_CATEGORIES),
    object: z.string().meta({ description: "The unified object, e.g. invoices" }),
    description: z.string().meta({ description: "What the object is, from the contract" }),
    platforms: z
      .record(z.string(), z.strictObject({ supplied: z.boolean(), records: z.number().int() }))
      .meta({ description: "Per platform of the category: whether it offers the object, and how many of its records were measured" }),
    fields: z
      .array(fieldCoverage)
      .meta({ description: "Every field the contract declares, in its order, each array of objects followed by its objects' fields" }),
  })
  .meta({ description: "The coverage of one object's fields" });

export const getFieldCoverage = defineOperation({
  operationId: "getFieldCoverage",
  method: "GET",
  path: "/coverage",
  tag: "Coverage",
  summary: "Which platforms supply each field of the unified objects, and how often it is filled in your stored records",
  description: `Computed from the unified contracts and the platform definitions, and measured on this organization's stored records in this environment: per platform and object, ${COVERAGE_SAMPLE_SIZE} records at most, each connection's most recently updated, shared evenly between connections (every record when there are fewer). A platform with no stored records of an object is declared, not measured (\`filled: null\`).`,
  query: z.object({
    category: z
      .enum(COVERAGE_CATEGORIES, { message: `must be one of ${COVERAGE_CATEGORIES.join(", ")}` })
      .optional()
      .meta({ description: "Only this category's objects" }),
    platform: z
      .enum(PLATFORM_CATALOG.map((platform) => platform.key) as [string, ...string[]], {
        message: `must be one of ${PLATFORM_CATALOG.map((platform) => platform.key).join(", ")}`,
      })
      .optional()
      .meta({ description: "Only this platform, e.g. quickbooks: its category's objects, with this platform's coverage alone" }),
  }),
  responses: { 200: "`{ objects, sample_size }`", 400: "An unknown category or platform, or a platform of another category" },
  response: z
    .strictObject({
      objects: z.array(objectCoverage).meta({ description: "Per object of the chosen categories, in the contracts' order" }),
      sample_size: z.literal(COVERAGE_SAMPLE_SIZE).meta({ description: "The most records measured per platform and object" }),
    })
    .meta({ description: "The field coverage map" }),
});
