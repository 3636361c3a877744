// Tributary's unified models, the contracts every connector of a category meets: one zod schema per
// object, category → object → schema. A connector's records are this data (tested on each sandbox's
// whole generated account in lib/platforms/contracts.test.ts); the API serves it with the record ids of
// its references added (servedModel), and the OpenAPI document's responses are generated from it.
import type { z } from "zod";
import { ACCOUNTING, ACCOUNTING_WRITES } from "./accounting";
import { COMMERCE, COMMERCE_WRITES } from "./commerce";
import { referencePlan, servedSchema, type ReferencePlan } from "./references";
import { TICKETING, TICKETING_WRITES } from "./ticketing";

export const UNIFIED_MODELS = { commerce: COMMERCE, accounting: ACCOUNTING, ticketing: TICKETING } as const;

export type UnifiedCategory = keyof typeof UNIFIED_MODELS;
export type UnifiedModel = z.ZodObject<z.ZodRawShape>;

const models = UNIFIED_MODELS as unknown as Readonly<Record<string, Readonly<Record<string, UnifiedModel>>>>;

/** The contract of one object, or undefined for an object the category does not have. */
export function unifiedModel(category: string, object: string): UnifiedModel | undefined {
  return Object.hasOwn(models, category) && Object.hasOwn(models[category], object) ? models[category][object] : undefined;
}

const served = new Map<UnifiedModel, UnifiedModel>();
const plans = new Map<UnifiedModel, ReferencePlan>();

/** The object's data as the API serves it: the contract plus the record ids of its references. */
export function servedModel(category: string, object: string): UnifiedModel | undefined {
  const model = unifiedModel(category, object);
  if (!model) return undefined;
  if (!served.has(model)) served.set(model, servedSchema(model));
  return served.get(model);
}

/** What a write of an object sends: its create and update shapes, and the fields that name other records (object by field). */
export interface WriteShapes {
  create: z.ZodType<Record<string, unknown>>;
  /** Absent for objects the platforms never change once written (a ticket's comments). */
  update?: z.ZodType<Record<string, unknown>>;
  /** Object by field; `lines[].account_id` is the field of each element of the array `lines`. */
  references: Readonly<Record<string, string>>;
  /** DELETE /{category}/{object}/{id} exists for it (the platforms that delete it say so in Connector.writes). */
  deletable?: boolean;
}

/** The objects a team writes through the unified API, by category (the platforms that take each say so in Connector.writes). */
export const UNIFIED_WRITES: Readonly<Record<string, Readonly<Record<string, WriteShapes>>>> = {
  commerce: COMMERCE_WRITES,
  accounting: ACCOUNTING_WRITES,
  ticketing: TICKETING_WRITES,
};

export function writeShapes(category: string, object: string): WriteShapes | undefined {
  return Object.hasOwn(UNIFIED_WRITES, category) && Object.hasOwn(UNIFIED_WRITES[category], object) ? UNIFIED_WRITES[category][object] : undefined;
}

/** Where the object's references are, read from its schema once. */
export function referencesOf(category: string, object: string): ReferencePlan | undefined {
  const model = unifiedModel(category, object);
  if (!model) return undefined;
  if (!plans.has(model)) plans.set(model, referencePlan(model));
  return plans.get(model);
}

export { RECORD_ID_PATTERN, eachReference, referencedObjects, withRecordIds, type ReferencePlan } from "./references";
export { DECIMAL_PATTERN, REFERENCES_KEYWORD } from "./fields";
