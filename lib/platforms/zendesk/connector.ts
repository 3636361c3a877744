// The Zendesk connector: Support API v2 (the sandbox's ticketing emulator speaks the same wire
// format, so this reads a real help desk at https://{subdomain}.zendesk.com).
// Tickets and users come from the cursor-based incremental export, organizations from the time-based
// one; both include deletions (tickets with status "deleted", users inactive, organizations with
// deleted_at). Comments can only be listed per ticket, so their pages walk the ticket export.
// Exports run by update time and take no creation window: initial batches read them whole.
// The exports allow 10 requests a minute per account whatever the plan (the Incremental Exports
// reference), so every export page is a full one of 1000 items, comments' pages included.
import { idString, stringOrNull, utcTimestamp } from "@/lib/unified/convert";
import { hmacMatches, requestJson } from "../http";
import {
  ConnectorError,
  declaredFilters,
  fromDefinition,
  type Connector,
  type ConnectorContext,
  type ListPage,
  type ListRequest,
  type UnifiedRecord,
  type DeleteRequest,
  type WriteRequest,
} from "../types";
import { zendeskDefinition } from "./definition";

type Json = Record<string, unknown>;

/** Zendesk refuses a start_time within the last minute; an earlier start only adds overlap. */
const MIN_EXPORT_AGE_MS = 61_000;
const EXPORT_PAGE_SIZE = 1000;
/** Tickets whose comments one page reads: one request each, so a page is a checkpoint every ~50 requests. */
const TICKETS_PER_COMMENT_PAGE = 50;

export const zendeskConnector: Connector = {
  ...fromDefinition(zendeskDefinition),
  // Incremental exports leave out the last minute of changes: ask again from two minutes back.
  incrementalOverlapMs: 120_000,
  oauthClientAuth: "body",
  endpoints(subdomain, sandboxUrl) {
    const base = sandboxUrl ? `${sandboxUrl}/zendesk/${subdomain}` : `https://${subdomain}.zendesk.com`;
    return { apiBaseUrl: base, tokenUrl: `${base}/oauth/tokens`, authorizeUrl: `${base}/oauth/authorizations/new` };
  },
  proxy: { path: "/api/v2", headers: authHeaders },
  writes: { tickets: ["create", "update", "delete"], comments: ["create"] },
  write,
  remove,
  // Zendesk signs each webhook with its signing secret: HMAC-SHA256 over timestamp + raw body.
  webhooks: {
    // One event of a ticket, user or organization with its detail, not the ticket's whole history.
    maxBodyBytes: 256 * 1024,
    verify: (headers, body, secret) =>
      hmacMatches(secret, (headers["x-zendesk-webhook-signature-timestamp"] ?? "") + body, headers["x-zendesk-webhook-signature"]),
    objects(_headers, body) {
      const type = String((JSON.parse(body) as { type?: unknown }).type ?? "");
      const subject = /^zen:event-type:([a-z_]+)\./.exec(type)?.[1];
      // A ticket event may be a new comment: comments are fetched with their tickets.
      return subject === "ticket" ? ["tickets", "comments"] : subject === "user" ? ["users"] : subject === "organization" ? ["organizations"] : [];
    },
  },
  // Count Tickets / Users / Organizations: approximate above 100,000 (refreshed daily), enough for an
  // estimate. Comments have no count endpoint; exports take no creation window, so neither does this.
  async count(context, request) {
    if (request.object !== "tickets" && request.object !== "users" && request.object !== "organizations") return null;
    const body = await get<{ count?: { value?: unknown } }>(context, `${context.baseUrl}/api/v2/${request.object}/count.json`);
    return typeof body.count?.value === "number" ? body.count.value : null;
  },
  async list(context, request) {
    const scoped = scopedList(request);
    if (scoped) return pagedList(context, request, scoped);
    switch (request.object) {
      case "tickets":
      case "users":
        return cursorExport(context, request, request.object, Math.min(EXPORT_PAGE_SIZE, request.pageSize ?? EXPORT_PAGE_SIZE));
      case "organizations":
        return timeExport(context, request);
      case "comments":
        return comments(context, request);
      default:
        throw new ConnectorError("permanent", `Zendesk has no object "${request.object}"`);
    }
  },
};

