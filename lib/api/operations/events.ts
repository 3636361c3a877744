// The event log, oldest first from a cursor: what the webhooks deliver, for polling instead.
import { z } from "zod";
import { isoInstant } from "@/lib/input";
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
    sync_run_id: z
      .string()
      .regex(/^run_[0-9A-Z]{26}$/, "must be a sync run id (run_…)")
      .optional()
      .meta({ description: "Only the events this sync run emitted" }),
    external_id: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .meta({ description: "Only the data events of this record (the platform's id, the events' data.id); needs connection_id" }),
    created_after: isoInstant().optional().meta({ description: "Only events created at or after this instant" }),
    created_before: isoInstant().optional().meta({ description: "Only events created before this instant" }),
    cursor: sequenceCursor(),
    limit: pageLimit(500, 100),
  }),
  responses: { 200: "`{ events, next_cursor }`" },
});
