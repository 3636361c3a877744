// Ticket writes, as Support API v2 documents them (Tickets reference, "Create Ticket" and "Update
// Ticket", https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/, and Zendesk's
// OpenAPI file, https://developer.zendesk.com/zendesk/oas.yaml, as published in 2024–2025):
// - POST /api/v2/tickets.json → 201 `{ ticket }` (TicketResponse) with `Location`; the `comment`
//   becomes the ticket's description and first comment; `Idempotency-Key` is honoured (idempotency.ts);
// - PUT /api/v2/tickets/{id}.json → 200 `{ ticket, audit }` (TicketUpdateResponse); `tags` replaces the
//   ticket's tags, `comment` adds a comment; a closed ticket refuses every update;
// - DELETE /api/v2/tickets/{id}.json → 204 ("Delete Ticket"); a ticket already deleted is 404.
// Every write goes through the Dataset, so listings, counts, the incremental exports, webhooks and the
// ground truth see it, with updated_at at the write's time.
//
// The emulator does not tie credentials to users. Where Zendesk uses "the authenticated user" (the
// requester of a ticket that names none, the author of an update's comment that names none, an
// audit's author), it uses the help desk's first agent. A new ticket's first comment is by its
// submitter, who is its requester unless submitter_id says otherwise (Tickets reference, "Requesters
// and submitters").
import type { Dataset, StoredRecord } from "@/lib/sandbox/dataset";
import { json, type SandboxRequest, type SandboxResponse } from "@/lib/sandbox/http";
import {
  apiHistoryOf,
  commentBodies,
  commentEventJson,
  MAX_TICKET_COMMENTS,
  nextAuditId,
  nextCommentId,
  ticketComments,
  type ApiHistory,
  type StoredComment,
} from "./comments";
import { idempotencyKeyOf, lookUpIdempotencyKey, rememberIdempotencyKey, withIdempotencyLookup } from "./idempotency";
import { generatedUserIdFromEmail, newEndUserData, newTicketData } from "./objects";
import { FieldErrors, normalizeTags, parseCreateTicket, parseUpdateTicket, type CommentInput, type UpdateTicketInput } from "./ticket-input";
import { API_HISTORY_FIELD, notFound, recordInvalid, zendeskRecordJson, zendeskTime } from "./wire";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** How long the subject of a ticket created without one is: the start of its first comment. */
const SUBJECT_FROM_DESCRIPTION = 50;

/** Create Ticket, idempotent when the request carries an Idempotency-Key. */
export function createTicket(request: SandboxRequest, dataset: Dataset): SandboxResponse {
  const key = idempotencyKeyOf(request.headers);
  if (key === null) return create(request, dataset);
  const lookup = lookUpIdempotencyKey(dataset, key, request.body, dataset.now());
  if (lookup.outcome !== "miss") return lookup.response;
  const response = create(request, dataset);
  return response.status === 201 ? rememberIdempotencyKey(dataset, key, request.body, response, dataset.now()) : withIdempotencyLookup(response, "miss");
}

