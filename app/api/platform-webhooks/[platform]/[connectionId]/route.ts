import { getEngine } from "@/lib/sync/engine";
import { receivePlatformWebhook } from "@/lib/sync/platform-webhooks";

export const dynamic = "force-dynamic";

/** A platform's change notification for one connection: verified, then an incremental run is queued. */
export async function POST(request: Request, context: { params: Promise<{ platform: string; connectionId: string }> }) {
  const { platform, connectionId } = await context.params;
  const body = await request.text();
  const outcome = await receivePlatformWebhook(getEngine(), { platform, connectionId, headers: Object.fromEntries(request.headers), body });
  if (outcome.status !== 202) return Response.json({ error: outcome.error }, { status: outcome.status });
  return Response.json({ accepted: true, objects: outcome.objects, sync_run_id: outcome.runId }, { status: 202 });
}
