// Writes through the unified models (lib/sync/writes.ts): create a record with POST /{category}/{object},
// update one with PATCH /{category}/{object}/{id}, delete one with DELETE /{category}/{object}/{id}. One route each serves every writable object; the
// document lists each object's write at its own path with its own create or update shape (lib/unified).
import { z } from "zod";
import type { WriteOperation } from "@/lib/platforms/types";
import { UNIFIED_WRITES } from "@/lib/unified";
import { defineOperation, type OperationInstance } from "../operation";
import { pathId, pathKey } from "../params";
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
  response_mode: z.enum(["sync", "async"], { message: "must be sync or async" }).default("sync").meta({
    description:
      "sync (the default): answered once the platform answered. async: checked as a synchronous write is (400 and 404 at once), then answered 202 `{ write }` with Location /api/v1/writes/{id}; the outcome comes as WRITE_COMPLETED or WRITE_FAILED and from GET /api/v1/writes/{id}",
  }),
});

/** How an asynchronous write is shown: 202's body and GET /writes/{id}. */
const writeSchema = z
  .strictObject({
    id: z.string().meta({ description: "The write's id (wrt_…)" }),
    status: z.enum(["queued", "running", "rate_limited", "succeeded", "failed", "cancelled"]).meta({
      description:
        "queued, running (also while waiting to try a platform that did not answer again), rate_limited (until the platform's Retry-After), succeeded or failed",
    }),
    connection_id: z.string(),
    object: z.string(),
    operation: z.enum(["create", "update", "delete"]),
    record_id: z.string().nullable().meta({ description: "The record an update or delete names, as sent" }),
    attempts: z.number().int().meta({ description: "Attempts made so far" }),
    record: z.unknown().meta({ description: "The record as stored, once succeeded; null before" }),
    error: z
      .strictObject({ error_code: z.string(), error_message: z.string(), field: z.string().nullable() })
      .nullable()
      .meta({ description: "Why it failed (the synchronous write's error), once failed" }),
    created_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .meta({ description: "A write answered at once (response_mode=async)" });

const DESCRIPTION =
  "Sent to the connection's platform with its credentials and under its rate limiter; the record the platform answers is stored at once (with its `<OBJECT>_CREATED` or `_UPDATED` event) and returned, and the next sync finds it unchanged. A reference (`assignee_id`…) must name a record Tributary holds of this connection (400 naming the field). The platform's refusal answers 422 PLATFORM_REFUSED_WRITE with its reason and, where it names one, the field. With an Idempotency-Key a retry answers the first outcome without writing twice, also after a crash between the platform's answer and Tributary's commit where the platform takes an idempotency key (Zendesk's ticket creation does).";

const RESPONSES = {
  202: "response_mode=async: `{ write }`, queued; Location is /api/v1/writes/{id}",
  404: "No connection for this access token, or no such record",
  422: "PLATFORM_REFUSED_WRITE: the platform refused the write; error_message is its reason, field the field it named",
  429: "PLATFORM_RATE_LIMITED: the platform cannot take the write now; Retry-After says when",
  502: "PLATFORM_UNAVAILABLE: the platform did not answer; retry with the same Idempotency-Key",
} as const;

/** Each writable object's instance of one write operation, documented with its own body and answer. */
function instancesOf(operation: WriteOperation): OperationInstance[] {
  const verb = { create: "Create", update: "Update", delete: "Delete" }[operation];
  const takes = (shapes: (typeof WRITABLE)[number]["shapes"]) => (operation === "delete" ? shapes.deletable === true : shapes[operation] !== undefined);
  return WRITABLE.filter(({ shapes }) => takes(shapes)).map(({ category, object, shapes }) => ({
    params: { category, object },
    operationId: `${operation}${name(category, object)}`,
    tag: capitalized(category),
    summary: `${verb} a ${singular(object)} on the connection's platform`,
    ...(operation === "delete" ? {} : { body: shapes[operation] }),
    response: answer(category, object),
  }));
}

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
  instances: instancesOf("create"),
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
  instances: instancesOf("update"),
});

export const deleteRecord = defineOperation({
  operationId: "deleteRecord",
  method: "DELETE",
  path: "/{category}/{object}/{id}",
  tag: "Data",
  summary: "Delete a record on the connection's platform, e.g. DELETE /accounting/invoices/{id}",
  description:
    "Deleted on the connection's platform, then marked deleted in Tributary with its `<OBJECT>_DELETED` event; the answer is the record with `deleted_at` set, and the sync that later reads the deletion emits nothing more. A record the platform no longer has counts as deleted, so a delete sent again (after a timeout, or a crash) answers the same; a record Tributary holds as deleted answers as it is, with nothing sent. `{id}` is the platform's id of the record or Tributary's (`rec_…`).",
  pathParams: {
    category: pathKey("The category, e.g. accounting"),
    object: pathKey("The unified object, e.g. invoices"),
    id: z.string().min(1).max(100).meta({ description: "The record's id: the platform's, or Tributary's record id (rec_…)" }),
  },
  query: accessToken,
  responses: { 200: "`{ record }` with deleted_at set", ...RESPONSES },
  instances: instancesOf("delete"),
});

export const getWrite = defineOperation({
  operationId: "getWrite",
  method: "GET",
  path: "/writes/{id}",
  tag: "Data",
  summary: "An asynchronous write's status and outcome",
  description:
    "A write sent with `response_mode=async`: its status, and once it ended the record as stored (succeeded) or the error a synchronous write would have answered (failed). The same outcome is sent as WRITE_COMPLETED or WRITE_FAILED.",
  pathParams: { id: pathId("wrt", "The write's id (wrt_…)") },
  responses: { 200: "`{ write }`", 404: "No such write in this environment" },
  response: z.strictObject({ write: writeSchema }),
});
