// The editor's template picker: lib/jobs/templates.ts's definitions, each with the words the picker
// shows, written out with the defaults the library would fill in (args_schema, error_handling) so
// the text shows every field a member can change.
import { INCREMENTAL_TICKETS, TICKETS_AND_COMMENTS, USERS_OF_AN_ORGANIZATION } from "@/lib/jobs/templates";

interface TemplateDefinition {
  name: string;
  category: string;
  args_schema?: Record<string, unknown>;
  resources: readonly object[];
  error_handling?: string;
}

export interface JobTemplate {
  key: string;
  label: string;
  description: string;
  definition: TemplateDefinition;
}

export const JOB_TEMPLATES: readonly JobTemplate[] = [
  {
    key: "tickets-with-comments",
    label: "Tickets with comments",
    description: "Every ticket changed since the previous run, then each ticket's comments (one request per ticket).",
    definition: TICKETS_AND_COMMENTS,
  },
  {
    key: "organization-users",
    label: "Users of an organization",
    description: "The users of one organization, named by the run's org_id argument.",
    definition: USERS_OF_AN_ORGANIZATION,
  },
  {
    key: "incremental-tickets",
    label: "Incremental tickets",
    description: "Tickets updated since the previous completed run; the first run (or one ignoring the previous run) reads them all.",
    definition: INCREMENTAL_TICKETS,
  },
];

export function templateText({ definition }: JobTemplate): string {
  const { name, category, args_schema = { type: "object", properties: {} }, resources, error_handling = "ignore" } = definition;
  return JSON.stringify({ name, category, args_schema, resources, error_handling }, null, 2);
}
