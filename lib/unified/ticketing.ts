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
