// The resources a sync job can fetch (DESIGN.md section 4): `<category>/<object>` for every unified
// object a connector of that category offers — `ticketing/tickets`, `commerce/orders`… — and the
// query parameters each accepts: the time filters the object supports, and the connector's own
// filters (a ticket's comments by `ticket_id`, an organization's users by `organization_id`).
import { PLATFORM_CATALOG, type PlatformCategory } from "@/lib/platforms/catalog";

export const JOB_CATEGORIES = ["commerce", "accounting", "ticketing"] as const satisfies readonly PlatformCategory[];

export type QueryParameterKind = "updated_at_min" | "created_at_min" | "created_at_max" | "filter";

export interface QueryParameter {
  name: string;
  kind: QueryParameterKind;
  description: string;
  /** Time filters take an ISO-8601 date-time. */
  format: "date-time" | "string";
}

export interface JobResource {
  /** `<category>/<object>`. */
  name: string;
  category: PlatformCategory;
  object: string;
  /** The platforms of the category that offer the object. */
  platforms: string[];
  query: QueryParameter[];
}

const TIME_PARAMETERS: Record<Exclude<QueryParameterKind, "filter">, string> = {
  updated_at_min: "Only records updated at or after this time (incremental runs: {{previous_run_date}})",
  created_at_min: "Only records created at or after this time",
  created_at_max: "Only records created before this time",
};

function build(): JobResource[] {
  const byName = new Map<string, JobResource>();
  for (const platform of PLATFORM_CATALOG) {
    for (const spec of platform.objects) {
      const name = `${platform.category}/${spec.key}`;
      const resource: JobResource = byName.get(name) ?? { name, category: platform.category, object: spec.key, platforms: [], query: [] };
      resource.platforms.push(platform.key);
      const parameters: QueryParameter[] = [];
      if (spec.supportsUpdatedSince)
        parameters.push({ name: "updated_at_min", kind: "updated_at_min", description: TIME_PARAMETERS.updated_at_min, format: "date-time" });
      if (spec.supportsWindow) {
        parameters.push({ name: "created_at_min", kind: "created_at_min", description: TIME_PARAMETERS.created_at_min, format: "date-time" });
        parameters.push({ name: "created_at_max", kind: "created_at_max", description: TIME_PARAMETERS.created_at_max, format: "date-time" });
      }
      for (const filter of spec.filters ?? []) parameters.push({ name: filter.name, kind: "filter", description: filter.description, format: "string" });
      // With several platforms in a category, a parameter is offered when one of them takes it.
      for (const parameter of parameters) if (!resource.query.some((q) => q.name === parameter.name)) resource.query.push(parameter);
      byName.set(name, resource);
    }
  }
  return [...byName.values()];
}

let cached: JobResource[] | null = null;

/** Every resource, or a category's, in catalogue order. */
export function jobResources(category?: string): JobResource[] {
  cached ??= build();
  return category ? cached.filter((resource) => resource.category === category) : cached;
}

export function findJobResource(name: string): JobResource | undefined {
  return jobResources().find((resource) => resource.name === name);
}

/** A proxy resource's name: `proxy/<name>`, a GET through the proxy (definition.ts checks it). */
export const PROXY_RESOURCE_PATTERN = /^proxy\/[a-z_]{1,60}$/;

export const isProxyResource = (name: string) => name.startsWith("proxy/");

/** The category a platform belongs to, or null for an unknown platform. */
export function platformCategory(platform: string): PlatformCategory | null {
  return PLATFORM_CATALOG.find((p) => p.key === platform)?.category ?? null;
}
