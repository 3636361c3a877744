import { apiRoute } from "@/lib/api/handler";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/api/operations/webhooks";
import { checkEndpoint, endpointInput, endpointView } from "@/lib/api/webhooks";
import { createEndpoint } from "@/lib/webhooks/endpoints";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listWebhookEndpoints, async ({ query, scope, engine }) => {
  const rows = await engine.db.webhookEndpoint.findMany({
    where: { organizationId: scope.organizationId, environment: scope.environment, ...(query.cursor ? { id: { lt: query.cursor } } : {}) },
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { webhook_endpoints: page.map(endpointView), next_cursor: rows.length > query.limit ? page.at(-1)!.id : null };
});

export const POST = apiRoute(createWebhookEndpoint, async ({ body, scope, engine }) => {
  const input = endpointInput(body);
  checkEndpoint(input);
  const { id, secret } = await createEndpoint(engine.db, scope, input);
  const endpoint = await engine.db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
  // The only answer that carries the secret in clear (besides a rotation's).
  return Response.json({ webhook_endpoint: endpointView(endpoint), secret }, { status: 201 });
});
