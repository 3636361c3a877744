// A connection's sync configuration: what it syncs with, and the connection level that overrides the
// organization's and the platform's.
import { z } from "zod";
import { MAX_BATCHES } from "@/lib/sync/configuration";
import { defineOperation } from "../operation";
import { pathId } from "../params";

const months = (description: string) => z.number().int("must be a whole number of months").meta({ description });

const configurationLevelBody = z
  .object({
    objects: z.array(z.string().min(1)).nullable().optional().meta({ description: "Objects to sync; null or [] inherits" }),
    history_months: months("How far back the history goes; null inherits").nullable().optional(),
    incremental_frequency_minutes: z
      .number()
      .int("must be a whole number of minutes")
      .nullable()
      .optional()
      .meta({ description: "Minutes between incremental syncs (5 to 20160); null inherits" }),
    batches: z
      .array(
        z
          .object({
            objects: z.array(z.string().min(1)).optional().meta({ description: "Objects of this batch; absent or [] = every selected object" }),
            from_months_ago: months("Start of the window; null = the start of the history").nullable().optional(),
            to_months_ago: months("End of the window; 0 = now").optional(),
          })
          .strict(),
      )
      .max(MAX_BATCHES, `at most ${MAX_BATCHES} batches`)
      .nullable()
      .optional()
      .meta({ description: "Initial batches, fetched in order; null or [] inherits" }),
  })
  .strict();

export const getConfiguration = defineOperation({
  operationId: "getConnectionConfiguration",
  method: "GET",
  path: "/connections/{id}/configuration",
  tag: "Connections",
  summary: "The configuration a connection syncs with, and what its own level overrides",
  pathParams: { id: pathId("conn", "The connection's id (conn_…)") },
  responses: { 200: "`{ configuration, overrides }`", 404: "No such connection" },
});

export const updateConfiguration = defineOperation({
  operationId: "updateConnectionConfiguration",
  method: "PATCH",
  path: "/connections/{id}/configuration",
  tag: "Connections",
  summary: "Change the connection level: a field given replaces it, null inherits it again, an absent one is left as is",
  pathParams: { id: pathId("conn", "The connection's id (conn_…)") },
  body: configurationLevelBody,
  responses: { 200: "`{ configuration, overrides }`", 400: "The configuration is invalid (the field is named)", 404: "No such connection" },
});
