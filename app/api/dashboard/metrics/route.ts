// The dashboard's charts (components/charts): ?range=24h|7d|30d, and ?scope=environment (the
// default), connection or endpoint with its ?id; a connection or endpoint outside the member's organization and environment is a 404.
import { invalid, notFound } from "@/lib/api/errors";
import { isId } from "@/lib/db/ids";
import { dashboardRoute, fresh } from "@/lib/dashboard/route";
import { getMetrics, METRIC_RANGES, metricRangeSchema, type MetricScope } from "@/lib/metrics";

export const dynamic = "force-dynamic";

function parseScope(scope: string | null, id: string | null): MetricScope {
  if (scope === null || scope === "environment") return { kind: "environment" };
  if (scope === "connection" || scope === "endpoint") {
    const prefix = scope === "connection" ? "conn" : "whk";
    if (!id || !isId(prefix, id)) throw invalid("id", `must be a ${scope} id (${prefix}_…)`);
    return { kind: scope, id };
  }
  throw invalid("scope", "must be one of environment, connection, endpoint");
}

export const GET = dashboardRoute(async ({ context, request }) => {
  const search = request.nextUrl.searchParams;
  const range = metricRangeSchema.safeParse(search.get("range") ?? undefined);
  if (!range.success) throw invalid("range", `must be one of ${METRIC_RANGES.join(", ")}`);
  const target = parseScope(search.get("scope"), search.get("id"));
  const metrics = await getMetrics(context.db, { organizationId: context.organization.id, environment: context.environment }, target, range.data);
  if (!metrics) throw notFound(`such ${target.kind}`);
  return fresh(metrics);
});
