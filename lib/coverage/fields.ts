// The fields a unified contract declares, read from its zod schema: each top-level field, and each
// field of the objects in an array of objects one level down (`lines[].account_id`), with the type,
// nullability and description the contract gives it. Nothing here is written per object, so a field
// added to a contract appears in the coverage map as soon as it is declared.
import { z } from "zod";
import { DECIMAL_PATTERN, REFERENCES_KEYWORD, type UnifiedModel } from "@/lib/unified";
import { CURRENCY_PATTERN } from "@/lib/unified/fields";

export interface DeclaredField {
  /** `total`, or `lines[].amount` for a field of an array's objects. */
  name: string;
  /** The top-level key the value sits under. */
  key: string;
  /** For a field of an array's objects: its key within each object. */
  child: string | null;
  /** A short type name: string, decimal, currency, date, date-time, enum, reference, integer, boolean, string[], reference[], object[]. */
  type: string;
  nullable: boolean;
  description: string;
}

function unwrap(schema: z.ZodType): { inner: z.ZodType; nullable: boolean } {
  if (schema instanceof z.ZodNullable || schema instanceof z.ZodOptional) return { inner: unwrap(schema.unwrap() as z.ZodType).inner, nullable: true };
  return { inner: schema, nullable: false };
}

/** The field's meta, on itself or (when a helper put it on the inner schema) inside its nullable. */
function metaOf(schema: z.ZodType): Record<string, unknown> {
  const own = schema.meta();
  if (own) return own;
  const { inner } = unwrap(schema);
  return inner === schema ? {} : metaOf(inner);
}

type JsonSchema = { type?: string; format?: string; pattern?: string; enum?: unknown[]; items?: JsonSchema };

/** The type as the contract's JSON Schema (the OpenAPI document's) says it, shortened. */
function jsonTypeName(schema: JsonSchema): string {
  if (schema.enum) return "enum";
  if (schema.type === "array") return schema.items?.type === "object" ? "object[]" : `${jsonTypeName(schema.items ?? {})}[]`;
  if (schema.type !== "string") return schema.type ?? "unknown";
  if (schema.format === "date-time" || schema.format === "date") return schema.format;
  if (schema.pattern === DECIMAL_PATTERN.source) return "decimal";
  if (schema.pattern === CURRENCY_PATTERN.source) return "currency";
  return "string";
}

function typeName(schema: z.ZodType, meta: Record<string, unknown>): string {
  const { inner } = unwrap(schema);
  if (typeof meta[REFERENCES_KEYWORD] === "string") return inner instanceof z.ZodArray ? "reference[]" : "reference";
  return jsonTypeName(z.toJSONSchema(inner, { io: "output", unrepresentable: "any" }) as JsonSchema);
}

function declared(name: string, key: string, child: string | null, schema: z.ZodType): DeclaredField {
  const meta = metaOf(schema);
  return { name, key, child, type: typeName(schema, meta), nullable: unwrap(schema).nullable, description: String(meta.description ?? "") };
}

/** Every field `model` declares, in its order; an array of objects is followed by its objects' fields. */
export function declaredFields(model: UnifiedModel): DeclaredField[] {
  const fields: DeclaredField[] = [];
  for (const [key, value] of Object.entries(model.shape) as [string, z.ZodType][]) {
    fields.push(declared(key, key, null, value));
    const { inner } = unwrap(value);
    if (!(inner instanceof z.ZodArray)) continue;
    const element = unwrap(inner.element as z.ZodType).inner;
    if (!(element instanceof z.ZodObject)) continue;
    for (const [child, field] of Object.entries(element.shape) as [string, z.ZodType][]) fields.push(declared(`${key}[].${child}`, key, child, field));
  }
  return fields;
}