function create(request: SandboxRequest, dataset: Dataset): SandboxResponse {
  const parsed = parseCreateTicket(request.body);
  if (!parsed.ok) return parsed.response;
  const input = parsed.value;
  const errors = new FieldErrors();
  const bodies = input.comment ? commentBodies(input.comment) : undefined;
  if (!bodies || bodies.body.trim() === "") errors.addBase("Description: cannot be blank", "BlankValue");
  checkReferences(dataset, input, errors);

  // The requester: an existing user by id, an existing or new user by email, or the authenticated user.
  let requesterId: number | null = input.requester_id ?? null;
  let newRequester: { name: string; email: string } | undefined;
  if (requesterId === null && input.requester) {
    const email = input.requester.email.trim();
    if (!EMAIL.test(email)) errors.add("requester", `Email:  ${email} is not properly formatted`, "InvalidFormat");
    else requesterId = findUserByEmail(dataset, email);
    if (requesterId === null) newRequester = { name: input.requester.name?.trim() || email.split("@")[0], email };
  }
  if (requesterId === null && !newRequester) requesterId = actingUserId(dataset);
  if (requesterId === null && !newRequester) errors.add("requester", "cannot be blank", "BlankValue");
  if (!errors.empty || !bodies) return errors.response();

  if (newRequester) requesterId = dataset.create("users", newEndUserData(newRequester.name, newRequester.email)).id;
  const requester = dataset.get("users", requesterId!);
  const submitterId = input.submitter_id ?? requesterId;
  const assigneeId = input.assignee_id ?? null;
  // Peeking at the next id costs a copy of the account's changes; creations through the API are few.
  const ticketId = dataset.snapshot().nextIds.tickets;
  const time = dataset.now();
  const history: ApiHistory = { comments: [], audits: 0 };
  const first: StoredComment = {
    id: nextCommentId(ticketId, history),
    audit_id: nextAuditId(ticketId, history),
    author_id: input.comment?.author_id ?? submitterId,
    ...bodies,
    public: input.comment?.public ?? true,
    created_at: time,
  };
  const subject = input.subject ?? firstLine(bodies.body);
  const data: Record<string, unknown> = {
    ...newTicketData(),
    subject,
    raw_subject: subject,
    description: bodies.body,
    status: input.status ?? (assigneeId === null ? "new" : "open"),
    priority: input.priority ?? null,
    type: input.type ?? null,
    requester_id: requesterId,
    submitter_id: submitterId,
    assignee_id: assigneeId,
    // Zendesk files a ticket under its requester's organization unless told otherwise.
    organization_id: input.organization_id !== undefined ? input.organization_id : numberOrNull(requester?.data.organization_id),
    external_id: input.external_id ?? null,
    due_at: input.due_at ? zendeskTime(Date.parse(input.due_at)) : null,
    tags: normalizeTags(input.tags ?? []),
    is_public: first.public,
    [API_HISTORY_FIELD]: { comments: [first], audits: 1 } satisfies ApiHistory,
  };
  const record = dataset.create("tickets", data);
  const location = `${request.baseUrl}/api/v2/tickets/${record.id}.json`;
  return json(201, { ticket: zendeskRecordJson(record, request.baseUrl) }, { Location: location });
}

/**
 * Delete Ticket: 204 with no body. The ticket leaves the listings and reads (404), and the incremental
 * exports report it with status "deleted", as Zendesk's do for soft-deleted tickets.
 */
export function deleteTicket(dataset: Dataset, ticketId: number): SandboxResponse {
  return dataset.delete("tickets", ticketId) ? { status: 204 } : notFound();
}

/** Update Ticket. */
export function updateTicket(request: SandboxRequest, dataset: Dataset, ticketId: number): SandboxResponse {
  const current = dataset.get("tickets", ticketId);
  if (!current || current.deletedAt !== null) return notFound();
  const parsed = parseUpdateTicket(request.body);
  if (!parsed.ok) return parsed.response;
  if (current.data.status === "closed") {
    return recordInvalid({ status: [{ description: "Status: closed prevents ticket update", error: "ClosedTicket" }] });
  }
  const input = parsed.value;
  const errors = new FieldErrors();
  checkReferences(dataset, input, errors);
  const bodies = input.comment ? commentBodies(input.comment) : undefined;
  // A comment without text adds nothing, as in Zendesk's agent interface.
  const comment = bodies && bodies.body.trim() !== "" ? { ...bodies, input: input.comment! } : undefined;
  const existing = comment ? ticketComments(dataset, current) : [];
  if (comment && existing.length >= MAX_TICKET_COMMENTS) {
    errors.add("comment", `a ticket can hold at most ${MAX_TICKET_COMMENTS} comments`, "TooManyComments");
  }
  if (!errors.empty) return errors.response();

  const history = apiHistoryOf(current);
  const auditId = nextAuditId(ticketId, history);
  const acting = actingUserId(dataset);
  // Dataset.update moves updated_at to now, or 1 ms past the last update when the clock lags behind it.
  const time = Math.max(dataset.now(), current.updatedAt + 1);
  const patch = fieldChanges(current, input);
  const events: Record<string, unknown>[] = [];
  let stored: StoredComment | undefined;
  if (comment) {
    stored = {
      id: nextCommentId(ticketId, history),
      audit_id: auditId,
      author_id: comment.input.author_id ?? acting ?? numberOrNull(current.data.requester_id),
      body: comment.body,
      html_body: comment.html_body,
      // "The initial value set on ticket creation persists for any additional comment unless you change it."
      public: comment.input.public ?? existing[0]?.public ?? true,
      created_at: time,
    };
    events.push(commentEventJson(stored));
    if (stored.public && current.data.is_public !== true) patch.is_public = true;
  }
  let eventId = auditId * 100;
  for (const [field, value] of Object.entries(patch)) {
    if (field === "raw_subject" || field === "is_public") continue;
    events.push({ id: ++eventId, type: "Change", field_name: field, value, previous_value: current.data[field] ?? null });
  }
  const nextHistory: ApiHistory = { comments: stored ? [...history.comments, stored] : history.comments, audits: history.audits + 1 };
  const record = dataset.update("tickets", ticketId, { ...patch, [API_HISTORY_FIELD]: nextHistory })!;
  const audit = {
    id: auditId,
    ticket_id: ticketId,
    created_at: zendeskTime(record.updatedAt),
    author_id: acting,
    metadata: { system: {}, custom: {} },
    via: { channel: "api", source: { from: {}, to: {}, rel: null } },
    events,
  };
  return json(200, { ticket: zendeskRecordJson(record, request.baseUrl), audit });
}

