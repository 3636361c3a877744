// A page of a connection's event log (?type=&cursor=&event_id=&record_id=&from=&to=), for its page's
// log; scoped like the status route.
import { ApiError, notFound } from "@/lib/api/errors";
import { dashboardRoute, fresh, requireId } from "@/lib/dashboard/route";
import { getConnectionEvents, parseEventQuery } from "@/lib/presenters/connections-events";

export const dynamic = "force-dynamic";

export const GET = dashboardRoute<{ id: string }>(async ({ context, request, params }) => {
  const id = requireId("id", "conn", params.id, "a connection");
  const connection = await context.db.connection.findFirst({ where: { id }, select: { id: true, platform: true } });
  if (!connection) throw notFound("such connection");
  const query = parseEventQuery(connection.platform, request.nextUrl.searchParams);
  if (!query.ok) throw new ApiError("INVALID_FIELD", query.message, query.field);
  return fresh(await getConnectionEvents(context.db, { organizationId: context.organization.id, environment: context.environment }, connection.id, query));
});
