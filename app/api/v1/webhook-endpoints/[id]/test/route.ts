import { apiRoute } from "@/lib/api/handler";
import { testWebhookEndpoint } from "@/lib/api/operations/webhooks";
import { scopedEndpoint } from "@/lib/api/webhooks";
import { sendTestEvent } from "@/lib/webhooks/replay";

export const dynamic = "force-dynamic";

export const POST = apiRoute(testWebhookEndpoint, async ({ params, scope, engine }) => {
  const endpoint = await scopedEndpoint(engine.db, scope, params.id);
  const deliveryId = await sendTestEvent(engine.db, endpoint.id);
  return Response.json({ delivery_id: deliveryId }, { status: 202 });
});
