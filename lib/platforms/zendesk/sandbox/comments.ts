// A ticket's comments (Zendesk "Ticket Comments", listed only per ticket). They are not a Dataset
// object: they derive from (seed, ticket id) and the ticket as it was generated, so later changes to
// the ticket through the control API (which move updated_at) never rewrite its history.
import { Dataset, type StoredRecord } from "@/lib/sandbox/dataset";
import { Rng } from "@/lib/sandbox/random";
import { AGENT_REPLIES, INTERNAL_NOTES, REQUESTER_REPLIES, ZENDESK_OBJECTS } from "./objects";
import { zendeskTime } from "./wire";

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

export function commentIdOf(ticketId: number, position: number): number {
  return COMMENT_ID_BASE + ticketId * (MAX_COMMENTS + 2) + position;
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

/** The comments of a ticket, oldest first: 1–6, the first one being the description by the requester. */
export function ticketComments(dataset: Dataset, ticket: StoredRecord): ZendeskComment[] {
  const origin = generatedTicket(dataset, ticket);
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
    return {
      id: commentIdOf(ticket.id, position),
      type: "Comment",
      author_id: author,
      body,
      html_body: `<div class="zd-comment" dir="auto"><p dir="auto">${escapeHtml(body)}</p></div>`,
      plain_body: body,
      public: isPublic,
      attachments: [],
      audit_id: AUDIT_ID_BASE + ticket.id * (MAX_COMMENTS + 2) + position,
      via: { channel: position === 0 ? channel : "web", source: { from: {}, to: {}, rel: null } },
      created_at: zendeskTime(time),
      metadata: { system: {}, custom: {} },
    };
  });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
