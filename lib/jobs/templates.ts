// Starting points for sync jobs: the editor offers them, the demo organization gets the first, and the
// tests run it. Each is a valid definition (lib/jobs/definition.ts).

/** Tickets, then each ticket's comments; incremental after the first run. */
export const TICKETS_AND_COMMENTS = {
  name: "Tickets with comments",
  category: "ticketing",
  resources: [
    { resource: "ticketing/tickets", method: "list", query: { updated_at_min: "{{previous_run_date}}" } },
    { resource: "ticketing/comments", method: "list", query: { ticket_id: "{{resources.ticketing.tickets.id}}" }, depends_on: "ticketing/tickets" },
  ],
};

/** One organization's users, chosen by the run's `org_id` argument. */
export const USERS_OF_AN_ORGANIZATION = {
  name: "Users of an organization",
  category: "ticketing",
  args_schema: { type: "object", properties: { org_id: { type: "string", description: "The Zendesk organization's id" } }, required: ["org_id"] },
  resources: [{ resource: "ticketing/users", method: "list", query: { organization_id: "{{args.org_id}}" } }],
};

/** Tickets changed since the previous run (everything on the first run, or with ignore_previous_run). */
export const INCREMENTAL_TICKETS = {
  name: "Changed tickets",
  category: "ticketing",
  resources: [{ resource: "ticketing/tickets", method: "list", query: { updated_at_min: "{{previous_run_date}}" } }],
};

export const JOB_TEMPLATES = [TICKETS_AND_COMMENTS, USERS_OF_AN_ORGANIZATION, INCREMENTAL_TICKETS] as const;