function startTime(request: ListRequest): number {
  const since = request.updatedSince?.getTime() ?? 0;
  return Math.floor(Math.min(since, Date.now() - MIN_EXPORT_AGE_MS) / 1000);
}

/** Zendesk takes the OAuth access token as a bearer token. */
function authHeaders(context: ConnectorContext): Record<string, string> {
  if (context.credentials.kind !== "oauth") throw new ConnectorError("permanent", "Zendesk needs an OAuth access token");
  return { Authorization: `Bearer ${context.credentials.accessToken}` };
}

async function get<T>(context: ConnectorContext, url: string): Promise<T> {
  const response = await requestJson<T>(context, url, { headers: { ...authHeaders(context), Accept: "application/json" } });
  if (response.status === 404 || response.status === 403)
    throw new ConnectorError("account_closed", `The help desk is unavailable (${response.status})`, { status: response.status });
  if (response.status !== 200)
    throw new ConnectorError("permanent", `Zendesk answered ${response.status}: ${JSON.stringify(response.body).slice(0, 200)}`, { status: response.status });
  return response.body;
}

async function cursorExport(
  context: ConnectorContext,
  request: ListRequest,
  object: "tickets" | "users",
  perPage: number,
): Promise<ListPage & { raw: Json[] }> {
  const url = new URL(`${context.baseUrl}/api/v2/incremental/${object}/cursor.json`);
  url.searchParams.set("per_page", String(perPage));
  if (request.cursor) url.searchParams.set("cursor", request.cursor);
  else url.searchParams.set("start_time", String(startTime(request)));
  const body = await get<Json>(context, url.toString());
  const items = (body[object] as Json[] | undefined) ?? [];
  const isDeleted = (item: Json) => (object === "tickets" ? item.status === "deleted" : item.active === false);
  return {
    records: items.filter((item) => !isDeleted(item)).map((item) => normalize(object, item)),
    deleted: items.filter(isDeleted).map((item) => String(item.id)),
    nextCursor: body.end_of_stream ? null : (body.after_cursor as string | null),
    requests: 1,
    raw: items,
  };
}

interface ScopedList {
  path: string;
  key: "users" | "tickets" | "comments";
  /** Comments of one ticket: the ticket their records name. */
  ticketId?: string;
}

/**
 * The definition's filters are real endpoints narrowed to one parent: /organizations/{id}/users,
 * /organizations/{id}/tickets and /tickets/{id}/comments (cursor pagination).
 */
function scopedList(request: ListRequest): ScopedList | null {
  const filters = declaredFilters(zendeskDefinition, request);
  const digits = (name: string) => {
    const value = filters[name];
    if (!/^\d{1,20}$/.test(value)) throw new ConnectorError("permanent", `${name} must be a Zendesk id (digits), not "${value}"`);
    return value;
  };
  if (request.object === "comments" && filters.ticket_id !== undefined) {
    const ticketId = digits("ticket_id");
    return { path: `/api/v2/tickets/${ticketId}/comments.json`, key: "comments", ticketId };
  }
  if ((request.object === "users" || request.object === "tickets") && filters.organization_id !== undefined) {
    return { path: `/api/v2/organizations/${digits("organization_id")}/${request.object}.json`, key: request.object };
  }
  return null;
}

/**
 * A list endpoint under one parent, with cursor pagination (page[size] ≤ 100). These endpoints take
 * no time filter: with `updatedSince`, records updated earlier are left out here, after the request.
 */
async function pagedList(context: ConnectorContext, request: ListRequest, list: ScopedList): Promise<ListPage> {
  const url = request.cursor ?? `${context.baseUrl}${list.path}?page[size]=${Math.min(100, request.pageSize ?? 100)}`;
  if (!url.startsWith(`${context.baseUrl}/`)) throw new ConnectorError("permanent", "The cursor does not belong to this help desk");
  const body = await get<Json>(context, url);
  const items = (body[list.key] as Json[] | undefined) ?? [];
  const since = request.updatedSince?.getTime() ?? null;
  const records = items
    .map((item) => (list.ticketId ? normalizeComment({ id: list.ticketId }, item) : normalize(list.key, item)))
    .filter((record) => since === null || record.updatedAt === null || record.updatedAt.getTime() >= since);
  const next = (body.meta as Json | undefined)?.has_more ? ((body.links as Json | undefined)?.next as string | undefined) : undefined;
  return { records, deleted: [], nextCursor: next ?? null, requests: 1 };
}

