// What Create Ticket and Update Ticket accept (Support API v2 Tickets reference, "Create Ticket" and
// "Update Ticket", https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/, and the
// Ticket Comments reference for `comment`, as documented in 2024–2025), parsed into typed values or
// into the field errors of Zendesk's 422 RecordInvalid. Properties the emulator does not model
// (custom_fields, collaborators, email_ccs, via, brand_id, …) are ignored, as Zendesk ignores
// properties it does not know.
import { z } from "zod";
import type { SandboxResponse } from "@/lib/sandbox/http";
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from "./objects";
import { recordInvalid, zendeskError, type FieldError } from "./wire";

/** Ids arrive as JSON numbers, or as digit strings from clients that send every value as a string. */
const idSchema = z.union([
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
]);

const commentSchema = z.object({
  body: z.string().optional(),
  html_body: z.string().optional(),
  public: z.boolean().optional(),
  author_id: idSchema.nullable().optional(),
});

const ticketFields = {
  subject: z.string().nullable().optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).nullable().optional(),
  type: z.enum(TICKET_TYPES).nullable().optional(),
  tags: z.array(z.string()).optional(),
  external_id: z.string().nullable().optional(),
  due_at: z
    .string()
    .refine((text) => !Number.isNaN(Date.parse(text)))
    .nullable()
    .optional(),
  // null names no one: the default applies, as when the property is left out.
  requester_id: idSchema
    .nullable()
    .optional()
    .transform((id) => id ?? undefined),
  submitter_id: idSchema
    .nullable()
    .optional()
    .transform((id) => id ?? undefined),
  assignee_id: idSchema.nullable().optional(),
  organization_id: idSchema.nullable().optional(),
  group_id: idSchema.nullable().optional(),
  comment: commentSchema.optional(),
};

const createSchema = z.object({ ...ticketFields, requester: z.object({ name: z.string().optional(), email: z.string() }).optional() });
const updateSchema = z.object(ticketFields);

export type CommentInput = z.infer<typeof commentSchema>;
export type CreateTicketInput = z.infer<typeof createSchema>;
export type UpdateTicketInput = z.infer<typeof updateSchema>;

/**
 * How Zendesk names a request property in `details` and in the description's "Label: problem":
 * references by the object they name (`assignee_id` → assignee, "Assignee").
 */
const FIELD_NAMES: Record<string, { key: string; label: string }> = {
  subject: { key: "subject", label: "Subject" },
  status: { key: "status", label: "Status" },
  priority: { key: "priority", label: "Priority" },
  type: { key: "type", label: "Type" },
  tags: { key: "tags", label: "Tags" },
  external_id: { key: "external_id", label: "External id" },
  due_at: { key: "due_at", label: "Due at" },
  requester: { key: "requester", label: "Requester" },
  requester_id: { key: "requester", label: "Requester" },
  submitter_id: { key: "submitter", label: "Submitter" },
  assignee_id: { key: "assignee", label: "Assignee" },
  organization_id: { key: "organization", label: "Organization" },
  group_id: { key: "group", label: "Group" },
  comment: { key: "comment", label: "Comment" },
};

/** Collects field errors keyed the way `details` is. */
export class FieldErrors {
  readonly details: Record<string, FieldError[]> = {};

  add(property: string, problem: string, error = "InvalidValue"): void {
    const { key, label } = FIELD_NAMES[property] ?? { key: property, label: property };
    (this.details[key] ??= []).push({ description: `${label}: ${problem}`, error });
  }

  /** A problem of the whole ticket ("Description: cannot be blank"), under `base`. */
  addBase(description: string, error: string): void {
    (this.details.base ??= []).push({ description, error });
  }

  get empty(): boolean {
    return Object.keys(this.details).length === 0;
  }

  response(): SandboxResponse {
    return recordInvalid(this.details);
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: SandboxResponse };

/**
 * The `ticket` object of a write. A body that is not `{ "ticket": { … } }` is a bad request (400); a
 * ticket whose properties have the wrong type or an unknown status, priority or type is RecordInvalid.
 */
function parseTicket<T>(schema: z.ZodType<T>, body: unknown): Parsed<T> {
  const ticket = isObject(body) ? body.ticket : undefined;
  if (!isObject(ticket)) {
    return { ok: false, response: zendeskError(400, "InvalidValue", 'The request body must be a JSON object holding a ticket object: {"ticket": {…}}') };
  }
  const result = schema.safeParse(ticket);
  if (result.success) return { ok: true, value: result.data };
  const errors = new FieldErrors();
  for (const issue of result.error.issues) {
    const property = String(issue.path[0] ?? "ticket");
    errors.add(property, problemOf(issue, valueAt(ticket, issue.path)));
  }
  return { ok: false, response: errors.response() };
}

export const parseCreateTicket = (body: unknown): Parsed<CreateTicketInput> => parseTicket(createSchema, body);
export const parseUpdateTicket = (body: unknown): Parsed<UpdateTicketInput> => parseTicket(updateSchema, body);

function problemOf(issue: z.core.$ZodIssue, value: unknown): string {
  const shown = JSON.stringify(value) ?? "undefined";
  if (issue.code === "invalid_value") return `${shown} is not one of ${issue.values.map(String).join(", ")}`;
  const where = issue.path.length > 1 ? ` (${issue.path.slice(1).join(".")})` : "";
  return `${shown}${where} is invalid`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const part of path) value = isObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[part] : undefined;
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Zendesk tags hold no spaces: a tag with spaces is several tags. Duplicates are dropped, the order kept. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.flatMap((tag) => tag.split(/\s+/)).filter((tag) => tag !== ""))];
}
