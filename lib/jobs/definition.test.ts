// Sync job definitions are validated on save: each kind of mistake is refused with a message that
// names its field the way the API names fields, and a valid definition comes back normalized.
import { describe, expect, it } from "vitest";
import { argsProblems } from "./args-schema";
import { executionOrder, InvalidJobError, parseJobDefinition } from "./definition";
import { resolveValue } from "./placeholders";
import { TICKETS_AND_COMMENTS } from "./testing";

function problems(input: unknown): { field: string; message: string }[] {
  try {
    parseJobDefinition(input);
  } catch (error) {
    if (error instanceof InvalidJobError) return error.problems;
    throw error;
  }
  return [];
}

const tickets = { resource: "ticketing/tickets" };
const comments = { resource: "ticketing/comments", query: { ticket_id: "{{resources.ticketing.tickets.id}}" }, depends_on: "ticketing/tickets" };
const job = (resources: unknown[], extra: Record<string, unknown> = {}) => ({ name: "Job", category: "ticketing", resources, ...extra });

const orgTickets = {
  resource: "proxy/org_tickets",
  platform: "zendesk",
  path: "/organizations/{{resources.ticketing.organizations.id}}/tickets.json",
  query: { per_page: 100 },
  records_at: "tickets",
  depends_on: "ticketing/organizations",
};

