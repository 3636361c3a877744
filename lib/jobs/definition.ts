// A sync job's definition (DESIGN.md section 4): `{ name, category, args_schema, resources,
// error_handling }`, each resource `{ resource, method, query?, depends_on?, loop_on? }`; a proxy
// resource (`proxy/<name>`, Truto's "Proxy API" resources) adds `platform`, `path` and `records_at`. Validated
// on save: the shape (zod), then what the shape cannot say — an unknown resource or query parameter,
// a placeholder naming a resource that is not an ancestor or an argument the schema does not declare,
// a dependency cycle, an args_schema that is not valid JSON Schema or that this server will not run
// (args-schema.ts). Every problem names its field the way the API names fields
// (`resources[1].query.ticket_id`, `args_schema.properties.org_id.pattern`).
import { z } from "zod";
import { issueProblems } from "@/lib/input";
import type { IssueProblem } from "@/lib/input/issues";
import { argsSchemaProblems } from "./args-schema";
import { ProxyPathError, proxyUrl } from "@/lib/platforms/proxy-url";
import { findJobResource, isProxyResource, JOB_CATEGORIES, jobResources, platformCategory, PROXY_RESOURCE_PATTERN } from "./resources";
import { parsePlaceholders, PlaceholderError, type Placeholder } from "./placeholders";
import { CodedError, type PublicError } from "@/lib/errors";

export const JOB_METHODS = ["list"] as const;
export const ERROR_HANDLING = ["ignore", "fail_fast"] as const;

const queryValue = z.union([z.string().max(2000), z.number(), z.boolean()]);

export const jobResourceSchema = z
  .object({
    resource: z
      .string()
      .min(1)
      .max(100)
      .describe("`<category>/<object>`, e.g. `ticketing/tickets`; or `proxy/<name>`, a GET through the proxy to the platform's own API"),
    method: z.enum(JOB_METHODS).default("list"),
    query: z.record(z.string().min(1).max(100), queryValue).default({}).describe("Query parameters; values may hold placeholders"),
    depends_on: z.string().min(1).max(100).optional().describe("The parent resource: one request per parent record"),
    loop_on: z.string().min(1).max(200).optional().describe("A placeholder whose value is an array: the request is repeated for each element"),
    platform: z.string().min(1).max(50).optional().describe("Proxy resources: the platform whose API `path` is under; connections of others skip the resource"),
    path: z
      .string()
      .min(2)
      .max(2000)
      .optional()
      .describe(
        "Proxy resources: the path under the platform's API, as the proxy takes it (`/tickets/{{resources.ticketing.tickets.id}}/audits.json`); may hold placeholders",
      ),
    records_at: z
      .string()
      .regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, "must be a field of the answer, dotted for a nested one: audits, data.items")
      .max(200)
      .optional()
      .describe(
        "Proxy resources: the field of the platform's JSON answer that holds the records (an array, or one object); the whole answer is one record when left out",
      ),
  })
  .strict();

export const jobDefinitionSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    category: z.enum(JOB_CATEGORIES),
    args_schema: z.record(z.string(), z.unknown()).default({ type: "object", properties: {} }).describe("JSON Schema of the run's args"),
    resources: z.array(jobResourceSchema).min(1).max(20),
    error_handling: z.enum(ERROR_HANDLING).default("ignore"),
  })
  .strict();

export type JobDefinitionInput = z.input<typeof jobDefinitionSchema>;
export type JobDefinition = z.output<typeof jobDefinitionSchema>;
export type JobResourceDefinition = JobDefinition["resources"][number];

/** A problem of a definition, named by its field (`resources[0].query.status`): the one input problem shape. */
export type Problem = IssueProblem;

export class InvalidJobError extends CodedError {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join("; "));
    this.name = "InvalidJobError";
  }
  /** Every problem is in the message ("field: message; …"); the first one's field is named. */
  publicError(): PublicError {
    return { code: "INVALID_FIELD", message: this.message, field: this.problems[0]?.field ?? null };
  }
}

function declaredArgs(schema: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const properties = schema.properties;
  return properties && typeof properties === "object" ? (properties as Record<string, Record<string, unknown>>) : {};
}

