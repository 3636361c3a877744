// The ticketing sandbox: an emulation of Zendesk Support API v2
// (https://developer.zendesk.com/api-reference/ticketing/introduction/, as documented in 2024–2025)
// for organizations, users, tickets, ticket comments and the incremental exports, read-only but for
// tickets: Create Ticket (POST /tickets.json, idempotent with an Idempotency-Key), Update Ticket
// (PUT /tickets/{id}.json) and Delete Ticket (DELETE /tickets/{id}.json), in writes.ts. Requests arrive authenticated and rate limited by the sandbox
// core; the control API changes any record, as the help desk's own users would.
import type { Dataset, StoredRecord } from "@/lib/sandbox/dataset";
import type { SandboxRequest, SandboxResponse } from "@/lib/sandbox/http";
import { json } from "@/lib/sandbox/http";
import { ticketComments, type ZendeskComment } from "./comments";
import { cursorBasedExport, timeBasedExport } from "./incremental";
import { ID_BASE } from "./objects";
import { arraySource, pageList, type IdOrderedSource } from "./paging";
import { BadParameter, isZendeskObject, notFound, unknownEndpoint, zendeskRecordJson, type ZendeskObject } from "./wire";
import { createTicket, deleteTicket, updateTicket } from "./writes";

export { zendeskRecordJson } from "./wire";

const SINGULAR: Record<ZendeskObject, string> = { organizations: "organization", users: "user", tickets: "ticket" };

/**
 * Answers one Zendesk API request. `now` is the clock the incremental exports measure "the last
 * minute" with; pass the dataset's clock when it is not the wall clock (tests).
 */
export function handleZendesk(request: SandboxRequest, dataset: Dataset, now: () => number = Date.now): SandboxResponse {
  try {
    return route(request, dataset, now);
  } catch (error) {
    if (error instanceof BadParameter) return error.response();
    throw error;
  }
}

function route(request: SandboxRequest, dataset: Dataset, now: () => number): SandboxResponse {
  const parts = /^\/api\/v2\/(.+)\.json$/.exec(request.path)?.[1].split("/");
  if (!parts) return unknownEndpoint();
  const [first, second, third] = parts;
  if (request.method === "POST" && parts.length === 1 && first === "tickets") return createTicket(request, dataset);
  if (request.method === "PUT" && parts.length === 2 && first === "tickets") {
    return /^\d{1,15}$/.test(second) ? updateTicket(request, dataset, Number(second)) : notFound();
  }
  if (request.method === "DELETE" && parts.length === 2 && first === "tickets") {
    return /^\d{1,15}$/.test(second) ? deleteTicket(dataset, Number(second)) : notFound();
  }
  if (request.method !== "GET") return unknownEndpoint();

  if (first === "incremental" && second !== undefined && isZendeskObject(second)) {
    if (parts.length === 2) return timeBasedExport(request, dataset, second, now());
    // Zendesk offers the cursor-based variant for tickets and users only.
    if (parts.length === 3 && third === "cursor" && second !== "organizations") return cursorBasedExport(request, dataset, second, now());
    return unknownEndpoint();
  }
  if (!isZendeskObject(first)) return unknownEndpoint();
  if (parts.length === 2 && second === "count") return countOf(dataset, first, now());
  if (parts.length === 1) {
    return pageList(request, first, recordSource(dataset, first), (record) => zendeskRecordJson(record, request.baseUrl));
  }
  const record = /^\d{1,15}$/.test(second) ? dataset.get(first, Number(second)) : undefined;
  const live = record && record.deletedAt === null ? record : undefined;
  if (parts.length === 2) {
    return live ? json(200, { [SINGULAR[first]]: zendeskRecordJson(live, request.baseUrl) }) : notFound();
  }
  if (parts.length === 3 && first === "tickets" && third === "comments") {
    if (!live) return notFound();
    return pageList(
      request,
      "comments",
      arraySource(ticketComments(dataset, live), (c: ZendeskComment) => c.id),
      (c) => c,
    );
  }
  // An organization's users and tickets: /organizations/{id}/users.json, /organizations/{id}/tickets.json.
  if (parts.length === 3 && first === "organizations" && (third === "users" || third === "tickets")) {
    if (!live) return notFound();
    return pageList(request, third, memberSource(dataset, third, live.id), (record) => zendeskRecordJson(record, request.baseUrl));
  }
  return unknownEndpoint();
}

/**
 * Count Tickets, Count Users, Count Organizations (Support API v2: GET /api/v2/{tickets,users,
 * organizations}/count.json): `{ count: { value, refreshed_at } }`. Zendesk's is approximate, refreshed
 * every 24 hours above 100,000; the emulator's is exact, the live records now.
 */
function countOf(dataset: Dataset, object: ZendeskObject, now: number): SandboxResponse {
  return json(200, { count: { value: dataset.liveCount(object), refreshed_at: new Date(Math.floor(now / 1000) * 1000).toISOString().replace(".000Z", "Z") } });
}

/**
 * Live records of an object that belong to one organization, in id order. The emulator has no index
 * by organization: it scans, which is fine at the sizes tests and demos use.
 */
function memberSource(dataset: Dataset, object: "users" | "tickets", organizationId: number): IdOrderedSource<StoredRecord> {
  const scan = (afterId: number | undefined, stopAt: (found: StoredRecord[]) => boolean, below = Infinity): StoredRecord[] => {
    const found: StoredRecord[] = [];
    let cursor = afterId;
    for (;;) {
      const chunk = dataset.list(object, { afterId: cursor, limit: 1000 });
      for (const record of chunk) {
        if (record.id >= below) return found;
        if (record.data.organization_id === organizationId) found.push(record);
      }
      if (chunk.length < 1000 || stopAt(found)) return found;
      cursor = chunk[chunk.length - 1].id;
    }
  };
  return {
    idOf: (record) => record.id,
    after: (afterId, limit) => scan(afterId, (found) => found.length >= limit).slice(0, limit),
    before: (beforeId, limit) => scan(undefined, () => false, beforeId).slice(-limit),
    count: () => scan(undefined, () => false).length,
  };
}

/** Live records of an object in id order, readable backwards by widening a window below the cursor. */
function recordSource(dataset: Dataset, object: ZendeskObject): IdOrderedSource<StoredRecord> {
  const idBase = ID_BASE[object];
  return {
    idOf: (record) => record.id,
    after: (afterId, limit) => dataset.list(object, { afterId, limit }),
    before(beforeId, limit) {
      for (let window = 2 * limit; ; window *= 4) {
        const from = Math.max(idBase, beforeId - 1 - window);
        // Ids are unique, so (from, beforeId) holds at most beforeId - from - 1 records.
        const found = dataset.list(object, { afterId: from, limit: Math.max(0, beforeId - from - 1) }).filter((r) => r.id < beforeId);
        if (found.length >= limit || from === idBase) return found.slice(-limit);
      }
    },
    count: () => dataset.liveCount(object),
  };
}
