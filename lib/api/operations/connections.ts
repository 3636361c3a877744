// Connections: list, status, delete, sync now, backfill, a new access token.
import { z } from "zod";
import { isoInstant } from "@/lib/input";
import { defineOperation } from "../operation";
import { cursor, pageLimit, pathId } from "../params";

const connectionId = { id: pathId("conn", "The connection's id (conn_…)") };

export const listConnections = defineOperation({
  operationId: "listConnections",
  method: "GET",
  path: "/connections",
  tag: "Connections",
  summary: "List connections, newest first",
  query: z.object({
    platform: z.string().optional().meta({ description: "Only this platform, e.g. shopify" }),
    stage: z.enum(["INITIAL_SYNC", "HISTORICAL_SYNC", "ONGOING"]).optional(),
    health: z.enum(["HEALTHY", "UNHEALTHY", "NEEDS_UPDATE", "DISABLED"]).optional(),
    end_user_id: z.string().optional().meta({ description: "Only the connections of this end user" }),
    cursor: cursor(/^conn_[0-9A-Z]{26}$/),
    limit: pageLimit(100, 50),
  }),
  responses: { 200: "`{ connections, next_cursor }`" },
});

export const getConnection = defineOperation({
  operationId: "getConnection",
  method: "GET",
  path: "/connections/{id}",
  tag: "Connections",
  summary: "A connection's status (stage, health, readiness, progress, record counts)",
  description:
    '`paused` is null unless syncing waits for a rate limit: `{ limit, message, resume_at }`, where `limit` is `rate` (the platform answered 429) or `daily` (the platform\'s daily request allowance is spent, e.g. "daily limit of 5,000 requests reached; resumes at 2026-12-04 14:05 UTC"; no request is sent and no new sync starts before `resume_at`). The same pause is announced by a `SYNC_RATE_LIMITED` event with `limit`, `message`, `retry_after_ms` and `resume_at`.',
  pathParams: connectionId,
  responses: { 200: "`{ connection }`", 404: "No such connection in this organization and environment" },
});

export const deleteConnection = defineOperation({
  operationId: "deleteConnection",
  method: "DELETE",
  path: "/connections/{id}",
  tag: "Connections",
  summary: "Delete a connection: syncing stops and its records are deleted (CONNECTION_DELETED)",
  description:
    "Answers at once, whatever the connection's size: syncing stops, its runs are cancelled, its access token stops working and its records are no longer served (404). Its records, runs, writes and record events are then removed in the background, a few thousand rows a statement; its connection events stay in the event log for the organization's event retention (30 days by default).",
  pathParams: connectionId,
  responses: { 200: "`{ id, deleted: true }`", 404: "No such connection" },
});

export const syncConnection = defineOperation({
  operationId: "syncConnection",
  method: "POST",
  path: "/connections/{id}/sync",
  tag: "Connections",
  summary: "Sync now; `full: true` re-fetches everything and detects deletions",
  pathParams: connectionId,
  body: z.object({ full: z.boolean().optional() }).strict(),
  responses: { 202: "`{ sync_run_id, created }`", 409: "The connection is not syncing (disabled or needs an update)" },
});

export const backfillConnection = defineOperation({
  operationId: "backfillConnection",
  method: "POST",
  path: "/connections/{id}/backfill",
  tag: "Connections",
  summary: "Re-fetch chosen objects in a window; incremental syncs pause until it ends",
  pathParams: connectionId,
  body: z
    .object({
      objects: z.array(z.string().min(1)).min(1, "choose at least one object"),
      start: isoInstant().nullable().optional(),
      end: isoInstant().nullable().optional(),
    })
    .strict(),
  responses: { 202: "`{ sync_run_id }`" },
});

export const issueConnectionAccessToken = defineOperation({
  operationId: "issueConnectionAccessToken",
  method: "POST",
  path: "/connections/{id}/access-token",
  tag: "Connections",
  summary: "A new access token for the connection, shown once; the previous one stops working at once",
  description:
    'Recovers a connection whose public token was not exchanged within its 10 minutes (it syncs, but no access token was ever handed out), and replaces an access token that leaked. An unexchanged public token of the Link session that created the connection can no longer be exchanged. Emits CONNECTION_UPDATED with `reason: "access_token_issued"`.',
  pathParams: connectionId,
  body: z.object({}).strict(),
  responses: { 200: "`{ access_token, connection_id }`", 404: "No such connection" },
  secretFields: ["access_token"],
});
