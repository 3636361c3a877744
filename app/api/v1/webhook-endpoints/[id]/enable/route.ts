import { apiRoute } from "@/lib/api/handler";
import { enableWebhookEndpoint } from "@/lib/api/operations/webhooks";
import { endpointView, scopedEndpoint } from "@/lib/api/webhooks";
import { enableEndpoint } from "@/lib/webhooks/replay";

export const dynamic = "force-dynamic";

export const POST = apiRoute(enableWebhookEndpoint, async ({ body, params, scope, engine }) => {
  const endpoint = await scopedEndpoint(engine.db, scope, params.id);
  const queued = await enableEndpoint(engine.db, endpoint.id, { replayMissedSince: body.replay_missed_since });
  return { webhook_endpoint: endpointView(await scopedEndpoint(engine.db, scope, endpoint.id)), deliveries_queued: queued };
});
