import { apiRoute } from "@/lib/api/handler";
import { rotateWebhookSecret } from "@/lib/api/operations/webhooks";
import { scopedEndpoint } from "@/lib/api/webhooks";
import { rotateSecret } from "@/lib/webhooks/endpoints";

export const dynamic = "force-dynamic";

export const POST = apiRoute(rotateWebhookSecret, async ({ params, scope, engine }) => {
  const endpoint = await scopedEndpoint(engine.db, scope, params.id);
  const { secret, previousExpiresAt } = await rotateSecret(engine.db, endpoint.id);
  // The new secret is shown here once; the previous one keeps signing until previous_secret_expires_at.
  return { id: endpoint.id, secret, previous_secret_expires_at: previousExpiresAt.toISOString() };
});