async function timeExport(context: ConnectorContext, request: ListRequest): Promise<ListPage> {
  // The cursor is the query of the previous page's next_page URL.
  const url = request.cursor
    ? `${context.baseUrl}/api/v2/incremental/organizations.json${request.cursor}`
    : `${context.baseUrl}/api/v2/incremental/organizations.json?start_time=${startTime(request)}`;
  const body = await get<Json>(context, url);
  const items = (body.organizations as Json[] | undefined) ?? [];
  const isDeleted = (item: Json) => item.deleted_at !== null && item.deleted_at !== undefined;
  return {
    records: items.filter((item) => !isDeleted(item)).map((item) => normalize("organizations", item)),
    deleted: items.filter(isDeleted).map((item) => String(item.id)),
    nextCursor: body.end_of_stream || typeof body.next_page !== "string" ? null : new URL(body.next_page).search,
    requests: 1,
  };
}

/**
 * Comments of the tickets the ticket export lists, 50 tickets a page. The export is read a full page
 * (1000 tickets) at a time, as the tickets listing reads it, and the page's tickets not yet done travel
 * in the cursor, so comments cost as few export requests as tickets. Measured with bench:helpdesk (the
 * 5,000-record demo help desk under Zendesk's limits): a full sync took 298 s and 11 export requests;
 * reading 50 tickets per export request it took 75 of them, 303 s before the export limit existed and
 * 439 s under it (seven 429s, each pausing the run until the next minute).
 */
async function comments(context: ConnectorContext, request: ListRequest): Promise<ListPage> {
  let { exportCursor, tickets } = decodeCommentsCursor(request.cursor);
  let requests = 0;
  if (tickets.length === 0) {
    const page = await cursorExport(context, { ...request, cursor: exportCursor }, "tickets", EXPORT_PAGE_SIZE);
    requests++;
    tickets = page.raw.filter((ticket) => ticket.status !== "deleted").map((ticket) => Number(ticket.id));
    exportCursor = page.nextCursor;
  }
  const records: UnifiedRecord[] = [];
  for (const ticketId of tickets.slice(0, TICKETS_PER_COMMENT_PAGE)) {
    let next: string | null = `${context.baseUrl}/api/v2/tickets/${ticketId}/comments.json?page[size]=100`;
    while (next) {
      const body: Json = await get<Json>(context, next);
      requests++;
      for (const comment of (body.comments as Json[] | undefined) ?? []) records.push(normalizeComment({ id: ticketId }, comment));
      next = (body.meta as Json | undefined)?.has_more ? ((body.links as Json).next as string) : null;
    }
  }
  const rest = tickets.slice(TICKETS_PER_COMMENT_PAGE);
  const done = rest.length === 0 && exportCursor === null;
  return { records, deleted: [], nextCursor: done ? null : encodeCommentsCursor(exportCursor, rest), requests };
}

/**
 * A comments cursor: where the ticket export goes on (null: its last page is read) and the tickets of
 * the current export page still to do, ascending, as base36 deltas (about 2 characters a ticket, so
 * under 3 KB for a page of 1000). Any other cursor is the ticket export's own (a comments page of an
 * earlier connector version, which read 50 tickets per export request): it goes on from there.
 */
function encodeCommentsCursor(exportCursor: string | null, tickets: number[]): string {
  const sorted = [...tickets].sort((a, b) => a - b);
  const deltas = sorted.map((id, i) => (i === 0 ? id : id - sorted[i - 1]).toString(36)).join(".");
  return Buffer.from(JSON.stringify(["comments", exportCursor, deltas])).toString("base64url");
}

function decodeCommentsCursor(cursor: string | null): { exportCursor: string | null; tickets: number[] } {
  if (cursor === null) return { exportCursor: null, tickets: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== "comments" ||
    !(parsed[1] === null || typeof parsed[1] === "string") ||
    typeof parsed[2] !== "string"
  ) {
    return { exportCursor: cursor, tickets: [] };
  }
  const tickets: number[] = [];
  for (const delta of parsed[2] ? parsed[2].split(".") : []) {
    const value = parseInt(delta, 36);
    if (!Number.isSafeInteger(value) || value < 0) throw new ConnectorError("permanent", "The comments cursor is damaged");
    tickets.push((tickets.at(-1) ?? 0) + value);
  }
  return { exportCursor: parsed[1], tickets };
}

