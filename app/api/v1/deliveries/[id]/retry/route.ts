import { apiRoute } from "@/lib/api/handler";
import { ApiError, notFound } from "@/lib/api/errors";
import { retryDelivery } from "@/lib/api/operations/webhooks";
import { deliveryDetailView, scopedDelivery } from "@/lib/api/webhooks";
import { retryNow } from "@/lib/webhooks/retry-now";

export const dynamic = "force-dynamic";

export const POST = apiRoute(retryDelivery, async ({ params, scope, engine }) => {
  const delivery = await scopedDelivery(engine.db, scope, params.id);
  const result = await retryNow(
    engine.db,
    { organizationId: scope.organizationId, environment: scope.environment, endpointId: delivery.endpointId },
    delivery.id,
  );
  if (!result.ok) throw result.code === "DELIVERY_NOT_FOUND" ? notFound("such delivery") : new ApiError(result.code, result.message);
  return Response.json({ delivery: deliveryDetailView(await scopedDelivery(engine.db, scope, delivery.id)) }, { status: 202 });
});
