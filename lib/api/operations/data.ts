// Data reads: one unified object of the connection an access token belongs to. One route serves every
// object; the document lists each object's read at its own path (GET /commerce/orders, …) answering
// that object's schema, generated from its unified model (lib/unified), for every object a platform of
// the catalogue offers.
import { z } from "zod";
import { PLATFORM_CATALOG } from "@/lib/platforms/catalog";
import { unifiedModel } from "@/lib/unified";
import { defineOperation, type OperationInstance } from "../operation";
import { capitalized, recordSchema } from "../record-schema";
import { dateTime, flag, pageLimit, pathKey } from "../params";

/** One page of `object` as the route answers it. */
function pageSchema(category: string, object: string): z.ZodType {
  const record = recordSchema(category, object);
  return z
    .strictObject({
      [object]: z.array(record).meta({ description: `The page's ${object}, in the order Tributary last changed them` }),
      next_cursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last page" }),
      force_fetched: z.boolean().meta({ description: "True when read from the platform (force_fetch): possibly incomplete, and not stored" }),
    })
    .meta({ description: `A page of ${object}` });
}

/** Every (category, object) a platform of the catalogue offers, once, in the catalogue's order. */
const OBJECTS = [
  ...new Map(
    PLATFORM_CATALOG.flatMap((platform) =>
      platform.objects.map(({ key: object }) => [`${platform.category}/${object}`, { category: platform.category as string, object }] as const),
    ),
  ).values(),
];

const INSTANCES: OperationInstance[] = OBJECTS.map(({ category, object }) => ({
  params: { category, object },
  operationId: `read${capitalized(category)}${object.split("_").map(capitalized).join("")}`,
  tag: capitalized(category),
  summary: `${capitalized(object.replaceAll("_", " "))}: ${String(unifiedModel(category, object)?.meta()?.description ?? object).replace(/^./, (c) => c.toLowerCase())}`,
  response: pageSchema(category, object),
}));

export const readObject = defineOperation({
  operationId: "readObject",
  method: "GET",
  path: "/{category}/{object}",
  tag: "Data",
  summary: "Records of one object, e.g. /commerce/orders, in keyset pages",
  description:
    "Answers 409 PRODUCT_NOT_READY until the connection's first batch has synced; `force_fetch=true` reads orders and transactions from the platform meanwhile. References name the platform's id (`customer_id`) and, beside it, Tributary's record id of that record (`customer_record_id`), null while Tributary does not hold it.",
  pathParams: { category: pathKey("commerce, accounting or ticketing"), object: pathKey("The unified object, e.g. orders") },
  query: z.object({
    access_token: z
      .string({ message: "is required: the connection's access token from the public token exchange" })
      .min(1)
      .meta({ description: "The connection's access token" }),
    cursor: z.string().optional().meta({ description: "The next_cursor of the previous page" }),
    limit: pageLimit(500, 100),
    updated_at_min: dateTime("Only records updated at or after this time"),
    updated_at_max: dateTime("Only records updated before this time"),
    include_deleted: flag("Include records deleted on the platform (with deleted_at)"),
    force_fetch: flag("Read from the platform instead of the stored records (orders, transactions)"),
    expand: z
      .enum(["platform_data"], { message: "can only be platform_data" })
      .optional()
      .meta({ description: "platform_data: add each record's platform_data, the platform's own payload" }),
  }),
  responses: {
    200: "A page of the object's records",
    409: "PRODUCT_NOT_READY",
    429: "PLATFORM_RATE_LIMITED: a `force_fetch` read the platform cannot take now (its rate limit, or its daily request allowance spent, reserve included); Retry-After says when",
  },
  instances: INSTANCES,
});