/** Zendesk's resources in Tributary's ticketing model (lib/unified/ticketing.ts), with the resource itself as the platform's data. */
function normalize(object: string, item: Json): UnifiedRecord {
  const updatedAt = typeof item.updated_at === "string" ? new Date(item.updated_at) : null;
  const common = { id: String(item.id), created_at: utcTimestamp(item.created_at), updated_at: utcTimestamp(item.updated_at) };
  const data: Json =
    object === "tickets"
      ? {
          ...common,
          subject: stringOrNull(item.subject),
          description: stringOrNull(item.description),
          status: item.status,
          priority: stringOrNull(item.priority),
          type: stringOrNull(item.type),
          requester_id: idString(item.requester_id),
          assignee_id: idString(item.assignee_id),
          organization_id: idString(item.organization_id),
          tags: item.tags ?? [],
        }
      : object === "users"
        ? {
            ...common,
            name: stringOrNull(item.name),
            email: stringOrNull(item.email),
            role: stringOrNull(item.role),
            organization_id: idString(item.organization_id),
          }
        : { ...common, name: item.name, domain_names: item.domain_names ?? [] };
  return { externalId: String(item.id), updatedAt, data, platformData: item };
}

/**
 * Create Ticket (POST /api/v2/tickets.json) and Update Ticket (PUT /api/v2/tickets/{id}.json), Support
 * API v2 as documented in 2025: the description is the first comment's body, a comment on an update
 * is `ticket.comment`, and a creation carries the Idempotency-Key header (Zendesk keeps it two hours),
 * so a creation sent again after a crash answers the ticket it made. Validation refusals (422
 * RecordInvalid) name Zendesk's field in `details`; they come back as `invalid` naming ours.
 */
async function write(context: ConnectorContext, request: WriteRequest): Promise<UnifiedRecord> {
  if (request.object === "comments") return addComment(context, request);
  if (request.object !== "tickets") throw new ConnectorError("permanent", `Zendesk does not write ${request.object} through Tributary`);
  const data = request.data;
  const id = (value: unknown) => (value === null ? null : value === undefined ? undefined : Number(value));
  const ticket: Json = {
    subject: data.subject,
    status: data.status,
    priority: data.priority,
    type: data.type,
    assignee_id: id(data.assignee_id),
    tags: data.tags,
  };
  if (request.operation === "create") {
    Object.assign(ticket, { comment: { body: data.description }, requester_id: id(data.requester_id), organization_id: id(data.organization_id) });
  } else if (data.comment) {
    ticket.comment = data.comment;
  }
  for (const key of Object.keys(ticket)) if (ticket[key] === undefined) delete ticket[key];
  const creating = request.operation === "create";
  const url = creating ? `${context.baseUrl}/api/v2/tickets.json` : `${context.baseUrl}/api/v2/tickets/${encodeURIComponent(request.id ?? "")}.json`;
  const response = await requestJson<Json>(context, url, {
    method: creating ? "POST" : "PUT",
    headers: {
      ...authHeaders(context),
      "Content-Type": "application/json",
      Accept: "application/json",
      ...(creating ? { "Idempotency-Key": request.idempotencyKey } : {}),
    },
    body: JSON.stringify({ ticket }),
  });
  if (response.status === 404 && !creating) throw new ConnectorError("not_found", `Zendesk has no ticket ${request.id}`, { status: 404 });
  if (response.status === 422 || response.status === 400) throw refusal(response.status, response.body);
  if (response.status !== 200 && response.status !== 201)
    throw new ConnectorError("permanent", `Zendesk answered ${response.status}: ${JSON.stringify(response.body).slice(0, 200)}`, { status: response.status });
  return normalize("tickets", response.body.ticket as Json);
}

/**
 * A comment is added the way Zendesk adds one: Update Ticket with `ticket.comment` (there is no
 * endpoint that creates a comment alone). The comment is the audit's Comment event, with the audit's
 * time: the fields /tickets/{id}/comments.json lists, so the next sync reads it unchanged. Zendesk
 * takes no idempotency key on updates: a comment retried after a crash between its answer and
 * Tributary's commit is added twice.
 */
