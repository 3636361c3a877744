import { apiRoute } from "@/lib/api/handler";
import { replayWebhookDeliveries } from "@/lib/api/operations/webhooks";
import { scopedEndpoint } from "@/lib/api/webhooks";
import { replayFailed } from "@/lib/webhooks/replay";

export const dynamic = "force-dynamic";

export const POST = apiRoute(replayWebhookDeliveries, async ({ body, params, scope, engine }) => {
  const endpoint = await scopedEndpoint(engine.db, scope, params.id);
  const replayed = await replayFailed(engine.db, endpoint.id, { from: body.from, to: body.to });
  return Response.json({ replayed }, { status: 202 });
});
