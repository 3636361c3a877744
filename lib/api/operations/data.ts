// Data reads: one unified object of the connection an access token belongs to.
import { z } from "zod";
import { defineOperation } from "../operation";
import { dateTime, flag, pageLimit, pathKey } from "../params";

export const readObject = defineOperation({
  operationId: "readObject",
  method: "GET",
  path: "/{category}/{object}",
  tag: "Data",
  summary: "Records of one object, e.g. /commerce/orders, in keyset pages",
  description:
    "Answers 409 PRODUCT_NOT_READY until the connection's first batch has synced; `force_fetch=true` reads orders and transactions from the platform meanwhile.",
  pathParams: { category: pathKey("commerce, accounting or ticketing"), object: pathKey("The unified object, e.g. orders") },
  query: z.object({
    access_token: z.string({ message: "is required: the connection's access token from the public token exchange" }).min(1).meta({ description: "The connection's access token" }),
    cursor: z.string().optional().meta({ description: "The next_cursor of the previous page" }),
    limit: pageLimit(500, 100),
    updated_at_min: dateTime("Only records updated at or after this time"),
    updated_at_max: dateTime("Only records updated before this time"),
    include_deleted: flag("Include records deleted on the platform (with deleted_at)"),
    force_fetch: flag("Read from the platform instead of the stored records (orders, transactions)"),
  }),
  responses: { 200: "`{ <object>: [...], next_cursor, force_fetched }`", 409: "PRODUCT_NOT_READY" },
});