/** The fields an update changes, with the values Zendesk stores (tags normalized, times in its format). */
function fieldChanges(current: StoredRecord, input: UpdateTicketInput): Record<string, unknown> {
  const next: Record<string, unknown> = {};
  if (input.subject !== undefined) {
    next.subject = input.subject ?? "";
    next.raw_subject = next.subject;
  }
  for (const field of ["status", "priority", "type", "external_id", "requester_id", "assignee_id", "organization_id", "group_id"] as const) {
    if (input[field] !== undefined) next[field] = input[field];
  }
  if (input.tags !== undefined) next.tags = normalizeTags(input.tags);
  if (input.due_at !== undefined) next.due_at = input.due_at === null ? null : zendeskTime(Date.parse(input.due_at));
  // A new ticket is open once someone is assigned to it.
  const assignee = "assignee_id" in next ? next.assignee_id : current.data.assignee_id;
  const status = next.status ?? current.data.status;
  if (status === "new" && assignee !== null && assignee !== undefined) next.status = "open";
  const changed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(next)) {
    if (JSON.stringify(value) !== JSON.stringify(current.data[field] ?? null)) changed[field] = value;
  }
  return changed;
}

/** Users, organizations and groups a write names must exist (and an assignee must be an agent). */
function checkReferences(
  dataset: Dataset,
  input: {
    requester_id?: number;
    submitter_id?: number;
    assignee_id?: number | null;
    organization_id?: number | null;
    group_id?: number | null;
    comment?: CommentInput;
  },
  errors: FieldErrors,
): void {
  const liveUser = (id: number) => live(dataset.get("users", id));
  for (const field of ["requester_id", "submitter_id"] as const) {
    const id = input[field];
    if (id !== undefined && !liveUser(id)) errors.add(field, `${id} is not a user of this account`);
  }
  if (input.assignee_id !== undefined && input.assignee_id !== null) {
    const assignee = liveUser(input.assignee_id);
    if (!assignee) errors.add("assignee_id", `${input.assignee_id} is not a user of this account`);
    else if (assignee.data.role !== "agent" && assignee.data.role !== "admin") errors.add("assignee_id", `${input.assignee_id} is not an agent`);
  }
  if (input.organization_id !== undefined && input.organization_id !== null && !live(dataset.get("organizations", input.organization_id))) {
    errors.add("organization_id", `${input.organization_id} is not an organization of this account`);
  }
  // The emulated help desk has no groups: every ticket's group_id is null.
  if (input.group_id !== undefined && input.group_id !== null) errors.add("group_id", `${input.group_id} is not a group of this account`);
  const author = input.comment?.author_id;
  if (author !== undefined && author !== null && !liveUser(author)) errors.add("comment", `author ${author} is not a user of this account`);
}

function live(record: StoredRecord | undefined): StoredRecord | undefined {
  return record && record.deletedAt === null ? record : undefined;
}

/** A live user with this email (case-insensitive): a generated one by the number in its address, or a changed or created one. */
function findUserByEmail(dataset: Dataset, email: string): number | null {
  const wanted = email.toLowerCase();
  const matches = (record: StoredRecord | undefined) => live(record) !== undefined && String(record!.data.email ?? "").toLowerCase() === wanted;
  const generated = generatedUserIdFromEmail(wanted);
  if (generated !== null && matches(dataset.get("users", generated))) return generated;
  for (const record of dataset.snapshot().changes) if (record.object === "users" && matches(record)) return record.id;
  return null;
}

/** Who the emulator acts as where Zendesk would use the authenticated user: the first live agent. */
function actingUserId(dataset: Dataset): number | null {
  let afterId: number | undefined;
  for (;;) {
    const users = dataset.list("users", { afterId, limit: 100 });
    const agent = users.find((user) => user.data.role === "agent" || user.data.role === "admin");
    if (agent) return agent.id;
    if (users.length < 100) return null;
    afterId = users[users.length - 1].id;
  }
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > SUBJECT_FROM_DESCRIPTION ? `${line.slice(0, SUBJECT_FROM_DESCRIPTION - 1)}…` : line;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}
