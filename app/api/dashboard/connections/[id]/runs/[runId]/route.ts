// One sync run of a connection, as its run page polls it while the run is active; scoped like the
// connection's other routes.
import { notFound } from "@/lib/api/errors";
import { dashboardRoute, fresh, requireId } from "@/lib/dashboard/route";
import { getRunPage } from "@/lib/runs/run-page";

export const dynamic = "force-dynamic";

export const GET = dashboardRoute<{ id: string; runId: string }>(async ({ context, params }) => {
  const page = await getRunPage(context.db, requireId("id", "conn", params.id, "a connection"), requireId("runId", "run", params.runId, "a sync run"));
  if (!page) throw notFound("such sync run");
  return fresh(page);
});
