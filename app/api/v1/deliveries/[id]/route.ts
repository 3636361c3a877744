import { apiRoute } from "@/lib/api/handler";
import { getDelivery } from "@/lib/api/operations/webhooks";
import { deliveryDetailView, scopedDelivery } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getDelivery, async ({ params, scope, engine }) => {
  return { delivery: deliveryDetailView(await scopedDelivery(engine.db, scope, params.id)) };
});