/** The problems of a definition whose shape already parsed; empty when it can be saved. */
export function definitionProblems(job: JobDefinition): Problem[] {
  const problems: Problem[] = [];
  problems.push(...argsSchemaProblems(job.args_schema));
  const args = declaredArgs(job.args_schema);
  const at = (index: number, ...rest: string[]) => [`resources[${index}]`, ...rest].join(".");
  const indexOf = new Map<string, number>();

  job.resources.forEach((resource, index) => {
    const spec = findJobResource(resource.resource);
    if (indexOf.has(resource.resource)) {
      problems.push({
        field: at(index, "resource"),
        message: `"${resource.resource}" is already resources[${indexOf.get(resource.resource)}]; a job fetches each resource once`,
      });
    } else indexOf.set(resource.resource, index);
    if (isProxyResource(resource.resource)) {
      problems.push(...proxyResourceProblems(job.category, resource, (field) => at(index, field)));
      return;
    }
    for (const field of ["platform", "path", "records_at"] as const) {
      if (resource[field] !== undefined)
        problems.push({ field: at(index, field), message: `is for proxy resources (proxy/<name>) only; ${resource.resource} is a unified one` });
    }
    if (!spec || spec.category !== job.category) {
      const offered = jobResources(job.category).map((r) => r.name);
      const reason = spec ? `belongs to ${spec.category}, and this job's category is ${job.category}` : "is not a resource";
      problems.push({ field: at(index, "resource"), message: `"${resource.resource}" ${reason}; ${job.category} offers ${offered.join(", ")}` });
    }
  });

  // Dependencies: each depends_on names another resource of the job, and following them never loops.
  job.resources.forEach((resource, index) => {
    if (resource.depends_on === undefined) return;
    if (resource.depends_on === resource.resource) problems.push({ field: at(index, "depends_on"), message: "a resource cannot depend on itself" });
    else if (!indexOf.has(resource.depends_on))
      problems.push({ field: at(index, "depends_on"), message: `"${resource.depends_on}" is not a resource of this job` });
  });
  const parentOf = (name: string) => job.resources[indexOf.get(name) ?? -1]?.depends_on;
  job.resources.forEach((resource, index) => {
    const seen = [resource.resource];
    for (let parent = resource.depends_on; parent !== undefined && indexOf.has(parent); parent = parentOf(parent)) {
      if (seen.includes(parent)) {
        if (parent === resource.resource && resource.depends_on !== resource.resource) {
          problems.push({ field: at(index, "depends_on"), message: `dependency cycle: ${[...seen, parent].join(" → ")}` });
        }
        break;
      }
      seen.push(parent);
    }
  });
  const ancestorsOf = (name: string): string[] => {
    const found: string[] = [];
    for (let parent = parentOf(name); parent !== undefined && indexOf.has(parent) && !found.includes(parent); parent = parentOf(parent)) found.push(parent);
    return found;
  };

  job.resources.forEach((resource, index) => {
    const spec = findJobResource(resource.resource);
    const ancestors = ancestorsOf(resource.resource);
    const check = (placeholder: Placeholder, field: string) => {
      if (placeholder.kind === "args" && !(placeholder.name in args)) {
        const names = Object.keys(args);
        problems.push({
          field,
          message: `${placeholder.raw}: args_schema declares no argument "${placeholder.name}"${names.length ? ` (it declares ${names.join(", ")})` : ""}`,
        });
      }
      if (placeholder.kind === "resource" && !ancestors.includes(placeholder.resource)) {
        const why =
          placeholder.resource === resource.resource
            ? "a resource cannot refer to its own records"
            : ancestors.length
              ? `its ancestors are ${ancestors.join(", ")}`
              : "it has no depends_on";
        problems.push({ field, message: `${placeholder.raw} refers to "${placeholder.resource}", which is not an ancestor of ${resource.resource}: ${why}` });
      }
    };
    const placeholdersOf = (value: unknown, field: string): Placeholder[] => {
      if (typeof value !== "string") return [];
      try {
        const found = parsePlaceholders(value);
        for (const placeholder of found) check(placeholder, field);
        return found;
      } catch (error) {
        if (error instanceof PlaceholderError) problems.push({ field, message: error.message });
        else throw error;
        return [];
      }
    };
    if (resource.path !== undefined) {
      const field = at(index, "path");
      const found = placeholdersOf(resource.path, field);
      if (found.some((placeholder) => placeholder.kind === "previous_run_date"))
        problems.push({ field, message: "{{previous_run_date}} is a date: put it in query" });
    }
    for (const [name, value] of Object.entries(resource.query)) {
      const field = at(index, "query", name);
      const parameter = spec?.query.find((q) => q.name === name);
      if (spec && !parameter) {
        const accepted = spec.query.map((q) => q.name);
        problems.push({
          field,
          message: `${resource.resource} takes no query parameter "${name}"; it takes ${accepted.length ? accepted.join(", ") : "none"}`,
        });
      }
      const found = placeholdersOf(value, field);
      if (parameter?.format === "date-time" && found.length === 0 && (typeof value !== "string" || Number.isNaN(Date.parse(value)))) {
        problems.push({ field, message: `must be an ISO-8601 date-time (e.g. 2026-01-31T00:00:00Z) or a placeholder such as {{previous_run_date}}` });
      }
    }
    if (resource.loop_on !== undefined) {
      const field = at(index, "loop_on");
      const found = placeholdersOf(resource.loop_on, field);
      if (found.length !== 1 || resource.loop_on.trim() !== found[0].raw) {
        if (found.length !== 1) problems.push({ field, message: "must be exactly one placeholder, such as {{args.ticket_ids}}" });
      } else if (found[0].kind === "previous_run_date") {
        problems.push({ field, message: "{{previous_run_date}} is a date, not an array to loop on" });
      } else if (
        found[0].kind === "args" &&
        found[0].path.length === 0 &&
        args[found[0].name] &&
        args[found[0].name].type !== undefined &&
        args[found[0].name].type !== "array"
      ) {
        problems.push({ field, message: `args_schema declares "${found[0].name}" as ${String(args[found[0].name].type)}; loop_on needs an array` });
      }
    }
  });
  return problems;
}

