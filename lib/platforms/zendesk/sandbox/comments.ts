// A ticket's comments (Zendesk "Ticket Comments", listed only per ticket). They are not a Dataset
// object: the generated ones derive from (seed, ticket id) and the ticket as it was generated, so later
// changes to the ticket (which move updated_at) never rewrite its history. Comments added through the
// Support API (Create Ticket's first comment, Update Ticket's comment) are stored with the ticket, in
// its API history (API_HISTORY_FIELD), and list after the generated ones, oldest first.
import { Dataset, type StoredRecord } from "@/lib/sandbox/dataset";
import { Rng } from "@/lib/sandbox/random";
import { AGENT_REPLIES, INTERNAL_NOTES, REQUESTER_REPLIES, ZENDESK_OBJECTS } from "./objects";
import { API_HISTORY_FIELD, zendeskTime } from "./wire";

export interface ZendeskComment {
  id: number;
  type: "Comment";
  author_id: number | null;
  body: string;
  html_body: string;
  plain_body: string;
  public: boolean;
  attachments: never[];
  audit_id: number;
  via: { channel: string; source: { from: Record<string, never>; to: Record<string, never>; rel: null } };
  created_at: string;
  metadata: { system: Record<string, never>; custom: Record<string, never> };
}

const MAX_COMMENTS = 6;
/** Comment ids: far above every object's id range, MAX_COMMENTS + 2 slots per ticket. */
const COMMENT_ID_BASE = 400_000_000_000;
const AUDIT_ID_BASE = 500_000_000_000;
/**
 * Comments and audits made through the API have ranges of their own above those, a block per ticket:
 * MAX_TICKET_COMMENTS fit a comment block, and an audit block holds 100,000 updates. A 100-million-record
 * account (67 million tickets) ends below 9e12, well inside exact integers (2^53 ≈ 9e15).
 */
const API_COMMENT_ID_BASE = 600_000_000_000;
const API_COMMENT_BLOCK = 10_000;
const API_AUDIT_ID_BASE = 2_000_000_000_000;
const API_AUDIT_BLOCK = 100_000;
/** "A ticket can contain up to 5000 comments in total" (Ticket Comments reference); more is a 422. */
export const MAX_TICKET_COMMENTS = 5000;

export function commentIdOf(ticketId: number, position: number): number {
  return COMMENT_ID_BASE + ticketId * (MAX_COMMENTS + 2) + position;
}

/** A comment added through the API, as the ticket stores it. */
export interface StoredComment {
  id: number;
  audit_id: number;
  author_id: number | null;
  body: string;
  html_body: string;
  public: boolean;
  /** Unix ms. */
  created_at: number;
}

/** What the Support API added to a ticket: its comments, and how many audits (writes) it made. */
export interface ApiHistory {
  comments: StoredComment[];
  audits: number;
}

export function apiHistoryOf(ticket: StoredRecord): ApiHistory {
  const stored = ticket.data[API_HISTORY_FIELD] as ApiHistory | undefined;
  return stored ?? { comments: [], audits: 0 };
}

/** The id of the next audit of a ticket with this history. */
export function nextAuditId(ticketId: number, history: ApiHistory): number {
  return API_AUDIT_ID_BASE + ticketId * API_AUDIT_BLOCK + history.audits;
}

/** The id the next comment added to a ticket with this history gets. */
export function nextCommentId(ticketId: number, history: ApiHistory): number {
  return API_COMMENT_ID_BASE + ticketId * API_COMMENT_BLOCK + history.comments.length;
}

/** A comment's bodies from the request's `body` (plain text) or `html_body`, as Zendesk renders both. */
export function commentBodies(input: { body?: string; html_body?: string }): { body: string; html_body: string } {
  if (input.html_body !== undefined && input.html_body.trim() !== "") {
    return { body: htmlToText(input.html_body), html_body: input.html_body };
  }
  const body = input.body ?? "";
  return { body, html_body: bodyHtml(body) };
}

// The account as generated (no overlay), to read a changed ticket's original state; cheap to build.
const pristine = new WeakMap<Dataset, Dataset>();

