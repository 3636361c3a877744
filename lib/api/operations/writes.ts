// Writes through the unified models (lib/sync/writes.ts): create a record with POST /{category}/{object},
// update one with PATCH /{category}/{object}/{id}. One route each serves every writable object; the
// document lists each object's write at its own path with its own create or update shape (lib/unified).
import { z } from "zod";
import { UNIFIED_WRITES } from "@/lib/unified";
import { defineOperation, type OperationInstance } from "../operation";
import { pathKey } from "../params";
import { capitalized, recordSchema } from "../record-schema";

const WRITABLE = Object.entries(UNIFIED_WRITES).flatMap(([category, objects]) =>
  Object.entries(objects).map(([object, shapes]) => ({ category, object, shapes })),
);

const answer = (category: string, object: string) =>
  z.strictObject({ record: recordSchema(category, object) }).meta({ description: `The ${object} record as Tributary stored it from the platform's answer` });

const name = (category: string, object: string) => `${capitalized(category)}${object.split("_").map(capitalized).join("")}`;
const singular = (object: string) => object.replace(/s$/, "").replaceAll("_", " ");

const accessToken = z.object({
  access_token: z
    .string({ message: "is required: the connection's access token from the public token exchange" })
    .min(1)
    .meta({ description: "The connection's access token" }),
});

const DESCRIPTION =
  "Sent to the connection's platform with its credentials and under its rate limiter; the record the platform answers is stored at once (with its `<OBJECT>_CREATED` or `_UPDATED` event) and returned, and the next sync finds it unchanged. A reference (`assignee_id`…) must name a record Tributary holds of this connection (400 naming the field). The platform's refusal answers 422 PLATFORM_REFUSED_WRITE with its reason and, where it names one, the field. With an Idempotency-Key a retry answers the first outcome without writing twice, also after a crash between the platform's answer and Tributary's commit where the platform takes an idempotency key (Zendesk's ticket creation does).";

const RESPONSES = {
  404: "No connection for this access token, or no such record",
  422: "PLATFORM_REFUSED_WRITE: the platform refused the write; error_message is its reason, field the field it named",
  429: "PLATFORM_RATE_LIMITED: the platform cannot take the write now; Retry-After says when",
  502: "PLATFORM_UNAVAILABLE: the platform did not answer; retry with the same Idempotency-Key",
} as const;

const CREATES: OperationInstance[] = WRITABLE.map(({ category, object, shapes }) => ({
  params: { category, object },
  operationId: `create${name(category, object)}`,
  tag: capitalized(category),
  summary: `Create a ${singular(object)} on the connection's platform`,
  body: shapes.create,
  response: answer(category, object),
}));

const UPDATES: OperationInstance[] = WRITABLE.map(({ category, object, shapes }) => ({
  params: { category, object },
  operationId: `update${name(category, object)}`,
  tag: capitalized(category),
  summary: `Update a ${singular(object)} on the connection's platform`,
  body: shapes.update,
  response: answer(category, object),
}));

export const createRecord = defineOperation({
  operationId: "createRecord",
  method: "POST",
  path: "/{category}/{object}",
  tag: "Data",
  summary: "Create a record on the connection's platform, e.g. POST /ticketing/tickets",
  description: DESCRIPTION,
  pathParams: { category: pathKey("The category, e.g. ticketing"), object: pathKey("The unified object, e.g. tickets") },
  query: accessToken,
  // Validated by the object's create shape in the route (each instance documents its own).
  body: z.record(z.string(), z.unknown()),
  responses: { 201: "`{ record }`: created (a retry that finds the platform made it before answers the same)", ...RESPONSES },
  instances: CREATES,
});

export const updateRecord = defineOperation({
  operationId: "updateRecord",
  method: "PATCH",
  path: "/{category}/{object}/{id}",
  tag: "Data",
  summary: "Update a record on the connection's platform, e.g. PATCH /ticketing/tickets/{id}",
  description: `${DESCRIPTION} \`{id}\` is the platform's id of the record or Tributary's (\`rec_…\`).`,
  pathParams: {
    category: pathKey("The category, e.g. ticketing"),
    object: pathKey("The unified object, e.g. tickets"),
    id: z.string().min(1).max(100).meta({ description: "The record's id: the platform's, or Tributary's record id (rec_…)" }),
  },
  query: accessToken,
  body: z.record(z.string(), z.unknown()),
  responses: { 200: "`{ record }`", ...RESPONSES },
  instances: UPDATES,
});
