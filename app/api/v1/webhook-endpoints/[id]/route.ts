import { apiRoute } from "@/lib/api/handler";
import { deleteWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint } from "@/lib/api/operations/webhooks";
import { endpointView, scopedEndpoint, updateEndpoint } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getWebhookEndpoint, async ({ params, scope, engine }) => {
  return { webhook_endpoint: endpointView(await scopedEndpoint(engine.db, scope, params.id)) };
});

export const PATCH = apiRoute(updateWebhookEndpoint, async ({ body, params, scope, engine }) => {
  const endpoint = await scopedEndpoint(engine.db, scope, params.id);
  return { webhook_endpoint: endpointView(await updateEndpoint(engine.db, endpoint, body)) };
});

export const DELETE = apiRoute(deleteWebhookEndpoint, async ({ params, scope, engine }) => {
  const endpoint = await scopedEndpoint(engine.db, scope, params.id);
  // Its deliveries and their attempts go with it (cascade); sync jobs that reported to it keep running, unlinked.
  await engine.db.webhookEndpoint.delete({ where: { id: endpoint.id } });
  return { id: endpoint.id, deleted: true };
});
