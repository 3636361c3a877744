// The event log, oldest first from a cursor: what the webhooks deliver, for polling instead.
import { z } from "zod";
import { defineOperation } from "../operation";
import { pageLimit, sequenceCursor } from "../params";

export const listEvents = defineOperation({
  operationId: "listEvents",
  method: "GET",
  path: "/events",
  tag: "Events",
  summary: "Events in order, from a cursor",
  query: z.object({
    connection_id: z.string().optional(),
    type: z
      .string()
      .regex(/^[A-Z0-9_]+$/, "must be an event type such as ORDER_CREATED")
      .optional(),
    cursor: sequenceCursor(),
    limit: pageLimit(500, 100),
  }),
  responses: { 200: "`{ events, next_cursor }`" },
});
