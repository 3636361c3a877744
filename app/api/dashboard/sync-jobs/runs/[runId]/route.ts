// One sync job run for its dashboard page (components/sync-jobs/run-view.tsx polls it every second
// while the run is active): the signed-in member's session, never an API key. A run outside the
// member's organization and environment is a 404, exactly like one that does not exist.
import { getRequestContext } from "@/lib/auth/context";
import { ApiError, errorResponse, invalid, notFound } from "@/lib/api/errors";
import { isId } from "@/lib/db/ids";
import { getJobRun } from "@/lib/presenters/sync-jobs";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ runId: string }> }): Promise<Response> {
  try {
    // requireContext redirects to the sign-in page, which a fetch cannot follow usefully: answer 401.
    const context = await getRequestContext();
    if (!context) throw new ApiError("NOT_SIGNED_IN", "Sign in to see this run");
    const { runId } = await params;
    if (!isId("jrun", runId)) throw invalid("runId", "is not a sync job run id (jrun_…)");
    const run = await getJobRun(context.db, { organizationId: context.organization.id, environment: context.environment }, runId);
    if (!run) throw notFound("such sync job run");
    return Response.json(run, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
