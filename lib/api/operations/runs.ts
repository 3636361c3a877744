// Sync runs: a connection's runs, newest first, and one run with its per-object statistics.
import { z } from "zod";
import { SyncRunKind, RunStatus } from "@/lib/generated/prisma/enums";
import { defineOperation } from "../operation";
import { cursor, pageLimit, pathId } from "../params";

export const listSyncRuns = defineOperation({
  operationId: "listSyncRuns",
  method: "GET",
  path: "/connections/{id}/sync-runs",
  tag: "Sync runs",
  summary: "A connection's sync runs, newest first",
  pathParams: { id: pathId("conn", "The connection's id (conn_…)") },
  query: z.object({
    status: z.enum(RunStatus, { message: `must be one of ${Object.values(RunStatus).join(", ")}` }).optional(),
    kind: z.enum(SyncRunKind, { message: `must be one of ${Object.values(SyncRunKind).join(", ")}` }).optional(),
    cursor: cursor(/^run_[0-9A-Z]{26}$/),
    limit: pageLimit(100, 50),
  }),
  responses: { 200: "`{ sync_runs, next_cursor }`", 404: "No such connection in this organization and environment" },
});

export const getSyncRun = defineOperation({
  operationId: "getSyncRun",
  method: "GET",
  path: "/sync-runs/{id}",
  tag: "Sync runs",
  summary: "One sync run with its statistics per object (requests, pages, records seen/created/updated/deleted, 429s, retries, errors)",
  pathParams: { id: pathId("run", "The run's id (run_…)") },
  responses: { 200: "`{ sync_run }`", 404: "No such run in this organization and environment" },
});
