// A record as the API serves it (a data page's element, a write's answer), as a zod schema for the
// OpenAPI document: its data is the object's served model (lib/unified), with Tributary's own fields.
import { z } from "zod";
import { RECORD_ID_PATTERN, servedModel } from "@/lib/unified";

const instant = (description: string) => z.iso.datetime().meta({ description });

export const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** One record of `object` as the API serves it (a page's element, a write's answer), its data the object's served model. */
export function recordSchema(category: string, object: string): z.ZodType {
  const data = servedModel(category, object)!.meta({ id: `${category}.${object}` });
  return z
    .strictObject({
      id: z.string().meta({ description: "The platform's id of the record, as in data.id" }),
      record_id: z.string().regex(RECORD_ID_PATTERN).nullable().meta({
        description:
          "Tributary's id of the record (rec_ and 16 hex digits, sorting as records were first stored); null for a force_fetch record Tributary does not hold yet",
      }),
      object: z.literal(object).meta({ description: "The unified object" }),
      data,
      platform_data: z.record(z.string(), z.unknown()).nullable().optional().meta({
        description:
          "Only with expand=platform_data: the platform's own payload the data was made from, as the platform sent it; null for a record written while the environment's \"Keep platform payloads\" setting was off (or before Tributary kept payloads), until it changes or a backfill rewrites it",
      }),
      platform_updated_at: instant("When the platform last changed the record, where it says").nullable(),
      created_at: instant("When Tributary first stored the record"),
      updated_at: instant("When Tributary last changed the record: what updated_at_min and updated_at_max filter and the cursor follows"),
      deleted_at: instant("When the record was deleted on the platform; only with include_deleted").nullable(),
      written_at: instant(
        "When the record was last written through Tributary's API (POST, PATCH or DELETE of this object); null for records only syncs wrote",
      ).nullable(),
    })
    .meta({ description: `One ${object} record` });
}
