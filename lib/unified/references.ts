// References between records, derived from the unified models. A connector knows only the platform's
// ids, so a stored record's `customer_id` is the platform's; Tributary's own id for that customer's
// record exists only once the customer is stored, and may be stored after the order. So the record
// ids of references are looked up when records are served, one statement per page (lib/sync/references.ts),
// and written beside the platform's id under a companion name: `customer_id` → `customer_record_id`,
// `invoice_ids` → `invoice_record_ids`. Which fields are references, and of which object, is read from
// the schemas (REFERENCES_KEYWORD on the field), so a new reference needs no code here.
import { z } from "zod";
import { REFERENCES_KEYWORD } from "./fields";

/** Tributary's id of a stored record: `rec_` and the row's 64-bit id as 16 hex digits, so ids sort as records were first stored. */
export const RECORD_ID_PATTERN = /^rec_[0-9A-F]{16}$/;

export interface ReferenceField {
  field: string;
  /** The field the served record carries Tributary's record id(s) in. */
  companion: string;
  /** The object the platform ids name (same category). */
  target: string;
  /** An array of ids rather than one. */
  many: boolean;
}

/** Where references sit in one object's data: its own fields, and those of nested objects and arrays of objects. */
export interface ReferencePlan {
  fields: ReferenceField[];
  nested: { key: string; plan: ReferencePlan }[];
}

type AnyObject = z.ZodObject<z.ZodRawShape>;

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodNullable || schema instanceof z.ZodOptional ? unwrap(schema.unwrap() as z.ZodType) : schema;
}

function targetOf(schema: z.ZodType): string | undefined {
  const own = schema.meta()?.[REFERENCES_KEYWORD];
  if (typeof own === "string") return own;
  const inner = unwrap(schema);
  return inner === schema ? undefined : targetOf(inner);
}

/** `customer_id` → `customer_record_id`, `invoice_ids` → `invoice_record_ids`. */
export function companionName(field: string, many: boolean): string {
  const suffix = many ? "_ids" : "_id";
  if (!field.endsWith(suffix)) throw new Error(`Reference field "${field}" must end in ${suffix}: its record id is served as <name>_record${suffix.slice(1)}`);
  return `${field.slice(0, -suffix.length)}_record${suffix}`;
}

export function referencePlan(schema: AnyObject): ReferencePlan {
  const plan: ReferencePlan = { fields: [], nested: [] };
  for (const [key, value] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const target = targetOf(value);
    const inner = unwrap(value);
    if (target) {
      const many = inner instanceof z.ZodArray;
      plan.fields.push({ field: key, companion: companionName(key, many), target, many });
      continue;
    }
    const element = inner instanceof z.ZodArray ? unwrap(inner.element as z.ZodType) : inner;
    if (element instanceof z.ZodObject) {
      const nested = referencePlan(element as AnyObject);
      if (nested.fields.length || nested.nested.length) plan.nested.push({ key, plan: nested });
    }
  }
  return plan;
}

/** Every object a plan's references name. */
export function referencedObjects(plan: ReferencePlan): string[] {
  return [...new Set([...plan.fields.map((f) => f.target), ...plan.nested.flatMap((n) => referencedObjects(n.plan))])];
}

const objectsOf = (value: unknown): Record<string, unknown>[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v));

/** Calls `visit` with each (target object, platform id) a record's data references. */
export function eachReference(plan: ReferencePlan, data: Record<string, unknown>, visit: (target: string, platformId: string) => void): void {
  for (const { field, target } of plan.fields) {
    const value = data[field];
    for (const id of Array.isArray(value) ? value : [value]) if (typeof id === "string") visit(target, id);
  }
  for (const { key, plan: nested } of plan.nested) for (const child of objectsOf(data[key])) eachReference(nested, child, visit);
}

/**
 * A copy of `data` with each reference's companion set from `recordIdOf` (null where Tributary holds
 * no such record). Only the objects on the way to a reference are copied.
 */
export function withRecordIds(
  plan: ReferencePlan,
  data: Record<string, unknown>,
  recordIdOf: (target: string, platformId: string) => string | null,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const { field, companion, target, many } of plan.fields) {
    const value = data[field];
    const lookup = (id: unknown) => (typeof id === "string" ? recordIdOf(target, id) : null);
    out[companion] = many ? (Array.isArray(value) ? value.map(lookup) : []) : lookup(value);
  }
  for (const { key, plan: nested } of plan.nested) {
    const value = data[key];
    if (Array.isArray(value))
      out[key] = value.map((child: unknown) => (objectsOf(child).length ? withRecordIds(nested, child as Record<string, unknown>, recordIdOf) : child));
    else if (objectsOf(value).length) out[key] = withRecordIds(nested, value as Record<string, unknown>, recordIdOf);
  }
  return out;
}

const recordIdField = (field: string, target: string) =>
  z
    .string()
    .regex(RECORD_ID_PATTERN)
    .nullable()
    .meta({
      description: `Tributary's record id (rec_…) of the ${target} record that ${field} names; null while Tributary holds no such record (not synced yet, or ${target} are not synced)`,
    });

/** The schema of `schema`'s data as the API serves it: each reference followed by its record-id companion. */
export function servedSchema(schema: AnyObject): AnyObject {
  const plan = referencePlan(schema);
  if (!plan.fields.length && !plan.nested.length) return schema;
  const shape: Record<string, z.ZodType> = {};
  for (const [key, value] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const reference = plan.fields.find((f) => f.field === key);
    const nested = plan.nested.find((n) => n.key === key);
    shape[key] = nested ? servedNested(value) : value;
    if (reference) {
      shape[reference.companion] = reference.many
        ? z.array(z.string().regex(RECORD_ID_PATTERN).nullable()).meta({
            description: `Tributary's record ids (rec_…) of the ${reference.target} records that ${key} names, in the same order; null for each Tributary does not hold`,
          })
        : recordIdField(key, reference.target);
    }
  }
  return z.strictObject(shape).meta(schema.meta() ?? {});
}

/** A nested object, or an array of them, possibly nullable, with its own companions. */
function servedNested(schema: z.ZodType): z.ZodType {
  const meta = schema.meta() ?? {};
  if (schema instanceof z.ZodNullable)
    return servedNested(schema.unwrap() as z.ZodType)
      .nullable()
      .meta(meta);
  if (schema instanceof z.ZodOptional)
    return servedNested(schema.unwrap() as z.ZodType)
      .optional()
      .meta(meta);
  if (schema instanceof z.ZodArray) return z.array(servedNested(schema.element as z.ZodType)).meta(meta);
  if (schema instanceof z.ZodObject) return servedSchema(schema as AnyObject);
  return schema;
}
