import { notFound } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/handler";
import { getSyncRun } from "@/lib/api/operations/runs";
import { syncRunDetailView } from "@/lib/api/runs";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getSyncRun, async ({ params, scope, engine }) => {
  const run = await engine.db.syncRun.findFirst({
    where: { id: params.id, organizationId: scope.organizationId, environment: scope.environment, connection: { deletedAt: null } },
  });
  // Another organization's run, or a deleted connection's, answers exactly like a missing one.
  if (!run) throw notFound("such sync run");
  return { sync_run: syncRunDetailView(run) };
});
