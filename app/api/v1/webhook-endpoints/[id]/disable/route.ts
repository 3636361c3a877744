import { apiRoute } from "@/lib/api/handler";
import { disableWebhookEndpoint } from "@/lib/api/operations/webhooks";
import { endpointView, scopedEndpoint } from "@/lib/api/webhooks";
import { disableEndpoint } from "@/lib/webhooks/replay";

export const dynamic = "force-dynamic";

export const POST = apiRoute(disableWebhookEndpoint, async ({ body, params, scope, engine }) => {
  const endpoint = await scopedEndpoint(engine.db, scope, params.id);
  // Disabling a disabled endpoint changes nothing: no second ENDPOINT_DISABLED, the first reason stays.
  if (!endpoint.enabled) return { webhook_endpoint: endpointView(endpoint) };
  await disableEndpoint(engine.db, endpoint.id, body.reason);
  return { webhook_endpoint: endpointView(await scopedEndpoint(engine.db, scope, endpoint.id)) };
});