/**
 * What a proxy resource must say: a name (`proxy/<name>`), a platform of the job's category, and a path
 * the proxy would send — checked with each placeholder standing for one path segment, so a path that
 * leaves the platform's API (`..`, an absolute URL) is refused on save and not first at run time.
 */
function proxyResourceProblems(category: string, resource: JobResourceDefinition, at: (field: string) => string): Problem[] {
  const problems: Problem[] = [];
  if (!PROXY_RESOURCE_PATTERN.test(resource.resource)) {
    problems.push({ field: at("resource"), message: `"${resource.resource}": a proxy resource is named proxy/<name>, <name> in lowercase letters and _` });
  }
  if (resource.platform === undefined) problems.push({ field: at("platform"), message: "is required: the platform whose API the path is under" });
  else if (platformCategory(resource.platform) !== category) {
    const offered = jobResources(category).flatMap((r) => r.platforms);
    problems.push({
      field: at("platform"),
      message: `"${resource.platform}" is not a ${category} platform; ${category} has ${[...new Set(offered)].join(", ")}`,
    });
  }
  if (resource.path === undefined) problems.push({ field: at("path"), message: "is required: the path under the platform's API, e.g. /tickets.json" });
  else if (resource.path.includes("?") || resource.path.includes("#")) {
    problems.push({ field: at("path"), message: "must be a path alone: put query parameters in query" });
  } else {
    try {
      proxyUrl("https://platform.invalid/api", resource.path.replace(/\{\{[^{}]*\}\}/g, "1"), "");
    } catch (error) {
      if (!(error instanceof ProxyPathError)) throw error;
      problems.push({ field: at("path"), message: error.message });
    }
  }
  return problems;
}

/** Parses and checks a definition; throws InvalidJobError with every problem found. */
export function parseJobDefinition(input: unknown): JobDefinition {
  const parsed = jobDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidJobError(issueProblems(parsed.error));
  }
  const problems = definitionProblems(parsed.data);
  if (problems.length) throw new InvalidJobError(problems);
  return parsed.data;
}

/** Resources in execution order: each after its parent, otherwise in definition order. */
export function executionOrder(resources: readonly JobResourceDefinition[]): { roots: number[]; children: Map<number, number[]> } {
  const indexOf = new Map(resources.map((r, i) => [r.resource, i] as const));
  const roots: number[] = [];
  const children = new Map<number, number[]>();
  resources.forEach((resource, index) => {
    const parent = resource.depends_on === undefined ? undefined : indexOf.get(resource.depends_on);
    if (parent === undefined) roots.push(index);
    else children.set(parent, [...(children.get(parent) ?? []), index]);
  });
  return { roots, children };
}
