// The deliveries of one endpoint for the dashboard's live table (React Query polls it): the endpoint
// is looked up within the member's organization and environment.
import { invalid, notFound } from "@/lib/api/errors";
import { dashboardRoute, fresh, requireId } from "@/lib/dashboard/route";
import { decodeCursor, listDeliveries, parseDeliveryStatus } from "@/lib/presenters/webhooks";

export const dynamic = "force-dynamic";

export const GET = dashboardRoute<{ id: string }>(async ({ context, request, params }) => {
  const id = requireId("id", "whk", params.id, "a webhook endpoint");
  const endpoint = await context.db.webhookEndpoint.findFirst({ where: { id }, select: { id: true } });
  if (!endpoint) throw notFound("such endpoint");
  const search = request.nextUrl.searchParams;
  const raw = search.get("cursor");
  const cursor = decodeCursor(raw);
  if (raw && !cursor) throw invalid("cursor", "is not one this list returned");
  return fresh(await listDeliveries(context.db, id, { status: parseDeliveryStatus(search.get("status")), cursor }));
});
