import { apiRoute } from "@/lib/api/handler";
import { resendDelivery } from "@/lib/api/operations/webhooks";
import { deliveryDetailView, scopedDelivery } from "@/lib/api/webhooks";
import { resendDelivery as resend } from "@/lib/webhooks/replay";

export const dynamic = "force-dynamic";

export const POST = apiRoute(resendDelivery, async ({ params, scope, engine }) => {
  const delivery = await scopedDelivery(engine.db, scope, params.id);
  await resend(engine.db, delivery.id);
  // Pending and due now: the next attempt is added to its attempts like any other.
  return Response.json({ delivery: deliveryDetailView(await scopedDelivery(engine.db, scope, delivery.id)) }, { status: 202 });
});
