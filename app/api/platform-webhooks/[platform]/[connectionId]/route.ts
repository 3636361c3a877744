import { ApiError, errorResponse } from "@/lib/api/errors";
import { BodyTooLargeError, bodyTooLargeResponse, readBodyText } from "@/lib/input";
import { getEngine } from "@/lib/sync/engine";
import { platformWebhookBodyLimit, receivePlatformWebhook } from "@/lib/sync/platform-webhooks";

export const dynamic = "force-dynamic";

/** A platform's change notification for one connection: verified, then an incremental run is queued; 200 with no body once accepted. */
export async function POST(request: Request, context: { params: Promise<{ platform: string; connectionId: string }> }) {
  const { platform, connectionId } = await context.params;
  const limit = platformWebhookBodyLimit(platform);
  // No platform of that name sends webhooks: the answer receivePlatformWebhook gives, without reading the body.
  if (limit === 0) return errorResponse(new ApiError("NOT_FOUND", "No such connection"));
  let body: string;
  try {
    body = await readBodyText(request, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return bodyTooLargeResponse(error);
    throw error;
  }
  const outcome = await receivePlatformWebhook(getEngine(), { platform, connectionId, headers: Object.fromEntries(request.headers), body });
  if (outcome.status !== 200) return errorResponse(new ApiError(outcome.code, outcome.error, outcome.status === 400 ? outcome.field : null));
  // No body: Xero accepts no other answer (WebhookOutcome).
  return new Response(null, { status: 200 });
}
