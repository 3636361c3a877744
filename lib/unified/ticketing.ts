// The ticketing category's unified models: what every ticketing connector (Zendesk Support today,
// Freshdesk next) emits as a record's data. Ids and references are the platform's; Tributary adds its
// own record ids when it serves them (lib/unified/references.ts).
import { z } from "zod";
import { boolean, platformId, reference, strings, text, timestamp } from "./fields";

export const organization = z
  .strictObject({
    id: platformId("The organization's id on the platform"),
    name: text("The organization's name"),
    domain_names: strings("Email domains whose senders belong to the organization"),
    created_at: timestamp("When the organization was created on the platform"),
    updated_at: timestamp("When the organization last changed on the platform"),
  })
  .meta({ description: "A company whose people raise tickets" });

export const user = z
  .strictObject({
    id: platformId("The user's id on the platform"),
    name: text.nullable("The user's name"),
    email: text.nullable("The user's main email address"),
    role: text.nullable("The platform's role: Zendesk's end-user, agent or admin"),
    organization_id: reference.nullable("organizations", "The organization the user belongs to"),
    created_at: timestamp("When the user was created on the platform"),
    updated_at: timestamp("When the user last changed on the platform"),
  })
  .meta({ description: "A person on the help desk: a customer (end user) or an agent" });

export const ticket = z
  .strictObject({
    id: platformId("The ticket's id on the platform"),
    subject: text.nullable("The ticket's subject line"),
    description: text.nullable("The first comment's text"),
    status: text("Where the ticket stands, e.g. new, open, pending, hold, solved or closed"),
    priority: text.nullable("low, normal, high or urgent; null when not set"),
    type: text.nullable("problem, incident, question or task; null when not set"),
    requester_id: reference.nullable("users", "Who asked"),
    assignee_id: reference.nullable("users", "The agent working on it; null while unassigned"),
    organization_id: reference.nullable("organizations", "The requester's organization"),
    tags: strings("The ticket's tags"),
    created_at: timestamp("When the ticket was opened"),
    updated_at: timestamp("When the ticket last changed on the platform"),
  })
  .meta({ description: "A support request and its state" });

export const comment = z
  .strictObject({
    id: platformId("The comment's id on the platform"),
    ticket_id: reference("tickets", "The ticket the comment belongs to"),
    author_id: reference.nullable("users", "Who wrote it"),
    body: text.nullable("The comment's text"),
    public: boolean("False for internal notes that the requester does not see"),
    created_at: timestamp("When the comment was added; comments do not change afterwards"),
  })
  .meta({ description: "One message of a ticket's conversation, public reply or internal note" });

export const TICKETING = { organizations: organization, users: user, tickets: ticket, comments: comment };

const TICKET_STATUSES = ["new", "open", "pending", "hold", "solved"] as const;
const enumOf = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  z.enum(values, { message: `must be one of ${values.join(", ")}` }).meta({ description: `${description}: ${values.join(", ")}` });
const name = (description: string) => z.string().trim().min(1, "must not be empty").max(1000).meta({ description });
const writtenReference = (object: string, description: string) =>
  z
    .string()
    .regex(/^\d{1,20}$/, "must be the platform's id of the record, digits")
    .meta({ description: `${description} (the platform's id of the ${object} record)` });
const tags = z
  .array(z.string().trim().min(1).max(80).regex(/^\S+$/, "must be one word"))
  .max(100)
  .meta({ description: "The ticket's tags (replaced as a whole)" });

/** What a write of a ticket sends: the fields a team sets, in the read model's names. */
export const ticketCreate = z
  .strictObject({
    subject: name("The subject line"),
    description: z.string().trim().min(1, "must not be empty").max(65_536).meta({ description: "The first comment's text" }),
    status: enumOf(TICKET_STATUSES, "Where the ticket stands").optional(),
    priority: enumOf(["low", "normal", "high", "urgent"], "How urgent").nullable().optional(),
    type: enumOf(["problem", "incident", "question", "task"], "What kind of request").nullable().optional(),
    requester_id: writtenReference("users", "Who asks; the connection's own user when left out").optional(),
    assignee_id: writtenReference("users", "The agent to work on it").nullable().optional(),
    organization_id: writtenReference("organizations", "The requester's organization").nullable().optional(),
    tags: tags.optional(),
  })
  .meta({ description: "A ticket to create" });

export const ticketUpdate = z
  .strictObject({
    subject: name("The subject line").optional(),
    status: enumOf([...TICKET_STATUSES, "closed"], "Where the ticket stands").optional(),
    priority: enumOf(["low", "normal", "high", "urgent"], "How urgent").nullable().optional(),
    type: enumOf(["problem", "incident", "question", "task"], "What kind of request").nullable().optional(),
    assignee_id: writtenReference("users", "The agent to work on it; null to unassign").nullable().optional(),
    tags: tags.optional(),
    comment: z
      .strictObject({
        body: z.string().trim().min(1, "must not be empty").max(65_536).meta({ description: "The comment's text" }),
        public: z.boolean().default(true).meta({ description: "False for an internal note the requester does not see" }),
      })
      .optional()
      .meta({ description: "A comment to add to the conversation" }),
  })
  .refine((update) => Object.keys(update).length > 0, { message: "must change at least one field" })
  .meta({ description: "What changes on a ticket; fields left out stay as they are" });

/** A comment added to a ticket's conversation; comments do not change once written. */
export const commentCreate = z
  .strictObject({
    ticket_id: writtenReference("tickets", "The ticket to add the comment to"),
    body: z.string().trim().min(1, "must not be empty").max(65_536).meta({ description: "The comment's text" }),
    public: z.boolean().default(true).meta({ description: "False for an internal note the requester does not see" }),
    author_id: writtenReference("users", "Who writes it; the connection's own user when left out").optional(),
  })
  .meta({ description: "A comment to add to a ticket" });

/** The ticketing objects a team writes through the unified API, and their create and update shapes. */
export const TICKETING_WRITES = {
  tickets: {
    create: ticketCreate,
    update: ticketUpdate,
    references: { requester_id: "users", assignee_id: "users", organization_id: "organizations" },
    deletable: true,
  },
  comments: { create: commentCreate, references: { ticket_id: "tickets", author_id: "users" } },
};
