// A page of a sync run's request log (?after=<seq>&failures=1), for its run page.
import { ApiError, notFound } from "@/lib/api/errors";
import { dashboardRoute, fresh, requireId } from "@/lib/dashboard/route";
import { getRunRequests, parseRequestQuery } from "@/lib/runs/run-page";

export const dynamic = "force-dynamic";

export const GET = dashboardRoute<{ id: string; runId: string }>(async ({ context, request, params }) => {
  const id = requireId("id", "conn", params.id, "a connection");
  const runId = requireId("runId", "run", params.runId, "a sync run");
  const query = parseRequestQuery(request.nextUrl.searchParams);
  if (!query.ok) throw new ApiError("INVALID_FIELD", query.message, query.field);
  // The run is looked up through the tenant database first: its requests are read by run id alone.
  const run = await context.db.syncRun.findFirst({ where: { id: runId, connectionId: id }, select: { id: true } });
  if (!run) throw notFound("such sync run");
  return fresh(await getRunRequests(context.db, run.id, query));
});