describe("sync job definitions", () => {
  it("accept a proxy resource under a unified one, and refuse one that names no platform of the category, or a path outside the platform's API", () => {
    expect(parseJobDefinition(job([{ resource: "ticketing/organizations" }, orgTickets])).resources[1]).toMatchObject(orgTickets);
    const cases: [unknown, string, RegExp][] = [
      [{ ...orgTickets, platform: undefined }, "resources[1].platform", /is required/],
      [{ ...orgTickets, platform: "shopify" }, "resources[1].platform", /"shopify" is not a ticketing platform; ticketing has zendesk/],
      [{ ...orgTickets, path: undefined }, "resources[1].path", /is required/],
      [{ ...orgTickets, path: "https://evil.example/steal" }, "resources[1].path", /must name a path under the platform's API|absolute URL/],
      [{ ...orgTickets, path: "/../oauth/tokens.json" }, "resources[1].path", /must not hold \. or \.\. segments/],
      [{ ...orgTickets, path: "/tickets.json?per_page=5" }, "resources[1].path", /put query parameters in query/],
      [{ ...orgTickets, path: "/users/{{resources.ticketing.tickets.id}}.json" }, "resources[1].path", /not an ancestor/],
      [{ ...orgTickets, resource: "proxy/Org-Tickets" }, "resources[1].resource", /proxy\/<name>/],
      [{ ...orgTickets, records_at: "a..b" }, "resources[1].records_at", /must be a field of the answer/],
    ];
    for (const [resource, field, message] of cases) {
      const found = problems(job([{ resource: "ticketing/organizations" }, resource]));
      expect(found, JSON.stringify(resource)).toContainEqual({ field, message: expect.stringMatching(message) });
    }
    expect(problems(job([{ resource: "ticketing/tickets", path: "/tickets.json" }]))).toContainEqual({
      field: "resources[0].path",
      message: expect.stringMatching(/for proxy resources/),
    });
  });

  it("accept tickets then comments, filling defaults", () => {
    const parsed = parseJobDefinition(TICKETS_AND_COMMENTS);
    expect(parsed.error_handling).toBe("ignore");
    expect(parsed.args_schema).toEqual({ type: "object", properties: {} });
    expect(parsed.resources[1]).toEqual({ ...TICKETS_AND_COMMENTS.resources[1] });
    expect(executionOrder(parsed.resources)).toEqual({ roots: [0], children: new Map([[0, [1]]]) });
  });

  it.each([
    [
      "an unknown resource",
      job([{ resource: "ticketing/widgets" }]),
      "resources[0].resource",
      /is not a resource; ticketing offers ticketing\/organizations, ticketing\/users, ticketing\/tickets, ticketing\/comments/,
    ],
    ["a resource of another category", job([{ resource: "commerce/orders" }]), "resources[0].resource", /belongs to commerce/],
    ["an unknown method", job([{ resource: "ticketing/tickets", method: "delete" }]), "resources[0].method", /list/],
    [
      "an unknown query parameter",
      job([{ resource: "ticketing/tickets", query: { status: "open" } }]),
      "resources[0].query.status",
      /takes updated_at_min, organization_id/,
    ],
    [
      "a placeholder to a resource that is not an ancestor",
      job([tickets, { ...comments, query: { ticket_id: "{{resources.ticketing.users.id}}" } }]),
      "resources[1].query.ticket_id",
      /not an ancestor of ticketing\/comments: its ancestors are ticketing\/tickets/,
    ],
    [
      "a placeholder to a parent without depends_on",
      job([tickets, { resource: "ticketing/comments", query: { ticket_id: "{{resources.ticketing.tickets.id}}" } }]),
      "resources[1].query.ticket_id",
      /it has no depends_on/,
    ],
    [
      "an argument the schema does not declare",
      job([{ resource: "ticketing/users", query: { organization_id: "{{args.org}}" } }], {
        args_schema: { type: "object", properties: { org_id: { type: "string" } } },
      }),
      "resources[0].query.organization_id",
      /declares no argument "org" \(it declares org_id\)/,
    ],
    [
      "a placeholder that is not one",
      job([{ resource: "ticketing/users", query: { organization_id: "{{org_id}}" } }]),
      "resources[0].query.organization_id",
      /is not a placeholder/,
    ],
    [
      "an unclosed placeholder",
      job([{ resource: "ticketing/users", query: { organization_id: "{{args.org_id" } }]),
      "resources[0].query.organization_id",
      /unclosed/,
    ],
    [
      "a dependency on a resource not in the job",
      job([{ ...comments, query: {} }]),
      "resources[0].depends_on",
      /"ticketing\/tickets" is not a resource of this job/,
    ],
    [
      "a dependency cycle",
      job([
        { resource: "ticketing/tickets", depends_on: "ticketing/comments" },
        { resource: "ticketing/comments", depends_on: "ticketing/tickets" },
      ]),
      "resources[0].depends_on",
      /dependency cycle: ticketing\/tickets → ticketing\/comments → ticketing\/tickets/,
    ],
    ["a resource depending on itself", job([{ resource: "ticketing/tickets", depends_on: "ticketing/tickets" }]), "resources[0].depends_on", /itself/],
    ["a resource listed twice", job([tickets, tickets]), "resources[1].resource", /already resources\[0\]/],
    [
      "args_schema that is not JSON Schema",
      job([tickets], { args_schema: { type: "object", properties: { org_id: { type: "strin" } } } }),
      "args_schema.properties.org_id.type",
      /not valid JSON Schema: must be one of array, boolean, integer, null, number, object, string/,
    ],
    ["args_schema not of an object", job([tickets], { args_schema: { type: "array" } }), "args_schema.type", /must be "object"/],
    [
      "a date filter that is not a date",
      job([{ resource: "ticketing/tickets", query: { updated_at_min: "yesterday" } }]),
      "resources[0].query.updated_at_min",
      /ISO-8601/,
    ],
    [
      "loop_on that is not a placeholder",
      job([{ resource: "ticketing/comments", query: {}, loop_on: "ids" }]),
      "resources[0].loop_on",
      /exactly one placeholder/,
    ],
    [
      "loop_on over a string argument",
      job([{ resource: "ticketing/comments", query: { ticket_id: "{{args.ids}}" }, loop_on: "{{args.ids}}" }], {
        args_schema: { type: "object", properties: { ids: { type: "string" } } },
      }),
      "resources[0].loop_on",
      /needs an array/,
    ],
    ["an unknown field", job([{ resource: "ticketing/tickets", filter: {} }]), "resources[0].filter", /unknown field/],
    ["no resources", job([]), "resources", /./],
    ["an unknown category", { name: "x", category: "crm", resources: [tickets] }, "category", /./],
  ])("refuse %s, naming the field", (_, input, field, message) => {
    const found = problems(input);
    expect(found.map((p) => p.field)).toContain(field);
    expect(found.find((p) => p.field === field)!.message).toMatch(message);
  });

  it("validate a run's args against args_schema, naming each argument", () => {
    const schema = {
      type: "object",
      properties: { org_id: { type: "string" }, limit: { type: "integer" } },
      required: ["org_id"],
      additionalProperties: false,
    };
    expect(argsProblems(schema, { org_id: "1" })).toEqual([]);
    expect(argsProblems(schema, {})).toEqual([{ field: "args.org_id", message: "is required" }]);
    expect(argsProblems(schema, { org_id: "1", limit: "ten" })).toEqual([{ field: "args.limit", message: "must be integer" }]);
    expect(argsProblems(schema, { org_id: "1", other: 1 })).toEqual([{ field: "args.other", message: "is not an argument this job accepts" }]);
  });

  it("resolve placeholders, leaving out what has no value", () => {
    const scope = { args: { org_id: 42, ids: ["a"] }, previousRunDate: null, records: { "ticketing/tickets": { id: "7", via: { channel: "email" } } } };
    expect(resolveValue("{{args.org_id}}", scope)).toEqual({ value: 42, missing: null });
    expect(resolveValue("org-{{ args.org_id }}-{{resources.ticketing.tickets.id}}", scope)).toEqual({ value: "org-42-7", missing: null });
    expect(resolveValue("{{resources.ticketing.tickets.via.channel}}", scope).value).toBe("email");
    expect(resolveValue("{{previous_run_date}}", scope)).toMatchObject({ value: undefined, missing: { kind: "previous_run_date" } });
    expect(resolveValue("{{args.ids}}", { ...scope, loop: { raw: "{{args.ids}}", value: "a" } }).value).toBe("a");
    expect(resolveValue(5, scope).value).toBe(5);
  });
});
