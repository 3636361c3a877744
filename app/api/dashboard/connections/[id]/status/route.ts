// A connection's status for its page's live card (React Query polls it every 2 s while a run is queued
// or running): the read stays in the member's organization and environment (another organization's
// connection is a 404 like a missing one).
import { notFound } from "@/lib/api/errors";
import { dashboardRoute, fresh, requireId } from "@/lib/dashboard/route";
import { getConnectionStatus } from "@/lib/presenters/connections-detail";
import { getEngine } from "@/lib/sync/engine";

export const dynamic = "force-dynamic";

export const GET = dashboardRoute<{ id: string }>(async ({ context, params }) => {
  const status = await getConnectionStatus(context.db, requireId("id", "conn", params.id, "a connection"), getEngine().appUrl);
  if (!status) throw notFound("such connection");
  return fresh(status);
});