function generatedTicket(dataset: Dataset, ticket: StoredRecord): StoredRecord {
  let original = pristine.get(dataset);
  if (!original) {
    original = new Dataset(dataset.shape, ZENDESK_OBJECTS);
    pristine.set(dataset, original);
  }
  // Tickets created through the control API have no generated state: they are their own origin.
  return original.get("tickets", ticket.id) ?? ticket;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}

/**
 * The comments of a ticket, oldest first: for a generated ticket 1–6, the first one being the
 * description by the requester, then those added through the API. A ticket created through the control
 * API has its description as only comment; one created through the Support API, the comments it stored.
 */
export function ticketComments(dataset: Dataset, ticket: StoredRecord): ZendeskComment[] {
  const added = apiHistoryOf(ticket).comments.map(storedCommentJson);
  const origin = generatedTicket(dataset, ticket);
  const isCreatedLater = origin === ticket;
  if (isCreatedLater && added.length > 0) return added;
  return [...generatedComments(dataset, ticket, origin), ...added];
}

function generatedComments(dataset: Dataset, ticket: StoredRecord, origin: StoredRecord): ZendeskComment[] {
  const data = origin.data;
  const requester = numberOrNull(data.requester_id) ?? numberOrNull(data.submitter_id);
  const assignee = numberOrNull(data.assignee_id);
  const rng = new Rng(dataset.shape.seed, "comments", ticket.id);
  const isCreatedLater = origin === ticket;
  const count = isCreatedLater ? 1 : rng.int(1, MAX_COMMENTS);
  // Replies fall between creation and the generated ticket's last update, oldest first.
  const span = origin.updatedAt - origin.createdAt;
  const times = [origin.createdAt];
  const offsets = Array.from({ length: count - 1 }, () => Math.floor(rng.next() * (span + 1))).sort((a, b) => a - b);
  for (const offset of offsets) times.push(origin.createdAt + offset);
  const channel = typeof data.via === "object" && data.via !== null && "channel" in data.via ? String(data.via.channel) : "web";
  return times.map((time, position) => {
    let author = requester;
    let body = typeof data.description === "string" ? data.description : String(data.subject ?? "");
    let isPublic = true;
    if (position > 0) {
      const byAgent = assignee !== null && rng.chance(0.55);
      isPublic = !byAgent || !rng.chance(0.25);
      author = byAgent ? assignee : requester;
      body = byAgent ? rng.pick(isPublic ? AGENT_REPLIES : INTERNAL_NOTES) : rng.pick(REQUESTER_REPLIES);
    }
    return commentJson({
      id: commentIdOf(ticket.id, position),
      audit_id: AUDIT_ID_BASE + ticket.id * (MAX_COMMENTS + 2) + position,
      author_id: author,
      body,
      html_body: bodyHtml(body),
      public: isPublic,
      created_at: time,
      channel: position === 0 ? channel : "web",
    });
  });
}

function storedCommentJson(comment: StoredComment): ZendeskComment {
  return commentJson({ ...comment, channel: "api" });
}

function commentJson(comment: StoredComment & { channel: string }): ZendeskComment {
  return {
    ...commentEventJson(comment),
    via: { channel: comment.channel, source: { from: {}, to: {}, rel: null } },
    created_at: zendeskTime(comment.created_at),
    metadata: { system: {}, custom: {} },
  };
}

/** A comment as an audit's Comment event shows it: the comment's own fields, without via, time and metadata. */
export function commentEventJson(comment: StoredComment) {
  return {
    id: comment.id,
    type: "Comment" as const,
    author_id: comment.author_id,
    body: comment.body,
    html_body: comment.html_body,
    plain_body: comment.body,
    public: comment.public,
    attachments: [],
    audit_id: comment.audit_id,
  };
}

function bodyHtml(body: string): string {
  return `<div class="zd-comment" dir="auto"><p dir="auto">${escapeHtml(body)}</p></div>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The text of an html_body: tags dropped, line breaks kept, the common entities decoded. */
function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/p>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .trim();
}