async function addComment(context: ConnectorContext, request: WriteRequest): Promise<UnifiedRecord> {
  const { ticket_id: ticketId, body, public: isPublic, author_id: authorId } = request.data;
  const comment: Json = { body, public: isPublic };
  if (authorId !== undefined) comment.author_id = Number(authorId);
  const response = await requestJson<Json>(context, `${context.baseUrl}/api/v2/tickets/${encodeURIComponent(String(ticketId))}.json`, {
    method: "PUT",
    headers: { ...authHeaders(context), "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ ticket: { comment } }),
  });
  if (response.status === 404) throw new ConnectorError("not_found", `Zendesk has no ticket ${String(ticketId)}`, { status: 404 });
  if (response.status === 422 || response.status === 400) {
    const refused = refusal(response.status, response.body);
    // A refusal of the ticket (a closed one takes no comment) is about the comment's ticket.
    throw refused.options.field === "status" ? new ConnectorError("invalid", refused.message, { ...refused.options, field: "ticket_id" }) : refused;
  }
  if (response.status !== 200)
    throw new ConnectorError("permanent", `Zendesk answered ${response.status}: ${JSON.stringify(response.body).slice(0, 200)}`, { status: response.status });
  const audit = response.body.audit as Json | undefined;
  const event = ((audit?.events as Json[] | undefined) ?? []).find((e) => e.type === "Comment");
  if (!audit || !event) throw new ConnectorError("permanent", "Zendesk's answer carried no comment");
  return normalizeComment({ id: ticketId }, { ...event, created_at: audit.created_at });
}

/** Delete Ticket (DELETE /api/v2/tickets/{id}.json → 204). A ticket already deleted is 404: not_found, which the engine takes as done. */
async function remove(context: ConnectorContext, request: DeleteRequest): Promise<void> {
  if (request.object !== "tickets") throw new ConnectorError("permanent", `Zendesk does not delete ${request.object} through Tributary`);
  const response = await requestJson<Json>(context, `${context.baseUrl}/api/v2/tickets/${encodeURIComponent(request.id)}.json`, {
    method: "DELETE",
    headers: { ...authHeaders(context), Accept: "application/json" },
  });
  if (response.status === 404) throw new ConnectorError("not_found", `Zendesk has no ticket ${request.id}`, { status: 404 });
  if (response.status !== 204 && response.status !== 200)
    throw new ConnectorError("permanent", `Zendesk answered ${response.status}: ${JSON.stringify(response.body).slice(0, 200)}`, { status: response.status });
}

/** Zendesk's field names in a RecordInvalid answer, as the unified ticket names them. */
const REFUSED_FIELDS: Record<string, string> = {
  description: "description",
  comment: "description",
  subject: "subject",
  status: "status",
  priority: "priority",
  type: "type",
  tags: "tags",
  requester: "requester_id",
  requester_id: "requester_id",
  assignee: "assignee_id",
  assignee_id: "assignee_id",
  organization: "organization_id",
  organization_id: "organization_id",
};

/** `{ error: "RecordInvalid", description, details: { <field>: [{ description }] } }` → invalid, with Zendesk's own sentence. */
function refusal(status: number, body: Json | null): ConnectorError {
  const details = (body?.details ?? {}) as Record<string, { description?: string }[] | undefined>;
  const [zendeskField, problems] = Object.entries(details)[0] ?? [];
  const message = problems?.[0]?.description ?? (typeof body?.description === "string" ? body.description : `Zendesk refused the ticket (${status})`);
  return new ConnectorError("invalid", message, { status, field: zendeskField ? (REFUSED_FIELDS[zendeskField] ?? null) : null });
}

function normalizeComment(ticket: Json, comment: Json): UnifiedRecord {
  return {
    externalId: String(comment.id),
    // A comment never changes; the ticket's update time says when it may have been added.
    updatedAt: typeof comment.created_at === "string" ? new Date(comment.created_at) : null,
    data: {
      id: String(comment.id),
      ticket_id: String(ticket.id),
      author_id: idString(comment.author_id),
      body: stringOrNull(comment.body),
      public: comment.public ?? true,
      created_at: utcTimestamp(comment.created_at),
    },
    platformData: comment,
  };
}
