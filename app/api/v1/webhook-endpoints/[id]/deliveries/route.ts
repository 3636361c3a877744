import { apiRoute } from "@/lib/api/handler";
import { listDeliveries } from "@/lib/api/operations/webhooks";
import { deliveryView, scopedEndpoint } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listDeliveries, async ({ params, query, scope, engine }) => {
  const endpoint = await scopedEndpoint(engine.db, scope, params.id);
  const rows = await engine.db.delivery.findMany({
    where: { endpointId: endpoint.id, ...(query.status ? { status: query.status } : {}), ...(query.cursor ? { id: { lt: query.cursor } } : {}) },
    include: { event: { select: { type: true } } },
    // Delivery ids are time-sorted (ULIDs): newest first by id is newest first by creation.
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { deliveries: page.map(deliveryView), next_cursor: rows.length > query.limit ? page.at(-1)!.id : null };
});
