// Platform-triggered syncs (DESIGN.md section 2): a platform's own change webhook, verified with the
// secret it signs with, queues an incremental run of the objects it names (one queued run absorbs a
// burst of notifications). The notification's content is not trusted as data: the run re-reads the
// changed records through the API, so a forged or reordered notification can at most cause a sync.
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { isId } from "@/lib/db/ids";
import { CONNECTORS, getConnector } from "@/lib/platforms";
import type { SyncEngine } from "./engine";
import { requestPlatformTriggeredSync } from "./planner";

/** Where the platform posts a connection's change notifications. */
export function platformWebhookUrl(appUrl: string, platform: string, connectionId: string): string {
  return `${appUrl.replace(/\/$/, "")}/api/platform-webhooks/${platform}/${connectionId}`;
}

/**
 * Subscribes to the platform's change notifications for a sandbox connection (through the sandbox's
 * control API, which stands in for each platform's webhook-subscription API) and keeps the signing
 * secret, encrypted. `url` overrides where notifications go (tests, tunnels).
 */
export async function registerSandboxWebhooks(engine: SyncEngine, connectionId: string, url?: string): Promise<void> {
  const connection = await engine.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
  if (connection.environment !== "sandbox" || !engine.sandboxUrl) throw new Error("Only sandbox connections subscribe through the sandbox");
  const target = url ?? platformWebhookUrl(engine.appUrl, connection.platform, connectionId);
  const response = await engine.fetch(`${engine.sandboxUrl}/control/accounts/${connection.platform}/${connection.platformAccountId}/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: target }),
  });
  if (response.status !== 201) throw new Error(`The sandbox refused the webhook subscription (${response.status}): ${await response.text()}`);
  const { secret } = (await response.json()) as { secret: string };
  await engine.db.connection.update({ where: { id: connectionId }, data: { platformWebhookSecretEncrypted: encryptSecret(secret) } });
}

/**
 * How much of a body the route reads for `platform`: what the platform sends at most (its
 * definition says); 0 for a name that is no platform sending webhooks.
 */
export function platformWebhookBodyLimit(platform: string): number {
  return Object.hasOwn(CONNECTORS, platform) ? (CONNECTORS[platform].webhooks?.maxBodyBytes ?? 0) : 0;
}

/**
 * The route's answer. An accepted notification is a 200 with no body, the one answer every platform
 * takes: Xero refuses anything else (a body, another 2xx) and disables a subscription that keeps
 * getting it, and its intent-to-receive check wants exactly 200 for a good signature, 401 for a bad one.
 */
export type WebhookOutcome =
  | { status: 200; runId: string | null; objects: string[] }
  | { status: 401; code: "WEBHOOK_SIGNATURE_INVALID"; error: string }
  | { status: 404; code: "NOT_FOUND"; error: string }
  | { status: 400; code: "INVALID_FIELD"; error: string; field: "body" };

export async function receivePlatformWebhook(
  engine: SyncEngine,
  input: { platform: string; connectionId: string; headers: Record<string, string>; body: string },
): Promise<WebhookOutcome> {
  // A malformed id names nothing: not looked up (a NUL character would not even reach the database).
  const connection = isId("conn", input.connectionId) ? await engine.db.connection.findUnique({ where: { id: input.connectionId } }) : null;
  // Unknown connection, or one of another platform: the same answer, so ids cannot be probed.
  if (!connection || connection.deletedAt || connection.platform !== input.platform) return { status: 404, code: "NOT_FOUND", error: "No such connection" };
  const connector = getConnector(connection.platform);
  if (!connector.webhooks || !connection.platformWebhookSecretEncrypted)
    return { status: 404, code: "NOT_FOUND", error: "This connection does not receive platform webhooks" };
  const headers = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
  if (!connector.webhooks.verify(headers, input.body, decryptSecret(connection.platformWebhookSecretEncrypted)))
    return { status: 401, code: "WEBHOOK_SIGNATURE_INVALID", error: "Signature does not match" };
  let objects: string[];
  try {
    objects = connector.webhooks.objects(headers, input.body);
  } catch {
    return { status: 400, code: "INVALID_FIELD", error: "body: is not a notification this platform sends", field: "body" };
  }
  // A delivery naming nothing (Xero's intent-to-receive check, with no events) is answered at once.
  if (!objects.length || connection.health === "NEEDS_UPDATE" || connection.health === "DISABLED") return { status: 200, runId: null, objects };
  const queued = await requestPlatformTriggeredSync(engine, connection.id, objects);
  return { status: 200, runId: queued?.runId ?? null, objects };
}
