// One sync job run for its dashboard page (components/sync-jobs/run-view.tsx polls it every second
// while the run is active). A run outside the member's organization and environment is a 404, exactly
// like one that does not exist.
import { notFound } from "@/lib/api/errors";
import { dashboardRoute, fresh, requireId } from "@/lib/dashboard/route";
import { getJobRun } from "@/lib/presenters/sync-jobs";

export const dynamic = "force-dynamic";

export const GET = dashboardRoute<{ runId: string }>(async ({ context, params }) => {
  const runId = requireId("runId", "jrun", params.runId, "a sync job run");
  const run = await getJobRun(context.db, { organizationId: context.organization.id, environment: context.environment }, runId);
  if (!run) throw notFound("such sync job run");
  return fresh(run);
});
